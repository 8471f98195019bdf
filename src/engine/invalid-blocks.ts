/**
 * The blocks newPayload found invalid, remembered so that they and their descendants are refused
 * without executing anything again (paris.md, "Payload validation" 4: an INVALID payload never
 * becomes VALID). Each entry keeps the `latestValidHash` of its answer: the last valid ancestor,
 * which a descendant inherits. Bounded, least recently used out first (a consensus client that
 * keeps sending the same bad chain keeps it in).
 */
import { bytesToHex, ZERO_HASH, type Hash } from '../primitives/index.ts'
import type { Header } from '../types/index.ts'

export interface InvalidBlock {
  /** The last valid ancestor (null when unknown; zero for a PoW parent). */
  latestValidHash: Hash | null
  validationError: string
}

/**
 * The latestValidHash of a block that failed on top of `parent`: the parent, or zero when it is
 * a proof-of-work block (paris.md "Payload validation" 3).
 */
export const latestValidOf = (parentHash: Hash, parent: Pick<Header, 'difficulty'> | undefined): Hash =>
  parent && parent.difficulty > 0n ? ZERO_HASH : parentHash

/** The entry of a descendant of an invalid block: the same last valid ancestor. */
export const descendantOf = (bad: InvalidBlock): InvalidBlock => ({
  latestValidHash: bad.latestValidHash,
  validationError: `links to invalid ancestor: ${bad.validationError}`,
})

/** geth keeps 512 (its invalidBlockLimit). */
export const MAX_INVALID_BLOCKS = 512

export class InvalidBlocks {
  private readonly entries = new Map<string, InvalidBlock>()

  constructor(private readonly max = MAX_INVALID_BLOCKS) {}

  /** The entry of `hash`, refreshed as recently used. */
  get(hash: Hash): InvalidBlock | undefined {
    const key = bytesToHex(hash)
    const e = this.entries.get(key)
    if (e) {
      this.entries.delete(key)
      this.entries.set(key, e)
    }
    return e
  }

  add(hash: Hash, entry: InvalidBlock): void {
    const key = bytesToHex(hash)
    this.entries.delete(key)
    this.entries.set(key, entry)
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!)
  }

  get size(): number {
    return this.entries.size
  }
}
