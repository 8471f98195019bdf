/**
 * An incremental Merkle-Patricia trie over a node store: get, put, delete, root, and commit,
 * which returns the nodes created since the last commit (hash → RLP) so that storage can write
 * them in one batch. Unchanged subtrees stay as hash references and are loaded on demand.
 *
 * Consumers: state (storage-backed state root), rpc (eth_getProof through ./proof.ts).
 */
import { keccak256 } from '../crypto/index.ts'
import { equalBytes } from '../primitives/index.ts'
import { TrieError } from './errors.ts'
import { branch, decodeNode, encodeNode, ext, leaf, type BranchNode, type HashNode, type TrieNode } from './node.ts'
import { bytesToNibbles, commonPrefixLength, concatNibbles, nibblesToBytes, type Nibbles } from './nibbles.ts'
import { EMPTY_TRIE_ROOT } from './root.ts'
import type { CommittedNode, StoredNode, TrieNodeStore } from './store.ts'

type Resolved = StoredNode

const EMPTY_STORE: TrieNodeStore = { get: () => undefined }

export interface TrieOptions {
  /** Where nodes known only by hash are loaded from. */
  store?: TrieNodeStore
  /** An existing root in `store` to open. */
  root?: Uint8Array
  /** Hash keys with keccak256 before use (state and storage tries). */
  secure?: boolean
}

export class Trie {
  private rootNode: TrieNode | null
  private readonly store: TrieNodeStore
  readonly secure: boolean

  constructor(opts: TrieOptions = {}) {
    this.store = opts.store ?? EMPTY_STORE
    this.secure = opts.secure ?? false
    this.rootNode = opts.root && !equalBytes(opts.root, EMPTY_TRIE_ROOT) ? { kind: 'hash', hash: opts.root } : null
  }

  private path(key: Uint8Array): Nibbles {
    return bytesToNibbles(this.secure ? keccak256(key) : key)
  }

  /** Loads a hash reference from the store. */
  resolve(node: TrieNode): Resolved {
    if (node.kind !== 'hash') return node
    const decoded = this.store.node?.(node.hash)
    if (decoded) return decoded
    const rlp = this.store.get(node.hash)
    if (!rlp) throw new TrieError('missing-node', `node ${Buffer.from(node.hash).toString('hex')} is not in the store`)
    return decodeNode(rlp)
  }

  get(key: Uint8Array): Uint8Array | undefined {
    let node = this.rootNode
    let path = this.path(key)
    while (node) {
      const n = this.resolve(node)
      if (n.kind === 'leaf') return equalBytes(n.path, path) ? n.value : undefined
      if (n.kind === 'ext') {
        if (commonPrefixLength(n.path, path) !== n.path.length) return undefined
        path = path.subarray(n.path.length)
        node = n.child
      } else {
        if (path.length === 0) return n.value ?? undefined
        node = n.children[path[0]!]!
        path = path.subarray(1)
      }
    }
    return undefined
  }

  /** Sets `key` to `value`; an empty value deletes the key, as in Ethereum's tries. */
  put(key: Uint8Array, value: Uint8Array): void {
    if (value.length === 0) return this.delete(key)
    this.rootNode = this.insert(this.rootNode, this.path(key), value)
  }

  delete(key: Uint8Array): void {
    if (this.rootNode) this.rootNode = this.remove(this.rootNode, this.path(key))
  }

  private insert(node: TrieNode | null, path: Nibbles, value: Uint8Array): TrieNode {
    if (!node) return leaf(path, value)
    const n = this.resolve(node)
    if (n.kind === 'branch') {
      if (path.length === 0) return branch(n.children, value)
      const children = n.children.slice()
      children[path[0]!] = this.insert(children[path[0]!]!, path.subarray(1), value)
      return branch(children, n.value)
    }
    const p = commonPrefixLength(n.path, path)
    if (n.kind === 'leaf' && p === n.path.length && p === path.length) return leaf(path, value)
    if (n.kind === 'ext' && p === n.path.length) return ext(n.path, this.insert(n.child, path.subarray(p), value))
    // The paths diverge at p: a branch there, under an extension for the shared prefix.
    const b = branch(new Array(16).fill(null), null)
    if (n.kind === 'leaf') {
      if (n.path.length === p) b.value = n.value
      else b.children[n.path[p]!] = leaf(n.path.subarray(p + 1), n.value)
    } else {
      b.children[n.path[p]!] = p + 1 === n.path.length ? n.child : ext(n.path.subarray(p + 1), n.child)
    }
    if (path.length === p) b.value = value
    else b.children[path[p]!] = leaf(path.subarray(p + 1), value)
    return p > 0 ? ext(path.subarray(0, p), b) : b
  }

