/**
 * Otterscan's API (ots_*) on a chain with internal calls, reverts and contract creations: the
 * same signed transactions at the same timestamps on `bin/mosaic` and on anvil (a factory that
 * CREATEs with value, CREATE2s, calls with value and has a child SELFDESTRUCT; a caught
 * internal revert with a STATICCALL; a DELEGATECALL; a reverted transaction; a block of three
 * transfers). Each answer is checked two ways: against what the same data reads through
 * debug_traceTransaction's callTracer on Mosaic (frames, internal operations, revert data, the
 * transactions touching an address), and field by field against anvil's answer, with every
 * intended difference listed with its reason (as in ./anvil-diff.test.ts). Then the index
 * survives a SIGKILL of a node on a data directory.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeFunctionData, getContractAddress, getCreate2Address, keccak256, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { startChild } from '../child-process.ts'
import { Comparison, type Difference } from './compare.ts'
import { compile } from './contracts.ts'
import { anvilAvailable, CHAIN_ID, MOSAIC, rpc, rpcRaw, startMosaic, startMosaicAndAnvil, type Child } from './processes.ts'
import { sendAll, T0 } from './scenario.ts'

setDefaultTimeout(120_000)

const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Child {
    constructor() payable {}
    function ping() external payable returns (uint256) { return msg.value; }
    function kill(address payable to) external { selfdestruct(to); }
}
contract Factory {
    event Made(address plain, address salted);
    function make(bytes32 salt) external payable returns (address c, address d) {
        c = address(new Child{value: msg.value / 2}());
        d = address(new Child{salt: salt}());
        Child(d).ping{value: 1}();
        Child(c).kill(payable(msg.sender));
        emit Made(c, d);
    }
    function inner() external returns (bool ok) {
        (ok, ) = address(this).call(abi.encodeWithSignature("boom()"));
        (bool s, ) = address(this).staticcall(abi.encodeWithSignature("seven()"));
        require(s);
    }
    function viaDelegate(address c) external returns (bool ok) {
        (ok, ) = c.delegatecall(abi.encodeWithSignature("ping()"));
    }
    function seven() external pure returns (uint256) { return 7; }
    function boom() external pure { revert("boom"); }
    function outer() external { this.boom(); }
    receive() external payable {}
}`

const SALT: Hex = `0x${'11'.repeat(32)}`
const alice = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex)
const bob = privateKeyToAccount(DEV_PRIVATE_KEYS[1] as Hex)
const stranger: Address = '0x00000000000000000000000000000000000c0ffe'
const lower = (a: string) => a.toLowerCase()

/** Every intended difference between Mosaic's and anvil's ots_ answers, with its reason. */
const DIFFERENCES: Difference[] = [
  { kind: 'callTracer', path: '.gas', reason: "the top frame's gas: geth (and Mosaic) report the transaction's gas limit, anvil the gas left after intrinsic gas (as in anvil-diff.test.ts)", check: (m, a) => BigInt(m as string) > BigInt(a as string) },
  { kind: 'trace', path: '.*.value', reason: 'Erigon gives STATICCALL and DELEGATECALL entries no value (null), anvil 0x0', check: (m, a) => m === null && a === '0x0' },
  // blocks: the genesis differs (system contracts, anvil's empty state root), so every hash does
  { kind: 'blockDetails', path: '.block.hash', reason: 'follows from the genesis hash' },
  { kind: 'blockDetails', path: '.block.parentHash', reason: 'follows from the genesis hash' },
  { kind: 'blockDetails', path: '.block.stateRoot', reason: "anvil's genesis has no system contracts and an empty-root stateRoot" },
  { kind: 'blockDetails', path: '.block.mixHash', reason: 'anvil draws a random prevrandao for every block; Mosaic uses zero' },
  { kind: 'blockDetails', path: '.block.totalDifficulty', reason: 'anvil reports totalDifficulty; Mosaic drops it after the merge, as geth does' },
  { kind: 'blockDetails', path: '.block.logsBloom', reason: 'Erigon (and the Otterscan docs) null the logs bloom in block details; anvil returns it whole', check: (m) => m === null },
  { kind: 'blockDetails', path: '.block.size', reason: "anvil leaves the (empty) withdrawals list out of its RLP size: Mosaic's is one byte more", check: (m, a) => BigInt(m as string) === BigInt(a as string) + 1n },
  { kind: 'blockTransactions', path: '.fullblock.hash', reason: 'follows from the genesis hash' },
  { kind: 'blockTransactions', path: '.fullblock.parentHash', reason: 'follows from the genesis hash' },
  { kind: 'blockTransactions', path: '.fullblock.stateRoot', reason: "anvil's genesis has no system contracts" },
  { kind: 'blockTransactions', path: '.fullblock.mixHash', reason: 'anvil draws a random prevrandao' },
  { kind: 'blockTransactions', path: '.fullblock.totalDifficulty', reason: 'anvil reports totalDifficulty' },
  { kind: 'blockTransactions', path: '.fullblock.size', reason: 'anvil leaves the empty withdrawals list out of its size', check: (m, a) => BigInt(m as string) === BigInt(a as string) + 1n },
  { kind: 'blockTransactions', path: '.fullblock.logsBloom', reason: 'Erigon nulls the logs bloom', check: (m) => m === null },
  { kind: 'blockTransactions', path: '.fullblock.transactionCount', reason: "anvil counts the page's transactions, Erigon (and Mosaic) the block's" },
  { kind: 'blockTransactions', path: '.fullblock.transactions.*.blockHash', reason: 'follows from the block hash' },
  { kind: 'blockTransactions', path: '.receipts.*.blockHash', reason: 'follows from the block hash' },
  { kind: 'blockTransactions', path: '.receipts.*.logs', reason: "Erigon's ots_getBlockTransactions returns receipts with logs: null; anvil keeps them", check: (m) => m === null },
  { kind: 'blockTransactions', path: '.receipts.*.logsBloom', reason: 'Erigon nulls the receipts\' logs bloom', check: (m) => m === null },
  { kind: 'blockTransactions', path: '.receipts.*.blobGasPrice', reason: 'anvil adds blobGasPrice to receipts of non-blob transactions; geth and Mosaic do not', check: (m) => m === undefined },
  { kind: 'blockTransactions', path: '.receipts.*.timestamp', reason: 'anvil adds the block time to these receipts too; Erigon only to search results', check: (m) => m === undefined },
  { kind: 'search', path: '.txs.*.blockHash', reason: 'follows from the block hash' },
  { kind: 'search', path: '.receipts.*.blockHash', reason: 'follows from the block hash' },
  { kind: 'search', path: '.receipts.*.logs.*.blockHash', reason: 'follows from the block hash' },
  { kind: 'search', path: '.receipts.*.timestamp', reason: 'Erigon puts the block time in search receipts as a JSON number (header.Time), anvil as a hex string', check: (m, a) => typeof m === 'number' && BigInt(a as string) === BigInt(m) },
  { kind: 'search', path: '.receipts.*.blobGasPrice', reason: 'anvil adds blobGasPrice to receipts of non-blob transactions', check: (m) => m === undefined },
]

