/**
 * Parity `stateDiff` on a real chain (issue 20): the first 200 blocks of the import bench chain
 * (bench/chain.ts: an ERC-20 deployed, senders funded, then ERC-20 and ETH transfers; 3,521
 * transactions) written as RLP, `bin/mosaic import`ed into a temporary datadir and served by
 * `bin/mosaic --profile execution` on it. For every block:
 *
 * - each transaction's `trace_replayBlockTransactions(n, ["stateDiff"])` diff equals its
 *   prestateTracer `{diffMode: true}` diff, read in Parity's shape (all from
 *   `debug_traceBlockByNumber`, one a block also from `debug_traceTransaction`: tracing each
 *   transaction alone replays the block up to it, 47,000 executions for these 3,521);
 * - the transactions' diffs, chained, equal the block's change set (`mosaic_getStateDiff(n)`),
 *   less what the block's system calls change outside any transaction;
 * - `trace_block(n)` answers (the cryo-style read) with one top-level call per transaction.
 *
 * The chain has contract calls (the ERC-20's transfers write its storage) and a contract
 * creation, but no internal calls and no self-destructs: those are covered against anvil in
 * trace-anvil.test.ts.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateBenchChain } from '../../bench/chain.ts'
import { keccak256 } from '../../src/crypto/index.ts'
import { bytesToHex, concatBytes, hexToBytes } from '../../src/primitives/index.ts'
import { openMemoryStore } from '../../src/storage/index.ts'
import { MOSAIC, rpc, rpcBatch, startMosaicAt, type Child } from './processes.ts'

setDefaultTimeout(120_000)

/** 5 set-up blocks (deploy, funding) and 195 of transfers. */
const BLOCKS = 200
/**
 * EIP-4788's beacon roots and EIP-2935's block hashes: their storage is written by the system
 * calls before the block's transactions, so it is in the block's change set and in no
 * transaction's diff.
 */
const SYSTEM_CALL_ACCOUNTS = new Set(['0x000f3df6d732807ef1319fb7b8bb8522d0beac02', '0x0000f90827f1c53a10cb7a02335b175320002935'])

type Delta = '=' | { '+': string } | { '-': string } | { '*': { from: string; to: string } }
interface ParityAccount {
  balance: Delta
  nonce: Delta
  code: Delta
  storage: Record<string, Delta>
}
interface PrestateAccount {
  balance?: string
  nonce?: number
  code?: string
  codeHash?: string
  storage?: Record<string, string>
}

const ZERO_WORD = `0x${'0'.repeat(64)}`
const qty = (n: number | bigint) => `0x${n.toString(16)}`

/**
 * A prestateTracer diff (`pre`: the changed accounts before, non-zero changed slots; `post`: only
 * what changed, non-zero slots) in Parity's stateDiff shape. An account that did not exist is
 * absent from `pre` (made by CREATE) or there as a bare `{balance: "0x0"}`: no account on this
 * chain is empty (EIP-161), so that reads as born.
 */
function prestateAsParity(d: { pre: Record<string, PrestateAccount>; post: Record<string, PrestateAccount> }): Record<string, ParityAccount> {
  const out: Record<string, ParityAccount> = {}
  for (const addr of new Set([...Object.keys(d.pre), ...Object.keys(d.post)])) {
    const a = d.pre[addr]
    const b = d.post[addr]
    if (!b) throw new Error(`${addr} destroyed: the bench chain destroys nothing`)
    const born = !a || (a.balance === '0x0' && a.nonce === undefined && a.code === undefined && a.storage === undefined)
    if (born) {
      const storage = Object.fromEntries(Object.entries(b.storage ?? {}).map(([k, v]) => [k, { '+': v }]))
      out[addr] = { balance: { '+': b.balance ?? '0x0' }, nonce: { '+': qty(b.nonce ?? 0) }, code: { '+': b.code ?? '0x' }, storage }
      continue
    }
    const change = (from: string, to: string | undefined): Delta => (to === undefined ? '=' : { '*': { from, to } })
    const storage: Record<string, Delta> = {}
    for (const k of new Set([...Object.keys(a.storage ?? {}), ...Object.keys(b.storage ?? {})])) storage[k] = { '*': { from: a.storage?.[k] ?? ZERO_WORD, to: b.storage?.[k] ?? ZERO_WORD } }
    out[addr] = { balance: change(a.balance!, b.balance), nonce: change(qty(a.nonce ?? 0), b.nonce === undefined ? undefined : qty(b.nonce)), code: change(a.code ?? '0x', b.code), storage }
  }
  return out
}

