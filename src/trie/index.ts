/**
 * Layer 2: the Merkle-Patricia trie. Whole-set roots (transactions, receipts, withdrawals, full
 * state) come from one native call (`trieRoot`, `secureTrieRoot`, `orderedTrieRoot`); the
 * incremental `Trie` updates a root over a node store and yields the nodes to persist; proofs
 * serve eth_getProof.
 */
export { TrieError, type TrieErrorKind } from './errors.ts'
export { bytesToNibbles, nibblesToBytes, encodeHexPrefix, decodeHexPrefix, type Nibbles } from './nibbles.ts'
export { decodeNode, encodeNode, hashNode, type TrieNode } from './node.ts'
export { EMPTY_TRIE_ROOT, trieRoot, secureTrieRoot, orderedTrieRoot, type TrieEntries } from './root.ts'
export { MemoryNodeStore, type TrieNodeStore, type CommittedNode, type StoredNode } from './store.ts'
export { Trie, type TrieOptions } from './trie.ts'
export { createProof, verifyProof } from './proof.ts'