/**
 * Differences in what a whole answer holds: where `applies`, anvil's answer is compared with
 * Mosaic's as `adapt` narrows them to what both mean to hold; each must occur.
 */
interface Adapter {
  kind: string
  reason: string
  applies(m: any, a: any): boolean
  adapt(m: any, a: any): [unknown, unknown]
}
const ADAPTERS: (Adapter & { seen?: number })[] = [
  {
    kind: 'trace',
    reason: "anvil builds ots_traceTransaction from Parity traces and keeps only the calls: no CREATE/CREATE2 or SELFDESTRUCT entries ([] for a deployment); Erigon, Otterscan's reference server, lists every frame, and so does Mosaic",
    applies: (m, a) => Array.isArray(m) && Array.isArray(a) && m.length > a.length,
    adapt: (m, a) => [m.filter((e: { type: string }) => e.type.startsWith('CALL') || e.type.endsWith('CALL')), a],
  },
  {
    kind: 'operations',
    reason: "anvil also lists the transaction's own value transfer or deployment (the top frame); Erigon's operations tracer, which Mosaic follows, only what happens below it",
    applies: (m, a) => Array.isArray(m) && Array.isArray(a) && a.length === m.length + 1,
    adapt: (m, a) => [m, a.slice(1)],
  },
  {
    kind: 'search',
    reason: "ots_searchTransactionsAfter: Erigon reverses the whole forward list, so a block's transactions come newest first, as everywhere in the search results; anvil keeps a block's transactions in block order",
    applies: (m, a) => m?.txs && a?.txs && m.txs.length === a.txs.length && JSON.stringify(m.txs.map((t: any) => t.hash)) !== JSON.stringify(a.txs.map((t: any) => t.hash)),
    adapt: (m, a) => [m, newestFirst(a)],
  },
]

