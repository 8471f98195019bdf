/**
 * A persistent B+tree of byte keys (memcmp order) for the memory backend.
 *
 * Nodes carry the number of the generation (`owner`) that created them. A write in generation
 * `g` changes nodes owned by `g` in place and copies any other node on its path first (path
 * copying), so a root pointer taken before generation `g` began keeps seeing its data unchanged:
 * a snapshot is a root plus the promise that its generation is over. Copies cost O(depth · node
 * size) per write, once per node per generation.
 *
 * Leaves hold sorted `keys` and their `values`; branches hold `children` and `keys.length ===
 * children.length - 1` separators: every key of `children[i]` is `< keys[i]` and every key of
 * `children[i + 1]` is `>= keys[i]`. Non-root nodes hold between `MIN` and `MAX` entries.
 */
import { compareBytes } from './range.ts'

export interface Node {
  /** Generation that created this node; only that generation may change it. */
  owner: number
  keys: Uint8Array[]
  /** `head(keys[i])`: binary search compares these numbers first and touches few keys. */
  heads: number[]
  /** Leaf values (parallel to `keys`); `undefined` on branches. */
  values: Uint8Array[] | undefined
  /** Branch children; `undefined` on leaves. */
  children: Node[] | undefined
}

/** Most entries (keys of a leaf, children of a branch) in a node; a node above it splits. */
export const MAX = 64
/** A non-root node below this is merged with or refilled from a sibling. */
export const MIN = MAX / 4

export const emptyTree = (owner: number): Node => ({ owner, keys: [], heads: [], values: [], children: undefined })

/**
 * The first 6 bytes of `key` as a number, zero-padded. Monotone in key order (a < b implies
 * head(a) <= head(b)), so different heads order two keys; equal heads need `compareBytes`.
 */
export function head(key: Uint8Array): number {
  const n = key.length
  if (n >= 6) return key[0]! * 2 ** 40 + key[1]! * 2 ** 32 + (((key[2]! << 24) | (key[3]! << 16) | (key[4]! << 8) | key[5]!) >>> 0)
  let h = 0
  for (let i = 0; i < 6; i++) h = h * 256 + (i < n ? key[i]! : 0)
  return h
}

/** Order of `n.keys[i]` against `key` (whose head is `h`). */
function cmpAt(n: Node, i: number, key: Uint8Array, h: number): number {
  const hi = n.heads[i]!
  return hi < h ? -1 : hi > h ? 1 : compareBytes(n.keys[i]!, key)
}

const size = (n: Node): number => (n.children ? n.children.length : n.keys.length)

