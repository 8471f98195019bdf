/**
 * Trie nodes read through a bounded cache. Nodes are content-addressed (key = keccak of the
 * value), so a cached node never goes stale, reorgs included. The nodes a block writes (the
 * paths to everything it touched) are the first ones the next block's commit reads, so import
 * adds them here after each write.
 */
import { equalBytes } from '../primitives/index.ts'
import { trieNodeKey, type KeyValueReader } from '../storage/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'

/** 52 bits of the hash as a number key (cheaper than a string); a hit is checked against the whole hash. */
const slotOf = (h: Uint8Array): number => ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) * 1_048_576 + ((h[4]! << 12) | (h[5]! << 4) | (h[6]! >> 4))

export class CachedNodeStore implements TrieNodeStore {
  private readonly cache = new Map<number, [Uint8Array, Uint8Array]>()
  /** `maxEntries` bounds memory (nodes average a few hundred bytes). */
  constructor(private readonly db: KeyValueReader, private readonly maxEntries = 250_000) {}

  get(hash: Uint8Array): Uint8Array | undefined {
    const slot = slotOf(hash)
    const hit = this.cache.get(slot)
    if (hit && equalBytes(hit[0], hash)) return hit[1]
    const v = this.db.get(trieNodeKey(hash))
    if (v) this.put(slot, hash.slice(), v)
    return v
  }

  /** Nodes just stored. */
  add(nodes: readonly [Uint8Array, Uint8Array][]): void {
    for (const [h, rlp] of nodes) this.put(slotOf(h), h, rlp)
  }

  private put(slot: number, hash: Uint8Array, rlp: Uint8Array): void {
    if (this.cache.size >= this.maxEntries && !this.cache.has(slot)) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(slot, [hash, rlp])
  }
}