/** Search results ordered by block, then index, both descending. */
function newestFirst(r: { txs: { blockNumber: string; transactionIndex: string }[]; receipts: unknown[] }) {
  const order = r.txs.map((t, i) => [BigInt(t.blockNumber) * 1_000_000n + BigInt(t.transactionIndex), i] as const).sort((x, y) => (x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0))
  return { ...r, txs: order.map(([, i]) => r.txs[i]), receipts: order.map(([, i]) => r.receipts[i]) }
}

let mosaic: Child
let anvil: Child
const cmp = new Comparison(DIFFERENCES)
const sent: { label: string; hash: Hex }[] = []
let factory: Address, plainChild: Address, saltedChild: Address
let batchBlock = 0
/** Pages of ots_getBlockTransactions compared with anvil's page counted from the other end. */
let pagesMirrored = 0

const available = anvilAvailable('the Otterscan comparison is')

async function both(method: string, params: unknown[]): Promise<[any, any]> {
  const [m, a] = await Promise.all([rpcRaw(mosaic.url, method, params), rpcRaw(anvil.url, method, params)])
  return [m.error ? { error: m.error } : m.result, a.error ? { error: a.error } : a.result]
}

async function check(kind: string, label: string, method: string, params: unknown[]): Promise<any> {
  const [m, a] = await both(method, params)
  const adapter = ADAPTERS.find((x) => x.kind === kind && x.applies(m, a))
  if (adapter) adapter.seen = (adapter.seen ?? 0) + 1
  const [mm, aa] = adapter ? adapter.adapt(m, a) : [m, a]
  cmp.compare(kind, label, mm, aa)
  return m
}

const fees = { chainId: CHAIN_ID, type: 'eip1559' as const, maxFeePerGas: 5_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }

