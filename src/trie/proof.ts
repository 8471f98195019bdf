/**
 * Merkle proofs as eth_getProof returns them: the RLP of every node on the path from the root to
 * a key, root first (embedded nodes travel inside their parents). A proof shows a key's value or
 * its absence.
 */
import { keccak256 } from '../crypto/index.ts'
import { bytesToHex, equalBytes } from '../primitives/index.ts'
import { TrieError } from './errors.ts'
import { decodeNode, encodeNode, type TrieNode } from './node.ts'
import { bytesToNibbles, commonPrefixLength, type Nibbles } from './nibbles.ts'
import { EMPTY_TRIE_ROOT } from './root.ts'
import type { Trie } from './trie.ts'

export function createProof(trie: Trie, key: Uint8Array): Uint8Array[] {
  const proof: Uint8Array[] = []
  let node: TrieNode | null = trie.rootNodeForProof()
  let path = bytesToNibbles(trie.secure ? keccak256(key) : key)
  let isRoot = true
  while (node) {
    const n = trie.resolve(node)
    const enc = encodeNode(n)
    if (isRoot || enc.length >= 32) proof.push(enc)
    isRoot = false
    if (n.kind === 'leaf') break
    if (n.kind === 'ext') {
      if (commonPrefixLength(n.path, path) !== n.path.length) break
      path = path.subarray(n.path.length)
      node = n.child
    } else {
      if (path.length === 0) break
      node = n.children[path[0]!]!
      path = path.subarray(1)
    }
  }
  return proof
}

/**
 * Checks `proof` against `root` and returns the value at `key`, or undefined when the proof shows
 * the key is absent. A proof that does not hash-link from the root throws TrieError('invalid-proof').
 */
export function verifyProof(root: Uint8Array, key: Uint8Array, proof: readonly Uint8Array[], opts: { secure?: boolean } = {}): Uint8Array | undefined {
  const byHash = new Map<string, Uint8Array>()
  for (const p of proof) byHash.set(bytesToHex(keccak256(p)), p)
  const load = (hash: Uint8Array): TrieNode => {
    const rlp = byHash.get(bytesToHex(hash))
    if (!rlp) throw new TrieError('invalid-proof', `proof lacks node ${bytesToHex(hash)}`)
    return decodeNode(rlp)
  }
  if (equalBytes(root, EMPTY_TRIE_ROOT) && proof.length <= 1) return undefined
  let node: TrieNode = load(root)
  let path: Nibbles = bytesToNibbles(opts.secure ? keccak256(key) : key)
  for (;;) {
    if (node.kind === 'hash') node = load(node.hash)
    if (node.kind === 'leaf') return equalBytes(node.path, path) ? node.value : undefined
    if (node.kind === 'ext') {
      if (commonPrefixLength(node.path, path) !== node.path.length) return undefined
      path = path.subarray(node.path.length)
      node = node.child
    } else if (node.kind === 'branch') {
      if (path.length === 0) return node.value ?? undefined
      const child: TrieNode | null = node.children[path[0]!]!
      if (!child) return undefined
      path = path.subarray(1)
      node = child
    }
  }
}
