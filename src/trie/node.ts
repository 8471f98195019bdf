/**
 * Merkle-Patricia trie nodes (Yellow Paper appendix D) and their RLP form. A child whose RLP is
 * shorter than 32 bytes is embedded in its parent; a longer one is referenced by its keccak256.
 * Nodes are immutable: an update copies the path it changes, so cached encodings stay valid.
 */
import { keccak256 } from '../crypto/index.ts'
import { decodeRlp, encodeRlp, RlpError, type RlpInput, type RlpItem } from '../primitives/index.ts'
import { TrieError } from './errors.ts'
import { decodeHexPrefix, encodeHexPrefix, type Nibbles } from './nibbles.ts'

export interface LeafNode {
  kind: 'leaf'
  path: Nibbles
  value: Uint8Array
  enc?: Uint8Array
}
export interface ExtensionNode {
  kind: 'ext'
  path: Nibbles
  child: TrieNode
  enc?: Uint8Array
}
export interface BranchNode {
  kind: 'branch'
  children: (TrieNode | null)[]
  value: Uint8Array | null
  enc?: Uint8Array
}
/** A node known only by hash, loaded from the node store when a walk reaches it. */
export interface HashNode {
  kind: 'hash'
  hash: Uint8Array
}
export type TrieNode = LeafNode | ExtensionNode | BranchNode | HashNode

export const leaf = (path: Nibbles, value: Uint8Array): LeafNode => ({ kind: 'leaf', path, value })
export const ext = (path: Nibbles, child: TrieNode): ExtensionNode => ({ kind: 'ext', path, child })
export const branch = (children: (TrieNode | null)[], value: Uint8Array | null): BranchNode => ({ kind: 'branch', children, value })

/** The node's RLP encoding (memoized on the node). */
export function encodeNode(node: Exclude<TrieNode, HashNode>): Uint8Array {
  if (node.enc) return node.enc
  let item: RlpInput
  if (node.kind === 'leaf') item = [encodeHexPrefix(node.path, true), node.value]
  else if (node.kind === 'ext') item = [encodeHexPrefix(node.path, false), childRef(node.child)]
  else {
    const list: RlpInput[] = node.children.map((c) => (c ? childRef(c) : EMPTY))
    list.push(node.value ?? EMPTY)
    item = list
  }
  node.enc = encodeRlp(item)
  return node.enc
}

const EMPTY = new Uint8Array(0)

/** How a parent refers to `node`: the node itself when its RLP is under 32 bytes, else its hash. */
export function childRef(node: TrieNode): RlpInput {
  if (node.kind === 'hash') return node.hash
  const enc = encodeNode(node)
  return enc.length < 32 ? (decodeRlp(enc) as RlpInput) : keccak256(enc)
}

/** keccak256 of the node's RLP: its reference from the root or from a node store. */
export function hashNode(node: TrieNode): Uint8Array {
  return node.kind === 'hash' ? node.hash : keccak256(encodeNode(node))
}

export function decodeNode(rlp: Uint8Array): Exclude<TrieNode, HashNode> {
  let item: RlpItem
  try {
    item = decodeRlp(rlp)
  } catch (err) {
    if (err instanceof RlpError) throw new TrieError('bad-node', `node RLP: ${err.message}`)
    throw err
  }
  const node = nodeFromItem(item)
  if (node.kind === 'hash') throw new TrieError('bad-node', 'a node cannot be a bare hash')
  node.enc = rlp
  return node
}

function nodeFromItem(item: RlpItem): TrieNode {
  if (!Array.isArray(item)) {
    if (item.length === 32) return { kind: 'hash', hash: item }
    throw new TrieError('bad-node', `child reference of ${item.length} bytes`)
  }
  if (item.length === 17) {
    const children = item.slice(0, 16).map((c) => (c instanceof Uint8Array && c.length === 0 ? null : nodeFromItem(c)))
    const v = item[16]!
    if (Array.isArray(v)) throw new TrieError('bad-node', 'branch value is a list')
    return branch(children, v.length === 0 ? null : v)
  }
  if (item.length === 2) {
    const [p, second] = item
    if (Array.isArray(p)) throw new TrieError('bad-node', 'node path is a list')
    const { path, leaf: isLeaf } = decodeHexPrefix(p)
    if (isLeaf) {
      if (Array.isArray(second)) throw new TrieError('bad-node', 'leaf value is a list')
      return leaf(path, second!)
    }
    return ext(path, nodeFromItem(second!))
  }
  throw new TrieError('bad-node', `list of ${item.length} items`)
}