beforeAll(async () => {
  if (!available) return
  ;[mosaic, anvil] = await startMosaicAndAnvil()
  const urls = [mosaic.url, anvil.url]
  const { Factory, Child: ChildC } = compile(SOURCE, ['Factory', 'Child'])
  const call = (functionName: string, args: unknown[] = []) => encodeFunctionData({ abi: Factory.abi, functionName, args } as never)
  factory = getContractAddress({ from: alice.address, nonce: 0n })
  plainChild = getContractAddress({ from: factory, nonce: 1n })
  saltedChild = getCreate2Address({ from: factory, salt: SALT, bytecodeHash: keccak256(ChildC.bytecode) })
  let t = T0
  let nonce = 0
  const send = async (label: string, tx: Record<string, unknown>, who = alice, n = nonce++) => {
    sent.push({ label, hash: await sendAll(urls, await who.signTransaction({ ...fees, nonce: n, ...tx } as never), t) })
    t += 12n
  }
  await send('deploy the factory', { gas: 2_000_000n, data: Factory.bytecode })
  await send('make: CREATE with value, CREATE2, a call with value, a SELFDESTRUCT', { gas: 1_000_000n, to: factory, value: 1000n, data: call('make', [SALT]) })
  await send('inner: a caught revert and a STATICCALL', { gas: 200_000n, to: factory, data: call('inner') })
  await send('viaDelegate: a DELEGATECALL', { gas: 200_000n, to: factory, data: call('viaDelegate', [saltedChild]) })
  await send('outer: a reverted transaction', { gas: 200_000n, to: factory, data: call('outer') })
  await send('bob pays the factory', { gas: 50_000n, to: factory, value: 5n }, bob, 0)
  // three transfers in one block (ots_getBlockTransactions pages)
  for (const url of urls) await rpc(url, 'evm_setAutomine', [false])
  const raws = await Promise.all([1, 2, 3].map((n) => bob.signTransaction({ ...fees, nonce: n, gas: 21_000n, to: stranger, value: BigInt(n) })))
  for (const raw of raws) {
    const hs = await Promise.all(urls.map((u) => rpc(u, 'eth_sendRawTransaction', [raw])))
    sent.push({ label: 'transfer in a shared block', hash: hs[0] })
  }
  for (const url of urls) {
    await rpc(url, 'evm_mine', [Number(t)])
    await rpc(url, 'evm_setAutomine', [true])
  }
  batchBlock = Number(await rpc(mosaic.url, 'eth_blockNumber'))
})

afterAll(async () => {
  await Promise.all([mosaic?.stop(), anvil?.stop()])
})

interface CallFrame {
  type: string
  from: string
  to?: string
  value?: string
  input: string
  output?: string
  error?: string
  calls?: CallFrame[]
}

/** The callTracer's frames in the order they were entered, with their depth. */
function frames(f: CallFrame, depth = 0, out: (CallFrame & { depth: number })[] = []) {
  out.push({ ...f, depth })
  for (const c of f.calls ?? []) frames(c, depth + 1, out)
  return out
}

const callTrace = async (hash: Hex): Promise<CallFrame> => rpc(mosaic.url, 'debug_traceTransaction', [hash, { tracer: 'callTracer' }])

