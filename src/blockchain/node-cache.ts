/**
 * Trie nodes read through a bounded cache. Nodes are content-addressed (key = keccak of the
 * value), so a cached node never goes stale, reorgs included. The nodes a block writes (the
 * paths to everything it touched) are the first ones the next block's commit reads, so import
 * adds them here after each write. A smaller cache holds nodes decoded (the commit's own node
 * objects, or decoded on first use), so hot nodes are not decoded again block after block.
 */
import { equalBytes } from '../primitives/index.ts'
import { trieNodeKey, type KeyValueReader } from '../storage/index.ts'
import { decodeNode, type CommittedNode, type StoredNode, type TrieNodeStore } from '../trie/index.ts'

/** 52 bits of the hash as a number key (cheaper than a string); a hit is checked against the whole hash. */
const slotOf = (h: Uint8Array): number => ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) * 1_048_576 + ((h[4]! << 12) | (h[5]! << 4) | (h[6]! >> 4))

/**
 * A bounded map by slot in two generations: when the young one is full it becomes the old one
 * and the previous old one is dropped; a hit in the old one moves back to the young. (Evicting
 * one entry at a time through `Map.keys()` gets slow on JavaScriptCore once many were deleted.)
 */
class Bounded<V> {
  private young = new Map<number, [Uint8Array, V]>()
  private old = new Map<number, [Uint8Array, V]>()
  constructor(private readonly max: number) {}
  get(slot: number, hash: Uint8Array): V | undefined {
    const young = this.young.get(slot)
    if (young) return equalBytes(young[0], hash) ? young[1] : undefined
    const old = this.old.get(slot)
    if (!old || !equalBytes(old[0], hash)) return undefined
    this.setEntry(slot, old)
    return old[1]
  }
  set(slot: number, hash: Uint8Array, v: V): void {
    this.setEntry(slot, [hash, v])
  }
  private setEntry(slot: number, e: [Uint8Array, V]): void {
    if (this.young.size >= this.max / 2 && !this.young.has(slot)) {
      this.old = this.young
      this.young = new Map()
    }
    this.young.set(slot, e)
  }
}

export class CachedNodeStore implements TrieNodeStore {
  private readonly rlp: Bounded<Uint8Array>
  private readonly decoded: Bounded<StoredNode>
  /** `maxEntries` bounds memory (nodes average a few hundred bytes; a decoded one a few times that). */
  constructor(private readonly db: KeyValueReader, maxEntries = 250_000, maxDecoded = maxEntries / 5) {
    this.rlp = new Bounded(maxEntries)
    this.decoded = new Bounded(maxDecoded)
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    const slot = slotOf(hash)
    const hit = this.rlp.get(slot, hash)
    if (hit) return hit
    const v = this.db.get(trieNodeKey(hash))
    if (v) this.rlp.set(slot, hash.slice(), v)
    return v
  }

  node(hash: Uint8Array): StoredNode | undefined {
    const slot = slotOf(hash)
    const hit = this.decoded.get(slot, hash)
    if (hit) return hit
    const rlp = this.get(hash)
    if (!rlp) return undefined
    const node = decodeNode(rlp)
    this.decoded.set(slot, hash.slice(), node)
    return node
  }

  /** Nodes just stored. */
  add(nodes: readonly CommittedNode[]): void {
    for (const [h, rlp, node] of nodes) {
      const slot = slotOf(h)
      this.rlp.set(slot, h, rlp)
      if (node) this.decoded.set(slot, h, node)
    }
  }
}
