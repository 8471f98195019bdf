/**
 * The skeleton: headers downloaded back from the sync target and not yet imported, kept in the
 * store (table `syncHeaders`, by number) with the target under meta `syncTarget`, so that memory
 * stays flat however long the chain is and a restart resumes without fetching them again. The
 * target's record holds the forkchoice's safe and finalized hashes too (in the same write), so a
 * resumed sync applies them at the end.
 *
 * Invariant, at every write (each is one atomic batch): the headers from `tail` to `number` are
 * stored, each the parent of the next, the one at `number` hashing to `hash`. Entries outside
 * that range are leftovers of an earlier target and are never read. Headers are checked before
 * they are written (header-chain.ts); imported ones are deleted as the tail moves up.
 *
 * Callers: the syncer.
 */
import { bytesToHex, decodeRlp, encodeRlp, equalBytes, rlpFixed, rlpList, rlpUint, type Hash } from '../primitives/index.ts'
import { MetaKeys, syncHeaderKey, Tables, type KeyValueStore } from '../storage/index.ts'
import { decodeHeader, encodeHeader, headerHash, type Header } from '../types/index.ts'

export interface SkeletonState {
  /** The target block's hash and number. */
  hash: Hash
  number: bigint
  /** Lowest stored header of the target's chain (`number + 1` while none is). */
  tail: bigint
  /** The forkchoice's safe and finalized blocks named with the target (none for a newPayload target). */
  forkchoice?: { safeBlockHash: Hash; finalizedBlockHash: Hash }
}

export interface Skeleton {
  state(): SkeletonState | undefined
  header(number: bigint): Header | undefined
  /**
   * Stores `headers` (descending, the lowest last) as the target's chain from its tail down and
   * records the new state, in one batch; `drop` numbers are deleted in the same batch.
   */
  extend(state: SkeletonState, headers: readonly Header[], drop?: { from: bigint; to: bigint }): void
  /** Deletes imported headers below `tail` (down to the old tail) and records the new tail. */
  advance(tail: bigint): void
  /** Forgets the target and every stored header. */
  clear(): void
}

/** RLP [hash, number, tail] and, with a forkchoice, [..., safe, finalized]. */
function encodeState(s: SkeletonState): Uint8Array {
  const fc = s.forkchoice ? [s.forkchoice.safeBlockHash, s.forkchoice.finalizedBlockHash] : []
  return encodeRlp([s.hash, s.number, s.tail, ...fc])
}

function decodeState(b: Uint8Array): SkeletonState | undefined {
  try {
    const l = rlpList(decodeRlp(b), 'sync target')
    const st: SkeletonState = { hash: rlpFixed(l[0], 'hash', 32), number: rlpUint(l[1], 'number', 8), tail: rlpUint(l[2], 'tail', 8) }
    if (l.length >= 5) st.forkchoice = { safeBlockHash: rlpFixed(l[3], 'safe', 32), finalizedBlockHash: rlpFixed(l[4], 'finalized', 32) }
    return st
  } catch {
    return undefined // a record this build cannot read: start over
  }
}

export function openSkeleton(db: KeyValueStore): Skeleton {
  let current = (() => {
    const raw = db.get(MetaKeys.syncTarget)
    return raw ? decodeState(raw) : undefined
  })()
  const header = (n: bigint) => {
    const raw = db.get(syncHeaderKey(n))
    return raw ? decodeHeader(raw) : undefined
  }
  // a state whose top is not stored or not its hash (a torn record) is dropped
  if (current && current.tail <= current.number) {
    const top = header(current.number)
    if (!top || !equalBytes(headerHash(top), current.hash)) current = undefined
  }
  return {
    state: () => current,
    header,
    extend(state, headers, drop) {
      const batch = db.batch()
      for (const h of headers) batch.put(syncHeaderKey(h.number), encodeHeader(h))
      if (drop) for (let n = drop.from; n <= drop.to; n++) batch.delete(syncHeaderKey(n))
      batch.put(MetaKeys.syncTarget, encodeState(state))
      batch.write()
      current = state
    },
    advance(tail) {
      if (!current || tail <= current.tail) return
      const batch = db.batch()
      for (let n = current.tail; n < tail && n <= current.number; n++) batch.delete(syncHeaderKey(n))
      current = { ...current, tail }
      batch.put(MetaKeys.syncTarget, encodeState(current))
      batch.write()
    },
    clear() {
      const batch = db.batch()
      for (const [k] of db.iterate({ prefix: Tables.syncHeaders.prefix })) batch.delete(k)
      batch.delete(MetaKeys.syncTarget)
      batch.write()
      current = undefined
    },
  }
}

