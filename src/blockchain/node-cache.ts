/**
 * Trie nodes read through a bounded cache. Nodes are content-addressed (key = keccak of the
 * value), so a cached node never goes stale, reorgs included. The nodes a block writes (the
 * paths to everything it touched) are the first ones the next block's commit reads, so import
 * adds them here after each write.
 */
import { trieNodeKey, type KeyValueReader } from '../storage/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'

const keyOf = (hash: Uint8Array): string => Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('latin1')

export class CachedNodeStore implements TrieNodeStore {
  private readonly cache = new Map<string, Uint8Array>()
  /** `maxEntries` bounds memory: about 150 MB at 500k nodes of a mainnet-sized trie. */
  constructor(private readonly db: KeyValueReader, private readonly maxEntries = 250_000) {}

  get(hash: Uint8Array): Uint8Array | undefined {
    const k = keyOf(hash)
    const hit = this.cache.get(k)
    if (hit) return hit
    const v = this.db.get(trieNodeKey(hash))
    if (v) this.put(k, v)
    return v
  }

  /** Nodes just stored. */
  add(nodes: readonly [Uint8Array, Uint8Array][]): void {
    for (const [h, rlp] of nodes) this.put(keyOf(h), rlp)
  }

  private put(k: string, v: Uint8Array): void {
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(k, v)
  }
}