/** Index of the first key of `n` that is `>= key`. */
function lowerBound(n: Node, key: Uint8Array, h: number): number {
  let lo = 0
  let hi = n.keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cmpAt(n, mid, key, h) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first key of `n` that is `> key` (in a branch: the child whose range holds `key`). */
function upperBound(n: Node, key: Uint8Array, h: number): number {
  let lo = 0
  let hi = n.keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cmpAt(n, mid, key, h) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of `key` in the leaf `n`, or -1. */
function indexOf(n: Node, key: Uint8Array, h: number): number {
  const i = lowerBound(n, key, h)
  return i < n.keys.length && n.heads[i] === h && compareBytes(n.keys[i]!, key) === 0 ? i : -1
}

export function lookup(root: Node, key: Uint8Array): Uint8Array | undefined {
  const h = head(key)
  let n = root
  while (n.children) n = n.children[upperBound(n, key, h)]!
  const i = indexOf(n, key, h)
  return i >= 0 ? n.values![i] : undefined
}

/** `n` itself when generation `owner` may change it, else a copy owned by `owner`. */
function own(n: Node, owner: number): Node {
  if (n.owner === owner) return n
  return { owner, keys: n.keys.slice(), heads: n.heads.slice(), values: n.values?.slice(), children: n.children?.slice() }
}

/** Child `i` of the owned branch `n`, made changeable by `owner`. */
function ownChild(n: Node, i: number, owner: number): Node {
  const c = n.children![i]!
  if (c.owner === owner) return c
  const copy = own(c, owner)
  n.children![i] = copy
  return copy
}

/** Splits an overfull owned node in two; returns the new right half and its separator. */
function split(n: Node, owner: number): { sep: Uint8Array; right: Node } {
  if (!n.children) {
    const mid = n.keys.length >>> 1
    const right: Node = { owner, keys: n.keys.splice(mid), heads: n.heads.splice(mid), values: n.values!.splice(mid), children: undefined }
    return { sep: right.keys[0]!, right }
  }
  const mid = n.children.length >>> 1
  const right: Node = { owner, keys: n.keys.splice(mid), heads: n.heads.splice(mid), values: undefined, children: n.children.splice(mid) }
  n.heads.pop()
  return { sep: n.keys.pop()!, right }
}

function insert(n: Node, key: Uint8Array, h: number, value: Uint8Array, owner: number): { sep: Uint8Array; right: Node } | undefined {
  if (!n.children) {
    const i = lowerBound(n, key, h)
    if (i < n.keys.length && n.heads[i] === h && compareBytes(n.keys[i]!, key) === 0) {
      n.values![i] = value
      return undefined
    }
    n.keys.splice(i, 0, key)
    n.heads.splice(i, 0, h)
    n.values!.splice(i, 0, value)
  } else {
    const i = upperBound(n, key, h)
    const grown = insert(ownChild(n, i, owner), key, h, value, owner)
    if (!grown) return undefined
    n.keys.splice(i, 0, grown.sep)
    n.heads.splice(i, 0, head(grown.sep))
    n.children.splice(i + 1, 0, grown.right)
  }
  return size(n) > MAX ? split(n, owner) : undefined
}

/** Stores `key → value`; returns the new root (the same object when it was owned already). */
export function put(root: Node, key: Uint8Array, value: Uint8Array, owner: number): Node {
  const r = own(root, owner)
  const grown = insert(r, key, head(key), value, owner)
  return grown ? { owner, keys: [grown.sep], heads: [head(grown.sep)], values: undefined, children: [r, grown.right] } : r
}

/** Joins children `a` and `a + 1` of the owned branch `p`, or shares their entries evenly. */
function rebalance(p: Node, a: number, owner: number): void {
  const left = p.children![a]!
  const right = p.children![a + 1]!
  const keys = left.children ? [...left.keys, p.keys[a]!, ...right.keys] : [...left.keys, ...right.keys]
  const heads = left.children ? [...left.heads, p.heads[a]!, ...right.heads] : [...left.heads, ...right.heads]
  const values = left.values && [...left.values, ...right.values!]
  const children = left.children && [...left.children, ...right.children!]
  const joined: Node = { owner, keys, heads, values, children }
  if (size(joined) <= MAX) {
    p.children!.splice(a, 2, joined)
    p.keys.splice(a, 1)
    p.heads.splice(a, 1)
    return
  }
  const half = split(joined, owner)
  p.children!.splice(a, 2, joined, half.right)
  p.keys[a] = half.sep
  p.heads[a] = head(half.sep)
}

function remove(n: Node, key: Uint8Array, h: number, owner: number): void {
  if (!n.children) {
    const i = indexOf(n, key, h)
    if (i >= 0) {
      n.keys.splice(i, 1)
      n.heads.splice(i, 1)
      n.values!.splice(i, 1)
    }
    return
  }
  const i = upperBound(n, key, h)
  const child = ownChild(n, i, owner)
  remove(child, key, h, owner)
  if (size(child) < MIN && n.children.length > 1) rebalance(n, i > 0 ? i - 1 : i, owner)
}

/**
 * Deletes `key`, which must be present (callers check first, so that deleting a missing key
 * copies nothing). Returns the new root.
 */
export function del(root: Node, key: Uint8Array, owner: number): Node {
  const r = own(root, owner)
  remove(r, key, head(key), owner)
  return r.children && r.children.length === 1 ? r.children[0]! : r
}

/**
 * Walks the leaves in order from a position. `nodes[d]`/`at[d]` is the path from the root; at
 * the leaf, `at` is the entry index. Read-only: it never changes a node.
 */
export interface Cursor {
  nodes: Node[]
  at: number[]
}

/** Descends to the leaf whose range holds `key` (the leftmost or rightmost leaf without one). */
function descend(root: Node, key: Uint8Array | undefined, h: number, rightmost: boolean): Cursor {
  const nodes: Node[] = [root]
  const at: number[] = []
  let n = root
  while (n.children) {
    const i = key ? upperBound(n, key, h) : rightmost ? n.children.length - 1 : 0
    at.push(i)
    n = n.children[i]!
    nodes.push(n)
  }
  at.push(0)
  return { nodes, at }
}

/** A cursor on the first key `>= key` (the first key without one); check with `entryAt`. */
export function seekFirst(root: Node, key: Uint8Array | undefined): Cursor {
  const h = key ? head(key) : 0
  const c = descend(root, key, h, false)
  const d = c.nodes.length - 1
  c.at[d] = key ? lowerBound(c.nodes[d]!, key, h) : 0
  if (c.at[d]! >= c.nodes[d]!.keys.length) next(c)
  return c
}

/** A cursor on the last key `<= key` (the last key without one). */
export function seekLast(root: Node, key: Uint8Array | undefined): Cursor {
  const h = key ? head(key) : 0
  const c = descend(root, key, h, true)
  const d = c.nodes.length - 1
  const leaf = c.nodes[d]!
  c.at[d] = (key ? upperBound(leaf, key, h) : leaf.keys.length) - 1
  if (c.at[d]! < 0) prev(c)
  return c
}

/** The leaf under the cursor and the entry index, or `undefined` once it ran off either end. */
export function leafAt(c: Cursor): Node | undefined {
  const d = c.nodes.length - 1
  const leaf = c.nodes[d]!
  const i = c.at[d]!
  return i >= 0 && i < leaf.keys.length ? leaf : undefined
}

/** Moves to the next entry (possibly off the end). */
export function next(c: Cursor): void {
  const d = c.nodes.length - 1
  if (++c.at[d]! < c.nodes[d]!.keys.length) return
  for (;;) {
    let level = d - 1
    while (level >= 0 && c.at[level]! + 1 >= c.nodes[level]!.children!.length) level--
    if (level < 0) return // past the last leaf: `at[d]` stays out of range
    c.at[level]!++
    for (let l = level + 1; l <= d; l++) {
      c.nodes[l] = c.nodes[l - 1]!.children![c.at[l - 1]!]!
      c.at[l] = 0
    }
    if (c.nodes[d]!.keys.length > 0) return
  }
}

/** Moves to the previous entry (possibly off the start). */
export function prev(c: Cursor): void {
  const d = c.nodes.length - 1
  if (--c.at[d]! >= 0) return
  for (;;) {
    let level = d - 1
    while (level >= 0 && c.at[level]! === 0) level--
    if (level < 0) return
    c.at[level]!--
    for (let l = level + 1; l <= d; l++) {
      const n = c.nodes[l - 1]!.children![c.at[l - 1]!]!
      c.nodes[l] = n
      c.at[l] = (n.children ? n.children.length : n.keys.length) - 1
    }
    if (c.at[d]! >= 0) return
  }
}
