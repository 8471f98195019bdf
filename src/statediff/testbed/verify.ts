/**
 * Checking a store against Mosaic's own state: sampled reads of accounts and slots (a
 * `Probe`), and the full comparison — every account, slot and code of the chain's flat tables
 * read back from the store, and the store's entry counts against the chain's (so a store with
 * extra entries fails too). The first difference is returned as a `Mismatch` naming the key and
 * both values.
 */
import { bigintToHex, bytesToBigint, bytesToHex, equalBytes, type Address } from '../../primitives/index.ts'
import { decodeFlatAccount, EMPTY_CODE_HASH, type FlatAccount, type FlatReader } from '../../state/index.ts'
import { codeKey, Tables, type KeyValueReader } from '../../storage/index.ts'
import type { DiffSource } from '../source.ts'
import type { StateStore } from '../store.ts'
import type { AccountState, BlockRef } from '../types.ts'

export interface Mismatch {
  /** `account 0x…`, `slot 0x… 0x…`, `code 0x…`, `entries.accounts` … */
  key: string
  /** Mosaic's value. */
  expected: string
  /** The store's. */
  actual: string
  /** The account and slot, when the key is one (to find the block that last wrote it). */
  address?: Address
  slot?: bigint
}

/** A key to read back: an account, or one of its slots. */
export type Probe = { address: Address; slot?: bigint }

const showAccount = (a: AccountState | FlatAccount | undefined) => (a ? `nonce ${a.nonce}, balance ${a.balance}, codeHash ${bytesToHex(a.codeHash)}` : 'absent')
const sameAccount = (a: AccountState | undefined, b: FlatAccount | undefined) =>
  a === undefined || b === undefined ? a === b : a.nonce === b.nonce && a.balance === b.balance && equalBytes(a.codeHash, b.codeHash)

/** Compares one account or slot; `timed` gets each store read's duration (ms). */
export async function checkProbe(reference: FlatReader, store: StateStore, p: Probe, timed?: (ms: number) => void): Promise<Mismatch | undefined> {
  const t = performance.now()
  if (p.slot === undefined) {
    const got = await store.account(p.address)
    timed?.(performance.now() - t)
    const want = reference.getFlatAccount(p.address)
    if (!sameAccount(got, want)) return { key: `account ${bytesToHex(p.address)}`, expected: showAccount(want), actual: showAccount(got), address: p.address }
    return undefined
  }
  const got = await store.slot(p.address, p.slot)
  timed?.(performance.now() - t)
  const want = reference.getStorage(p.address, p.slot)
  if (got !== want) return { key: `slot ${bytesToHex(p.address)} ${bigintToHex(p.slot)}`, expected: bigintToHex(want), actual: bigintToHex(got), address: p.address, slot: p.slot }
  return undefined
}

export interface FullComparison {
  mismatch?: Mismatch
  /** Mosaic's entries. */
  entries: { accounts: number; slots: number; codes: number }
  /** Bytes of Mosaic's flat entries (keys and values): the logical size of the state. */
  logicalBytes: number
}

/** Every entry of the chain's flat state read back from the store, then the entry counts. */
export async function compareAll(db: KeyValueReader, store: StateStore): Promise<FullComparison> {
  const entries = { accounts: 0, slots: 0, codes: 0 }
  let logicalBytes = 0
  const codes = new Set<string>()
  const done = (mismatch: Mismatch) => ({ mismatch, entries, logicalBytes })
  for (const [k, v] of db.iterate({ prefix: Tables.accounts.prefix })) {
    entries.accounts++
    logicalBytes += k.length - 1 + v.length
    const address = k.subarray(1)
    const want = decodeFlatAccount(v)
    const got = await store.account(address)
    if (!sameAccount(got, want)) return done({ key: `account ${bytesToHex(address)}`, expected: showAccount(want), actual: showAccount(got), address })
    if (!equalBytes(want.codeHash, EMPTY_CODE_HASH)) codes.add(bytesToHex(want.codeHash))
  }
  for (const [k, v] of db.iterate({ prefix: Tables.storage.prefix })) {
    entries.slots++
    logicalBytes += k.length - 1 + v.length
    const address = k.subarray(1, 21)
    const slot = bytesToBigint(k.subarray(21))
    const want = bytesToBigint(v)
    const got = await store.slot(address, slot)
    if (got !== want) return done({ key: `slot ${bytesToHex(address)} ${bigintToHex(slot)}`, expected: bigintToHex(want), actual: bigintToHex(got), address, slot })
  }
  for (const h of codes) {
    const want = db.get(codeKey(Uint8Array.fromHex(h.slice(2))))!
    entries.codes++
    logicalBytes += 32 + want.length
    const got = await store.code(Uint8Array.fromHex(h.slice(2)))
    if (!got || !equalBytes(got, want)) return done({ key: `code ${h}`, expected: `${want.length} bytes`, actual: got ? `${got.length} other bytes` : 'absent' })
  }
  const stats = await store.stats()
  for (const k of ['accounts', 'slots'] as const)
    if (stats.entries[k] !== entries[k]) return done({ key: `entries.${k}`, expected: String(entries[k]), actual: String(stats.entries[k]) })
  return { entries, logicalBytes }
}

/** The newest canonical block at or below `from` whose diff wrote the key (account, or slot), scanning back at most `limit` blocks. */
export function lastWrite(source: Pick<DiffSource, 'canonicalHash' | 'changeSet'>, from: bigint, key: { address: Address; slot?: bigint }, limit = 100_000): BlockRef | undefined {
  for (let n = from; n >= 0n && from - n < BigInt(limit); n--) {
    const hash = source.canonicalHash(n)
    const cs = hash && source.changeSet(n, hash)
    if (!cs) return undefined
    for (const c of cs) {
      if (!equalBytes(c.address, key.address)) continue
      if (key.slot === undefined || c.slots.some(([s]) => s === key.slot) || c.wiped.some(([s]) => s === key.slot)) return { number: n, hash: hash! }
    }
  }
  return undefined
}