  private remove(node: TrieNode, path: Nibbles): TrieNode | null {
    const n = this.resolve(node)
    if (n.kind === 'leaf') return equalBytes(n.path, path) ? null : node
    if (n.kind === 'ext') {
      if (commonPrefixLength(n.path, path) !== n.path.length) return node
      const child = this.remove(n.child, path.subarray(n.path.length))
      if (child === n.child) return node
      return child ? this.joinPath(n.path, child) : null
    }
    let children = n.children
    let value = n.value
    if (path.length === 0) {
      if (!value) return node
      value = null
    } else {
      const old = children[path[0]!]
      if (!old) return node
      const updated = this.remove(old, path.subarray(1))
      if (updated === old) return node
      children = children.slice()
      children[path[0]!] = updated
    }
    return this.collapse(children, value)
  }

  /** A branch left with a single entry becomes a leaf or an extension (no one-way branches). */
  private collapse(children: (TrieNode | null)[], value: Uint8Array | null): TrieNode | null {
    let only = -1
    for (let i = 0; i < 16; i++) {
      if (!children[i]) continue
      if (only >= 0 || value) return branch(children, value)
      only = i
    }
    if (only < 0) return value ? leaf(new Uint8Array(0), value) : null
    return this.joinPath(Uint8Array.of(only), children[only]!)
  }

  /** `prefix` followed by `child`, merged so that no extension points to a leaf or extension. */
  private joinPath(prefix: Nibbles, child: TrieNode): TrieNode {
    const c = this.resolve(child)
    if (c.kind === 'leaf') return leaf(concatNibbles(prefix, c.path), c.value)
    if (c.kind === 'ext') return ext(concatNibbles(prefix, c.path), c.child)
    return ext(prefix, c)
  }

  root(): Uint8Array {
    if (!this.rootNode) return EMPTY_TRIE_ROOT
    if (this.rootNode.kind === 'hash') return this.rootNode.hash
    return keccak256(encodeNode(this.rootNode))
  }

  /**
   * Nodes created since the last commit that are referenced by hash (RLP of 32 bytes or more,
   * and the root always), as [hash, RLP, node]; afterwards the trie refers to them by hash. The
   * nodes are handed over: the trie keeps no reference to them, and they are not modified again.
   */
  commit(): CommittedNode[] {
    const out: CommittedNode[] = []
    if (!this.rootNode || this.rootNode.kind === 'hash') return out
    const collect = (node: TrieNode, isRoot: boolean): TrieNode => {
      if (node.kind === 'hash') return node
      if (node.kind === 'ext') node.child = collect(node.child, false)
      else if (node.kind === 'branch') for (let i = 0; i < 16; i++) if (node.children[i]) node.children[i] = collect(node.children[i]!, false)
      const enc = encodeNode(node)
      if (enc.length < 32 && !isRoot) return node
      const hash = keccak256(enc)
      out.push([hash, enc, node])
      return { kind: 'hash', hash }
    }
    this.rootNode = collect(this.rootNode, true)
    return out
  }

  /** Entries in key order (keys as stored: hashed for a secure trie). */
  *entries(): Generator<[Uint8Array, Uint8Array]> {
    if (!this.rootNode) return
    const walk = function* (self: Trie, node: TrieNode, prefix: Nibbles): Generator<[Uint8Array, Uint8Array]> {
      const n = self.resolve(node)
      if (n.kind === 'leaf') yield [nibblesToBytes(concatNibbles(prefix, n.path)), n.value]
      else if (n.kind === 'ext') yield* walk(self, n.child, concatNibbles(prefix, n.path))
      else {
        if (n.value) yield [nibblesToBytes(prefix), n.value]
        for (let i = 0; i < 16; i++) if (n.children[i]) yield* walk(self, n.children[i]!, concatNibbles(prefix, Uint8Array.of(i)))
      }
    }
    yield* walk(this, this.rootNode, new Uint8Array(0))
  }

  /** @internal for proofs: the root node, or null when empty. */
  rootNodeForProof(): TrieNode | null {
    return this.rootNode
  }
}

export type { BranchNode }
