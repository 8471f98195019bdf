/**
 * Merkle-Patricia trie nodes (Yellow Paper appendix D) and their RLP form. A child whose RLP is
 * shorter than 32 bytes is embedded in its parent; a longer one is referenced by its keccak256.
 * Nodes are immutable: an update copies the path it changes, so cached encodings stay valid.
 */
import { keccak256 } from '../crypto/index.ts'
import { decodeRlp, RlpError, rlpHeaderLength, rlpStringLength, writeRlpHeader, writeRlpString, type RlpItem } from '../primitives/index.ts'
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

/**
 * The node's RLP encoding (memoized on the node), written directly: a child is its hash (a
 * 32-byte string) or, under 32 bytes, its own encoding inlined; so an embedded child is never
 * decoded and re-encoded, and no intermediate RLP input is built.
 */
export function encodeNode(node: Exclude<TrieNode, HashNode>): Uint8Array {
  if (node.enc) return node.enc
  let items: Uint8Array[]
  if (node.kind === 'leaf') items = [encodeHexPrefix(node.path, true), node.value]
  else if (node.kind === 'ext') items = [encodeHexPrefix(node.path, false), refBytes(node.child)]
  else {
    items = new Array<Uint8Array>(17)
    for (let i = 0; i < 16; i++) {
      const c = node.children[i]
      items[i] = c ? refBytes(c) : EMPTY
    }
    items[16] = node.value ?? EMPTY
  }
  // Items of a branch's children and an extension's child are references (raw when inlined);
  // paths and values are byte strings.
  const rawFrom = node.kind === 'leaf' ? 2 : node.kind === 'ext' ? 1 : 0
  const rawTo = node.kind === 'branch' ? 16 : 2
  let payload = 0
  for (let i = 0; i < items.length; i++) payload += i >= rawFrom && i < rawTo && isInline(items[i]!) ? items[i]!.length : rlpStringLength(items[i]!)
  const out = new Uint8Array(rlpHeaderLength(payload) + payload)
  let o = writeRlpHeader(out, 0, payload, true)
  for (let i = 0; i < items.length; i++) {
    const b = items[i]!
    if (i >= rawFrom && i < rawTo && isInline(b)) {
      out.set(b, o)
      o += b.length
    } else o = writeRlpString(out, o, b)
  }
  node.enc = out
  return out
}

const EMPTY = new Uint8Array(0)

/** A reference as bytes: a 32-byte hash, or the child's own (shorter) encoding. */
function refBytes(node: TrieNode): Uint8Array {
  if (node.kind === 'hash') return node.hash
  const enc = encodeNode(node)
  return enc.length < 32 ? enc : keccak256(enc)
}

/** An inlined child's encoding: neither empty (no child) nor 32 bytes (a hash). */
const isInline = (ref: Uint8Array): boolean => ref.length > 0 && ref.length < 32

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
