/**
 * The record a persistent adapter keeps beside its data and writes in the same atomic step as
 * each block: the head, the transitions applied and the entry counts (kept from the diffs, so
 * `stats()` needs no scan). RLP: [number, hash, transitions, accounts, slots, codes]; absent
 * for an empty store.
 */
import { decodeRlp, encodeRlp, rlpFixed, rlpList, rlpUint } from '../../primitives/index.ts'
import { entryDelta } from '../diff.ts'
import type { StoreStats } from '../store.ts'
import type { BlockDiff, BlockRef } from '../types.ts'
import { headAfter } from './order.ts'

export interface StoreMeta {
  head: BlockRef | undefined
  transitions: number
  entries: StoreStats['entries']
}

export const emptyMeta = (): StoreMeta => ({ head: undefined, transitions: 0, entries: { accounts: 0, slots: 0, codes: 0 } })

export function encodeMeta(m: StoreMeta): Uint8Array {
  const e = m.entries
  return encodeRlp(m.head ? [m.head.number, m.head.hash, m.transitions, e.accounts, e.slots, e.codes] : [])
}

export function decodeMeta(bytes: Uint8Array | undefined): StoreMeta {
  if (!bytes) return emptyMeta()
  const f = rlpList(decodeRlp(bytes), 'store meta')
  if (f.length === 0) return emptyMeta()
  const n = (i: number) => Number(rlpUint(f[i], 'store meta', 8))
  return { head: { number: rlpUint(f[0], 'head number', 8), hash: rlpFixed(f[1], 'head hash', 32) }, transitions: n(2), entries: { accounts: n(3), slots: n(4), codes: n(5) } }
}

/** The meta after `d`, with `newCodes` codes the store did not have. */
export function metaAfter(m: StoreMeta, d: BlockDiff, newCodes: number): StoreMeta {
  const delta = entryDelta(d)
  return {
    head: headAfter(d),
    transitions: m.transitions + 1,
    entries: { accounts: m.entries.accounts + delta.accounts, slots: m.entries.slots + delta.slots, codes: m.entries.codes + newCodes },
  }
}