describe.skipIf(!available)('ots_* on Mosaic against the callTracer and against anvil', () => {
  test('the scenario ran: blocks, statuses, the batch block holds three transactions', async () => {
    const statuses = await Promise.all(sent.map(async (s) => (await rpc(mosaic.url, 'eth_getTransactionReceipt', [s.hash])).status))
    expect(statuses.filter((s) => s === '0x0')).toHaveLength(1)
    expect((await rpc(mosaic.url, 'eth_getBlockByNumber', [`0x${batchBlock.toString(16)}`, false])).transactions).toHaveLength(3)
    const [m, a] = await both('ots_getApiLevel', [])
    expect(m).toBe(8)
    expect(a).toBe(8)
  })

  test('ots_traceTransaction lists the callTracer frames in order, SELFDESTRUCT frames included', async () => {
    let selfDestructs = 0
    for (const s of sent) {
      const ots = (await check('trace', s.label, 'ots_traceTransaction', [s.hash])) as Record<string, unknown>[]
      const expected = frames(await callTrace(s.hash)).map((f) => ({
        type: f.type,
        depth: f.depth,
        from: f.from,
        to: f.to,
        value: f.type === 'STATICCALL' || f.type === 'DELEGATECALL' ? null : (f.value ?? '0x0'),
        input: f.input,
        output: f.output ?? '0x',
      }))
      selfDestructs += ots.filter((e) => e.type === 'SELFDESTRUCT').length
      expect(ots).toEqual(expected)
    }
    expect(selfDestructs).toBe(1)
  })

  test('ots_getInternalOperations: the value moves, creations and self-destructs below the top frame', async () => {
    const make = sent[1]!.hash
    const ops = await check('operations', 'make', 'ots_getInternalOperations', [make])
    const fromTrace = frames(await callTrace(make))
      .filter((f) => f.depth > 0 && (f.type === 'CREATE' || f.type === 'CREATE2' || f.type === 'SELFDESTRUCT' || (f.type === 'CALL' && BigInt(f.value ?? 0) !== 0n)))
      .map((f) => ({ type: { CALL: 0, SELFDESTRUCT: 1, CREATE: 2, CREATE2: 3 }[f.type as 'CALL'], from: f.from, to: f.to, value: f.value }))
    expect(ops).toEqual(fromTrace)
    // the child's balance (half of 1000 wei) went back to alice
    expect(ops.filter((o: { type: number }) => o.type === 1)).toEqual([{ type: 1, from: lower(plainChild), to: lower(alice.address), value: '0x1f4' }])
    // and the callTracer agrees with anvil's on the make transaction, SELFDESTRUCT frame included
    const [m, a] = await both('debug_traceTransaction', [make, { tracer: 'callTracer' }])
    cmp.compare('callTracer', 'make', m, a)
    for (const s of sent.slice(2)) await check('operations', s.label, 'ots_getInternalOperations', [s.hash])
  })

  test("ots_getTransactionError is the reverted transaction's revert data, 0x otherwise", async () => {
    let reverted = 0
    for (const s of sent) {
      const err = await check('error', s.label, 'ots_getTransactionError', [s.hash])
      const top = await callTrace(s.hash)
      expect(err).toBe(top.error === 'execution reverted' ? top.output : '0x')
      if (err !== '0x') reverted++
    }
    expect(reverted).toBe(1)
  })

  test('ots_hasCode, ots_getContractCreator, ots_getTransactionBySenderAndNonce', async () => {
    const codes: boolean[] = []
    for (const a of [factory, saltedChild, plainChild, alice.address, stranger]) {
      codes.push(await check('hasCode', a, 'ots_hasCode', [a, 'latest']))
      await check('hasCode', `${a} @1`, 'ots_hasCode', [a, '0x1'])
    }
    // the plain child self-destructed in the transaction that created it (EIP-6780): no code
    expect(codes).toEqual([true, true, false, false, false])
    expect(await check('creator', 'factory', 'ots_getContractCreator', [factory])).toEqual({ hash: sent[0]!.hash, creator: lower(alice.address) })
    expect(await check('creator', 'CREATE2 child', 'ots_getContractCreator', [saltedChild])).toEqual({ hash: sent[1]!.hash, creator: lower(factory) })
    expect(await check('creator', 'an account', 'ots_getContractCreator', [alice.address])).toBeNull()
    for (let n = 0; n <= 5; n++) {
      const h = await check('nonce', `alice ${n}`, 'ots_getTransactionBySenderAndNonce', [alice.address, n])
      expect(h).toBe(n < 5 ? sent[n]!.hash : null)
    }
    expect(await check('nonce', 'bob 3', 'ots_getTransactionBySenderAndNonce', [bob.address, 3])).toBe(sent[8]!.hash)
  })

  test('ots_getBlockDetails(ByHash) and ots_getBlockTransactions', async () => {
    for (let n = 1; n <= batchBlock; n++) {
      const d = await check('blockDetails', `block ${n}`, 'ots_getBlockDetails', [n])
      const block = await rpc(mosaic.url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, false])
      expect(await rpc(mosaic.url, 'ots_getBlockDetailsByHash', [block.hash])).toEqual(d)
      expect(d.block.transactionCount).toBe(block.transactions.length)
      // total fees: effective gas price × gas used over the block's receipts
      const receipts = await rpc(mosaic.url, 'eth_getBlockReceipts', [block.number])
      expect(BigInt(d.totalFees)).toBe(receipts.reduce((s: bigint, r: { effectiveGasPrice: string; gasUsed: string }) => s + BigInt(r.effectiveGasPrice) * BigInt(r.gasUsed), 0n))
    }
    const page = (n: number, size: number) => rpc(mosaic.url, 'ots_getBlockTransactions', [batchBlock, n, size])
    const hashes = (p: { fullblock: { transactions: { hash: string }[] } }) => p.fullblock.transactions.map((t) => t.hash)
    // Erigon's pages count from the block's end: page 0 holds its last two transactions
    expect(hashes(await page(0, 2))).toEqual([sent[7]!.hash, sent[8]!.hash])
    expect(hashes(await page(1, 2))).toEqual([sent[6]!.hash])
    expect(hashes(await page(2, 2))).toEqual([])
    // anvil counts pages from the block's start: Mosaic's page p of one is anvil's page 2 - p
    for (let p = 0; p < 3; p++) {
      const [m, a] = await Promise.all([page(p, 1), rpc(anvil.url, 'ots_getBlockTransactions', [batchBlock, 2 - p, 1])])
      pagesMirrored++
      cmp.compare('blockTransactions', `batch page ${p} of one`, m, a)
    }
    await check('blockTransactions', 'make block', 'ots_getBlockTransactions', [2, 0, 25])
  })

  test('ots_searchTransactionsBefore/After find every transaction whose frames touch the address', async () => {
    const touching = new Map<string, Set<string>>()
    for (const s of sent)
      for (const f of frames(await callTrace(s.hash)))
        for (const a of [f.from, f.to]) if (a) touching.set(a, (touching.get(a) ?? new Set()).add(s.hash))
    const addresses = [alice.address, bob.address, factory, saltedChild, plainChild, stranger]
    for (const a of addresses) {
      const before = await check('search', `${a} before latest`, 'ots_searchTransactionsBefore', [a, 0, 25])
      const after = await check('search', `${a} after genesis`, 'ots_searchTransactionsAfter', [a, 0, 25])
      const want = [...(touching.get(lower(a)) ?? [])]
      expect(new Set(before.txs.map((t: { hash: string }) => t.hash))).toEqual(new Set(want))
      expect(after.txs).toEqual(before.txs)
      expect(before.receipts.map((r: { transactionHash: string }) => r.transactionHash)).toEqual(before.txs.map((t: { hash: string }) => t.hash))
      expect([before.firstPage, before.lastPage, after.firstPage, after.lastPage]).toEqual([true, true, true, true])
      // newest first
      const numbers = before.txs.map((t: { blockNumber: string }) => Number(t.blockNumber))
      expect(numbers).toEqual([...numbers].sort((x, y) => y - x))
    }
    // pages of two, walked down from the head and up from genesis: the whole history, once
    const pages: string[] = []
    let cursor = 0
    for (let i = 0; i < 10; i++) {
      const p = await check('search', `alice page ${i}`, 'ots_searchTransactionsBefore', [alice.address, cursor, 2])
      pages.push(...p.txs.map((t: { hash: string }) => t.hash))
      if (p.lastPage) break
      cursor = Number(p.txs.at(-1).blockNumber)
    }
    expect(pages).toEqual(sent.slice(0, 5).map((s) => s.hash).reverse())
    const up = await check('search', 'alice after block 2', 'ots_searchTransactionsAfter', [alice.address, 2, 2])
    expect(up.txs.map((t: { hash: string }) => t.hash)).toEqual([sent[3]!.hash, sent[2]!.hash])
    expect([up.firstPage, up.lastPage]).toEqual([false, false])
    expect((await rpcRaw(mosaic.url, 'ots_searchTransactionsBefore', [alice.address, 0, 100_000])).error?.code).toBe(-32005)
  })

  test('bad input gets JSON-RPC errors, unknown things null or -32000', async () => {
    const code = async (method: string, params: unknown[]) => (await rpcRaw(mosaic.url, method, params)).error?.code
    expect(await code('ots_traceTransaction', ['0x12'])).toBe(-32602)
    expect(await code('ots_traceTransaction', [`0x${'00'.repeat(32)}`])).toBe(-32000)
    expect(await code('ots_getTransactionError', [])).toBe(-32602)
    expect(await code('ots_searchTransactionsBefore', [alice.address, -1, 25])).toBe(-32602)
    expect(await code('ots_searchTransactionsAfter', ['0xnotanaddress', 0, 25])).toBe(-32602)
    expect(await code('ots_getBlockTransactions', [1, 0])).toBe(-32602)
    expect(await code('ots_getApiLevel', [1])).toBe(-32602)
    expect(await rpc(mosaic.url, 'ots_getBlockDetails', [10_000])).toBeNull()
    expect(await rpc(mosaic.url, 'ots_getBlockTransactions', [10_000, 0, 10])).toBeNull()
  })

  test('every intended difference still occurs, and nothing else differs', () => {
    expect(cmp.compared).toBeGreaterThan(60)
    expect(cmp.unexpected).toEqual([])
    expect(cmp.failedChecks).toEqual([])
    expect(cmp.unseen()).toEqual([])
    expect(ADAPTERS.filter((x) => !x.seen).map((x) => x.reason)).toEqual([])
    // ots_getBlockTransactions: Erigon (and Mosaic) count pages from the block's end, as Otterscan
    // expects (it lists a block's last transactions first); anvil counts them from the start
    expect(pagesMirrored).toBe(3)
  })
})