/** One account's change over a block, in the change set's terms: `undefined` before is "did not exist". */
interface Chained {
  born: boolean
  fields: Map<'balance' | 'nonce' | 'codeHash', [from: bigint | string, to: bigint | string]>
  slots: Map<bigint, [bigint, bigint]>
}

const codeHash = (code: string) => bytesToHex(keccak256(hexToBytes(code)))

/** The transactions' Parity diffs chained in order: per field the first `from` and the last `to`; what ends where it began is dropped. */
function chainDiffs(diffs: Record<string, ParityAccount>[]): Map<string, Chained> {
  const out = new Map<string, Chained>()
  const step = <K, V>(m: Map<K, [V, V]>, k: K, from: V, to: V) => m.set(k, [m.get(k)?.[0] ?? from, to])
  for (const diff of diffs)
    for (const [addr, d] of Object.entries(diff)) {
      let c = out.get(addr)
      if (!c) out.set(addr, (c = { born: typeof d.balance === 'object' && '+' in d.balance, fields: new Map(), slots: new Map() }))
      const fields = [['balance', d.balance, BigInt], ['nonce', d.nonce, BigInt], ['codeHash', d.code, codeHash]] as const
      for (const [name, delta, read] of fields) {
        if (delta === '=') continue
        if ('+' in delta) step(c.fields, name, read(name === 'codeHash' ? '0x' : '0x0'), read(delta['+']))
        else if ('*' in delta) step(c.fields, name, read(delta['*'].from), read(delta['*'].to))
        else throw new Error(`${addr} destroyed: the bench chain destroys nothing`)
      }
      for (const [k, delta] of Object.entries(d.storage)) {
        if (delta === '=' || '-' in delta) throw new Error(`${addr} slot ${k}: unexpected ${JSON.stringify(delta)}`)
        if ('+' in delta) step(c.slots, BigInt(k), 0n, BigInt(delta['+']))
        else step(c.slots, BigInt(k), BigInt(delta['*'].from), BigInt(delta['*'].to))
      }
    }
  for (const [addr, c] of out) {
    for (const [k, [f, t]] of c.fields) if (f === t) c.fields.delete(k)
    for (const [k, [f, t]] of c.slots) if (f === t) c.slots.delete(k)
    if (!c.born && c.fields.size === 0 && c.slots.size === 0) out.delete(addr)
  }
  return out
}

interface ChangeSetAccount {
  address: string
  before: { nonce: string; balance: string; codeHash: string } | null
  after: { nonce: string; balance: string; codeHash: string } | null
  wiped: boolean
  slots: [string, string, string][]
}

/** The change set's account in the chained form, to compare with `chain`'s. */
function changeSetAccount(a: ChangeSetAccount): Chained {
  if (!a.after || a.wiped) throw new Error(`${a.address} destroyed: the bench chain destroys nothing`)
  const before = a.before ?? { nonce: '0x0', balance: '0x0', codeHash: codeHash('0x') }
  const fields: Chained['fields'] = new Map()
  for (const name of ['balance', 'nonce'] as const) if (before[name] !== a.after[name]) fields.set(name, [BigInt(before[name]), BigInt(a.after[name])])
  if (before.codeHash !== a.after.codeHash) fields.set('codeHash', [before.codeHash, a.after.codeHash])
  const slots: Chained['slots'] = new Map(a.slots.filter(([, b, x]) => b !== x).map(([k, b, x]) => [BigInt(k), [BigInt(b), BigInt(x)]]))
  return { born: a.before === null, fields, slots }
}

const root = mkdtempSync(join(tmpdir(), 'mosaic-trace-bench-'))
let node: Child
let txCount = 0

