import type { HashNode, TrieNode } from './node.ts'

/** A node as stored (not a bare hash reference). */
export type StoredNode = Exclude<TrieNode, HashNode>

/** A node a commit created: its hash, its RLP and, when the trie has it, the node itself. */
export type CommittedNode = [hash: Uint8Array, rlp: Uint8Array, node?: StoredNode]

/** Where an incremental trie finds nodes it knows only by hash. */
export interface TrieNodeStore {
  get(hash: Uint8Array): Uint8Array | undefined
  /**
   * The node decoded, for a store that keeps decoded nodes (saves the RLP decode of hot nodes).
   * Tries never modify a node they resolve: updates copy the path they change.
   */
  node?(hash: Uint8Array): StoredNode | undefined
}

/** An in-memory node store keyed by hash (hex), for tests and for tries rebuilt in memory. */
export class MemoryNodeStore implements TrieNodeStore {
  private readonly nodes = new Map<string, Uint8Array>()
  get(hash: Uint8Array): Uint8Array | undefined {
    return this.nodes.get(Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('hex'))
  }
  put(hash: Uint8Array, rlp: Uint8Array): void {
    this.nodes.set(Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('hex'), rlp)
  }
  /** Writes every node of a commit. */
  apply(nodes: Iterable<readonly [Uint8Array, Uint8Array, ...unknown[]]>): void {
    for (const [h, rlp] of nodes) this.put(h, rlp)
  }
  get size(): number {
    return this.nodes.size
  }
}