test('the index survives a SIGKILL: a restarted node on the same data directory finds the internal call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-ots-'))
  const start = async () => {
    const child = await startChild([MOSAIC, '--datadir', dir, '--http.port', '0'], { ready: { url: /HTTP server started.*endpoint=(http:\/\/\S+)/ }, name: 'mosaic', timeoutMs: 30_000 })
    return { url: child.match.url[1]!, proc: child.proc, stop: () => child.stop() }
  }
  let n = await start()
  try {
    const { Factory } = compile(SOURCE, ['Factory'])
    await rpc(n.url, 'eth_sendTransaction', [{ from: alice.address, data: Factory.bytecode, gas: '0x1e8480' }])
    const f = getContractAddress({ from: alice.address, nonce: 0n })
    const salted = (await rpc(n.url, 'eth_call', [{ to: f, data: encodeFunctionData({ abi: Factory.abi, functionName: 'make', args: [SALT] }), value: '0x2' }]))
    expect(salted.length).toBe(130)
    const hash = await rpc(n.url, 'eth_sendTransaction', [{ from: alice.address, to: f, value: '0x2', gas: '0xf4240', data: encodeFunctionData({ abi: Factory.abi, functionName: 'make', args: [SALT] }) }])
    n.proc.kill('SIGKILL')
    await n.proc.exited
    n = await start()
    const child = `0x${salted.slice(90)}`
    const found = await rpc(n.url, 'ots_searchTransactionsBefore', [child, 0, 25])
    expect(found.txs.map((t: { hash: string }) => t.hash)).toEqual([hash])
    expect(await rpc(n.url, 'ots_getContractCreator', [child])).toEqual({ hash, creator: lower(f) })
  } finally {
    await n.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('where the Engine API drives the chain the index is off unless --ots.index asks for it; the searches say so', async () => {
  for (const [flags, on] of [[['--dev.engine'], false], [['--dev.engine', '--ots.index'], true]] as const) {
    const n = await startMosaic([...flags])
    try {
      const r = await rpcRaw(n.url, 'ots_searchTransactionsBefore', [alice.address, 0, 25])
      if (on) expect(r.result).toEqual({ txs: [], receipts: [], firstPage: true, lastPage: true })
      else expect([r.error?.code, r.error?.message]).toEqual([-32601, 'the address index is not running on this node (on by default for the dev node; start with --ots.index)'])
      // the per-transaction methods need no index
      expect((await rpcRaw(n.url, 'ots_getApiLevel', [])).result).toBe(8)
    } finally {
      await n.stop()
    }
  }
})
