/**
 * What every adapter checks before writing a block: that the diff follows its head (a commit
 * of the head's child, a revert of the head itself), so a gap or a block applied twice is an
 * error rather than a silently wrong store. And the head after it.
 */
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { StateDiffError } from '../errors.ts'
import type { BlockDiff, BlockRef } from '../types.ts'

export function checkFollows(store: string, head: BlockRef | undefined, d: BlockDiff, op: 'apply' | 'revert'): void {
  const where = head ? `block ${head.number} ${bytesToHex(head.hash)}` : 'no block (empty)'
  if (op === 'apply') {
    if (d.direction !== 'commit') throw new StateDiffError('OUT_OF_ORDER', `${store}: apply was given the revert diff of block ${d.number}`)
    const ok = head ? d.number === head.number + 1n && equalBytes(d.parentHash, head.hash) : d.number === 0n
    if (!ok) throw new StateDiffError('OUT_OF_ORDER', `${store}: block ${d.number} (parent ${bytesToHex(d.parentHash)}) does not follow the store's head, ${where}`)
  } else {
    if (d.direction !== 'revert') throw new StateDiffError('OUT_OF_ORDER', `${store}: revert was given the commit diff of block ${d.number}`)
    if (!head || head.number !== d.number || !equalBytes(head.hash, d.hash))
      throw new StateDiffError('OUT_OF_ORDER', `${store}: cannot revert block ${d.number} ${bytesToHex(d.hash)}: the store's head is ${where}`)
  }
}

/** Whether two heads are the same block (both undefined: both empty). */
export const sameRef = (a: BlockRef | undefined, b: BlockRef | undefined): boolean => (a === undefined ? b === undefined : b !== undefined && a.number === b.number && equalBytes(a.hash, b.hash))

/** The store's head after applying or reverting `d`. */
export const headAfter = (d: BlockDiff): BlockRef | undefined =>
  d.direction === 'commit' ? { number: d.number, hash: d.hash } : d.number === 0n ? undefined : { number: d.number - 1n, hash: d.parentHash }

/** `apply` and `revert` of an adapter whose one `write` moves its data and head in one atomic step. */
export function orderedWrites(store: string, head: () => BlockRef | undefined, write: (d: BlockDiff) => void): { apply(d: BlockDiff): void; revert(d: BlockDiff): void } {
  return {
    apply(d) {
      checkFollows(store, head(), d, 'apply')
      write(d)
    },
    revert(d) {
      checkFollows(store, head(), d, 'revert')
      write(d)
    },
  }
}
