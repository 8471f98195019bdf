/**
 * Helpers for the block-file tests: a dev chain of transfer blocks (built once, kept in memory)
 * written as an RLP file, the real CLI in a child process, and consistency checks of a stored
 * chain (state root recomputed from the flat state, every canonical block present and linked).
 */
import { writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { bytesToHex, concatBytes, encodeRlp, parseAddress, type Address } from '../../src/primitives/index.ts'
import { decodeFlatAccount, secureRoot } from '../../src/state/index.ts'
import { openMemoryStore, Tables, type KeyValueStore } from '../../src/storage/index.ts'
import { encodeBlock } from '../../src/types/index.ts'
import { build, transfer } from './dev-chain.ts'

export const REPO = new URL('../../', import.meta.url).pathname
export const MOSAIC = `${REPO}bin/mosaic`

export interface DevChain {
  chain: Blockchain
  /** RLP of blocks 1..n. */
  blocks: Uint8Array[]
}

/** Blocks 1..n of ETH transfers from the ten dev accounts, `txs` per block, to `recipients` addresses. */
export function devChain(n: number, txs = 4, recipients = 50): DevChain {
  const chain = Blockchain.open(openMemoryStore(), dev)
  const nonces = new Array<bigint>(10).fill(0n)
  const to = (i: number): Address => parseAddress(`0x${(0xa000 + i).toString(16).padStart(40, '0')}`)
  const blocks: Uint8Array[] = []
  let k = 0
  for (let b = 0; b < n; b++) {
    const list = []
    for (let j = 0; j < txs; j++, k++) {
      const from = k % 10
      list.push({ tx: transfer(from, nonces[from]!++, to(k % recipients), BigInt(1 + (k % 7))), from })
    }
    const built = build(chain, list)
    if (built.skipped.length) throw new Error(`block ${b + 1}: ${built.skipped[0]!.error.message}`)
    chain.insertExecuted(built.executed)
    blocks.push(encodeBlock(built.executed.block))
  }
  return { chain, blocks }
}

/** Writes blocks as a block file (gzip when `path` ends in .gz). */
export function writeBlocks(path: string, blocks: Uint8Array[]): void {
  const bytes = concatBytes(...blocks)
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(bytes) : bytes)
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `bin/mosaic ARGS` to completion. */
export async function mosaic(args: string[]): Promise<CliResult> {
  const p = Bun.spawn([MOSAIC, ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, NO_COLOR: '1' } })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, stdout, stderr }
}

/** Lines of stderr that are not periodic progress lines. */
export const errorLines = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.trim() !== '' && !/^(import|export) number=/.test(l))

/** Every flat account and slot, as sorted hex pairs. */
export function flatDump(db: KeyValueStore): string[] {
  const out: string[] = []
  for (const t of [Tables.accounts, Tables.storage]) for (const [k, v] of db.iterate({ prefix: t.prefix })) out.push(`${bytesToHex(k)}=${bytesToHex(v)}`)
  return out
}

/** The state root of the flat state, from scratch: every account with its storage root, through the native secure trie. */
export function flatStateRoot(db: KeyValueStore): Uint8Array {
  const slots = new Map<string, [Uint8Array, Uint8Array][]>()
  for (const [k, v] of db.iterate({ prefix: Tables.storage.prefix })) {
    const addr = bytesToHex(k.subarray(1, 21))
    let list = slots.get(addr)
    if (!list) slots.set(addr, (list = []))
    list.push([k.subarray(21, 53), encodeRlp(v)])
  }
  const accounts: [Uint8Array, Uint8Array][] = []
  for (const [k, v] of db.iterate({ prefix: Tables.accounts.prefix })) {
    const a = decodeFlatAccount(v)
    const storage = secureRoot(slots.get(bytesToHex(k.subarray(1))) ?? [])
    accounts.push([k.subarray(1), encodeRlp([a.nonce, a.balance, storage, a.codeHash])])
  }
  return secureRoot(accounts)
}

/**
 * Problems of a stored chain: the head's state root against the flat state, and every
 * canonical block 0..head (stored, numbered, linked to its parent, receipts and senders kept),
 * nothing canonical above the head. Empty when consistent.
 */
export function chainProblems(chain: Blockchain): string[] {
  const problems: string[] = []
  const head = chain.head()
  const root = flatStateRoot(chain.db)
  if (bytesToHex(root) !== bytesToHex(head.stateRoot)) problems.push(`flat state root ${bytesToHex(root)} != head ${head.number} state root ${bytesToHex(head.stateRoot)}`)
  let parent: Uint8Array | undefined
  for (let n = 0n; n <= head.number; n++) {
    const hash = chain.canonicalHash(n)
    const block = hash && chain.blockByHash(hash)
    if (!hash || !block) {
      problems.push(`canonical block ${n} missing`)
      break
    }
    if (block.header.number !== n) problems.push(`block at ${n} has number ${block.header.number}`)
    if (parent && bytesToHex(block.header.parentHash) !== bytesToHex(parent)) problems.push(`block ${n} does not link to block ${n - 1n}`)
    if (!chain.receipts(hash) || !chain.senders(hash)) problems.push(`block ${n}: receipts or senders missing`)
    parent = hash
  }
  if (parent && bytesToHex(parent) !== bytesToHex(chain.headBlockHash())) problems.push('the canonical block at the head height is not the head')
  if (chain.canonicalHash(head.number + 1n)) problems.push(`a canonical block above the head ${head.number}`)
  return problems
}