beforeAll(async () => {
  const { rlp, txs } = generateBenchChain(openMemoryStore(), BLOCKS - 5)
  expect(rlp.length).toBe(BLOCKS)
  txCount = txs
  const file = join(root, 'chain.rlp')
  writeFileSync(file, concatBytes(...rlp))
  const datadir = join(root, 'datadir')
  const imp = Bun.spawnSync([MOSAIC, 'import', '--datadir', datadir, '--chain', 'dev', file], { stdout: 'pipe', stderr: 'pipe' })
  if (imp.exitCode !== 0) throw new Error(`import failed: ${imp.stderr.toString()}`)
  node = await startMosaicAt(datadir)
})

afterAll(async () => {
  await node?.stop()
  rmSync(root, { recursive: true, force: true })
})

test(`${BLOCKS} bench blocks: each transaction's trace_replayBlockTransactions stateDiff equals the prestateTracer diff, the block's chained equal mosaic_getStateDiff, trace_block has a call per transaction`, async () => {
  expect(BigInt(await rpc(node.url, 'eth_blockNumber'))).toBe(BigInt(BLOCKS))
  let compared = 0
  let slotsCompared = 0
  let born = 0
  let systemSeen = 0
  let callTraces = 0
  for (let n = 1; n <= BLOCKS; n++) {
    // the cryo-style read (trace_block) in the same batch: the block's parent state is built once for all
    const [replayed, changeSet, block, traces] = await rpcBatch(node.url, [
      ['trace_replayBlockTransactions', [qty(n), ['stateDiff']]],
      ['mosaic_getStateDiff', [qty(n)]],
      ['eth_getBlockByNumber', [qty(n), false]],
      ['trace_block', [qty(n)]],
    ])
    const hashes: string[] = block.transactions
    expect(replayed.map((r: { transactionHash: string }) => r.transactionHash)).toEqual(hashes)
    // one top-level call per transaction, in order; no internal calls on this chain, so nothing else
    expect(traces.map((t: { traceAddress: number[]; transactionHash: string; blockNumber: number }) => [t.traceAddress, t.transactionHash, t.blockNumber])).toEqual(hashes.map((h) => [[], h, n]))
    callTraces += traces.length
    // every transaction's prestate diff from one replay of the block; one of them (a different
    // position each block) also through debug_traceTransaction, which must answer the same
    const config = { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }
    const pick = n % hashes.length
    const [traced, single] = await rpcBatch(node.url, [
      ['debug_traceBlockByNumber', [qty(n), config]],
      ['debug_traceTransaction', [hashes[pick], config]],
    ])
    expect(traced.map((r: { txHash: string }) => r.txHash)).toEqual(hashes)
    const prestate = traced.map((r: { result: unknown }) => r.result)
    expect(single).toEqual(prestate[pick])
    const diffs: Record<string, ParityAccount>[] = replayed.map((r: { stateDiff: Record<string, ParityAccount> }) => r.stateDiff)
    for (let i = 0; i < hashes.length; i++) {
      expect({ block: n, tx: i, diff: diffs[i] }).toEqual({ block: n, tx: i, diff: prestateAsParity(prestate[i]) })
      compared++
    }
    const fromTxs = chainDiffs(diffs)
    const fromBlock = new Map<string, Chained>()
    for (const a of changeSet.accounts as ChangeSetAccount[]) {
      if (SYSTEM_CALL_ACCOUNTS.has(a.address)) systemSeen++
      else fromBlock.set(a.address, changeSetAccount(a))
    }
    expect({ block: n, accounts: fromTxs }).toEqual({ block: n, accounts: fromBlock })
    for (const c of fromTxs.values()) (slotsCompared += c.slots.size), (born += c.born ? 1 : 0)
  }
  expect(compared).toBe(txCount)
  expect(systemSeen).toBe(2 * BLOCKS)
  expect(callTraces).toBe(txCount)
  // the chain has what the comparison claims to cover: storage writes and new accounts
  expect(slotsCompared).toBeGreaterThan(3000)
  expect(born).toBeGreaterThan(1000)
})
