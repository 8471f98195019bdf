import { describe, expect, test } from 'bun:test'
import * as tree from './btree.ts'
import { compareBytes } from './range.ts'
import { xorshift as rng } from '../primitives/index.ts'

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex')

/** Checks every structural rule of the tree; returns its entries in order. */
function checkTree(root: tree.Node): [string, string][] {
  const out: [string, string][] = []
  let leafDepth = -1
  const walk = (n: tree.Node, depth: number, lo: Uint8Array | undefined, hi: Uint8Array | undefined, isRoot: boolean) => {
    expect(n.heads).toEqual(n.keys.map(tree.head))
    for (let i = 1; i < n.keys.length; i++) expect(compareBytes(n.keys[i - 1]!, n.keys[i]!)).toBeLessThan(0)
    for (const k of n.keys) {
      if (lo) expect(compareBytes(k, lo)).toBeGreaterThanOrEqual(0)
      if (hi) expect(compareBytes(k, hi)).toBeLessThan(0)
    }
    if (!n.children) {
      if (leafDepth < 0) leafDepth = depth
      expect(depth).toBe(leafDepth) // balanced
      expect(n.values!.length).toBe(n.keys.length)
      if (!isRoot) expect(n.keys.length).toBeGreaterThanOrEqual(tree.MIN)
      expect(n.keys.length).toBeLessThanOrEqual(tree.MAX)
      n.keys.forEach((k, i) => out.push([hex(k), hex(n.values![i]!)]))
      return
    }
    expect(n.values).toBeUndefined()
    expect(n.keys.length).toBe(n.children.length - 1)
    expect(n.children.length).toBeGreaterThanOrEqual(isRoot ? 2 : tree.MIN)
    expect(n.children.length).toBeLessThanOrEqual(tree.MAX)
    n.children.forEach((c, i) => walk(c, depth + 1, i === 0 ? lo : n.keys[i - 1], i === n.keys.length ? hi : n.keys[i], false))
  }
  walk(root, 0, undefined, undefined, true)
  return out
}

/** Every entry by a forward and a backward cursor walk. */
function walkAll(root: tree.Node): { fwd: string[]; rev: string[] } {
  const fwd: string[] = []
  const rev: string[] = []
  const key = (c: tree.Cursor) => hex(tree.leafAt(c)!.keys[c.at[c.at.length - 1]!]!)
  for (const c = tree.seekFirst(root, undefined); tree.leafAt(c); tree.next(c)) fwd.push(key(c))
  for (const c = tree.seekLast(root, undefined); tree.leafAt(c); tree.prev(c)) rev.push(key(c))
  return { fwd, rev }
}

describe('btree', () => {
  test('head is monotone in key order, including short keys and zero padding', () => {
    const keys = [[], [0], [0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1], [1], [1, 0], [1, 0, 0, 0, 0, 0, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x80, 0, 0, 0, 0, 0]].map((k) => new Uint8Array(k))
    keys.sort(compareBytes)
    for (let i = 1; i < keys.length; i++) expect(tree.head(keys[i - 1]!)).toBeLessThanOrEqual(tree.head(keys[i]!))
    expect(tree.head(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2 ** 48 - 1)
    expect(tree.head(new Uint8Array([1, 2, 3]))).toBe(0x010203000000)
    // Keys that share a head are still told apart and found.
    let root = tree.emptyTree(0)
    for (const k of keys) root = tree.put(root, k, k, 0)
    expect(checkTree(root).map(([k]) => k)).toEqual(keys.map(hex))
    for (const k of keys) expect(hex(tree.lookup(root, k)!)).toBe(hex(k))
    expect(tree.lookup(root, new Uint8Array([0, 0, 0]))).toBeUndefined()
  })

  test('random puts and deletes against a model keep every invariant, down to empty', () => {
    const next = rng(11)
    const model = new Map<string, string>()
    let root = tree.emptyTree(0)
    const randomKey = () => {
      // few distinct first bytes and a small tail: many equal heads, many overwrites
      const k = new Uint8Array(1 + (next() % 9))
      for (let i = 0; i < k.length; i++) k[i] = i < 6 ? next() % 3 : next() % 256
      return k
    }
    let generation = 0
    for (let round = 0; round < 40; round++) {
      if (round % 3 === 0) generation++ // mix in-place changes and path copies
      const growing = round < 25
      for (let i = 0; i < 1500; i++) {
        const k = randomKey()
        if (growing ? next() % 4 !== 0 : next() % 5 === 0) {
          const v = new Uint8Array([round, i & 0xff])
          root = tree.put(root, k, v, generation)
          model.set(hex(k), hex(v))
        } else if (tree.lookup(root, k) !== undefined) {
          root = tree.del(root, k, generation)
          model.delete(hex(k))
        }
      }
      const expected = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // hex order is byte order except for a shorter key that prefixes a longer one, which
      // also sorts first in hex: the orders agree
      expect(checkTree(root)).toEqual(expected)
      const { fwd, rev } = walkAll(root)
      expect(fwd).toEqual(expected.map(([k]) => k))
      expect(rev).toEqual([...fwd].reverse())
    }
    expect(model.size).toBeGreaterThan(tree.MAX * tree.MAX) // grew to three levels
    for (const k of [...model.keys()]) root = tree.del(root, Buffer.from(k, 'hex'), generation)
    expect(checkTree(root)).toEqual([])
    expect(root.children).toBeUndefined()
    expect(walkAll(root)).toEqual({ fwd: [], rev: [] })
  })

  test('a root kept from an earlier generation never changes', () => {
    const next = rng(5)
    let root = tree.emptyTree(0)
    const kept: { root: tree.Node; entries: [string, string][] }[] = []
    for (let g = 1; g <= 30; g++) {
      kept.push({ root, entries: checkTree(root) })
      for (let i = 0; i < 400; i++) {
        const k = new Uint8Array(4)
        new DataView(k.buffer).setUint32(0, next() % 6000)
        if (next() % 3 === 0 && tree.lookup(root, k)) root = tree.del(root, k, g)
        else root = tree.put(root, k, new Uint8Array([g]), g)
      }
    }
    for (const { root: r, entries } of kept) expect(checkTree(r)).toEqual(entries)
  })

  test('seeks land on the first key >= and the last key <= a probe', () => {
    let root = tree.emptyTree(0)
    const keys: Uint8Array[] = []
    for (let i = 0; i < 5000; i += 2) {
      const k = new Uint8Array([i >> 8, i & 0xff])
      keys.push(k)
      root = tree.put(root, k, k, 0)
    }
    const at = (c: tree.Cursor) => {
      const leaf = tree.leafAt(c)
      return leaf ? hex(leaf.keys[c.at[c.at.length - 1]!]!) : undefined
    }
    for (let i = -1; i <= 5001; i += 7) {
      const probe = i < 0 ? new Uint8Array(0) : new Uint8Array([i >> 8, i & 0xff])
      const first = keys.find((k) => compareBytes(k, probe) >= 0)
      const last = keys.findLast((k) => compareBytes(k, probe) <= 0)
      expect(at(tree.seekFirst(root, probe))).toBe(first && hex(first))
      expect(at(tree.seekLast(root, probe))).toBe(last && hex(last))
    }
    // stepping off either end stays off
    const c = tree.seekLast(root, undefined)
    tree.next(c)
    expect(tree.leafAt(c)).toBeUndefined()
    const d = tree.seekFirst(root, undefined)
    tree.prev(d)
    expect(tree.leafAt(d)).toBeUndefined()
  })
})
