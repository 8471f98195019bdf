/**
 * In-memory backend: a persistent B+tree (btree.ts) for order, ranges and snapshots. Used by
 * `--dev.memory` nodes, tests, benchmarks and as the reference for the RocksDB backend (both
 * run the same behavioural suite).
 *
 * Snapshots and iterations pin the current root (O(1)). Writes change tree nodes in place while
 * nothing pins them; the first write after a pin starts a new generation, so later writes copy
 * the nodes on their path once (O(depth · node size)) and pinned roots stay unchanged. A batch
 * therefore costs O(ops · log n) whatever the store size and however many readers are open.
 */
import * as tree from './btree.ts'
import { StorageError } from './errors.ts'
import { aboveLower, belowUpper, toBounds } from './range.ts'
import type { Entry, IterateOptions, KeyValueStore, Snapshot, WriteBatch } from './types.ts'

/** A pending write: `value === undefined` deletes. */
interface Op {
  key: Uint8Array
  value: Uint8Array | undefined
}

function* scan(root: tree.Node, opts: IterateOptions, check: () => void, done: () => void): Generator<Entry> {
  try {
    check()
    const b = toBounds(opts)
    let limit = opts.limit ?? Infinity
    if (!opts.reverse) {
      for (const c = tree.seekFirst(root, b.lower); limit > 0; tree.next(c)) {
        const leaf = tree.leafAt(c)
        if (!leaf) break
        const i = c.at[c.at.length - 1]!
        const key = leaf.keys[i]!
        if (!aboveLower(b, key)) continue // `gt` bound itself
        if (!belowUpper(b, key)) break
        check()
        limit--
        yield [key, leaf.values![i]!]
      }
    } else {
      for (const c = tree.seekLast(root, b.upper); limit > 0; tree.prev(c)) {
        const leaf = tree.leafAt(c)
        if (!leaf) break
        const i = c.at[c.at.length - 1]!
        const key = leaf.keys[i]!
        if (!belowUpper(b, key)) continue // `lt` bound itself
        if (!aboveLower(b, key)) break
        check()
        limit--
        yield [key, leaf.values![i]!]
      }
    }
  } finally {
    done()
  }
}

/**
 * Opens an empty in-memory store.
 *
 * @example
 * const db = openMemoryStore()
 * db.put(key, value)
 * for (const [k, v] of db.iterate({ prefix })) ...
 */
export function openMemoryStore(): KeyValueStore {
  /** Generation of the nodes writes may change in place (see btree.ts). */
  let generation = 0
  let root = tree.emptyTree(generation)
  /** Snapshots and iterations open on a root of the current generation. */
  let pins = 0
  let closed = false

  const alive = () => {
    if (closed) throw new StorageError('STORAGE_CLOSED', 'store is closed', { details: 'the memory store was closed; open a new one' })
  }
  /** Pins the current root; the returned function unpins it (once). */
  const pin = (): (() => void) => {
    const g = generation
    pins++
    let pinned = true
    return () => {
      if (pinned && g === generation) pins--
      pinned = false
    }
  }
  /** The generation a write may change; ends the current one if anything pins it. */
  const writable = (): number => {
    alive()
    if (pins > 0) {
      generation++
      pins = 0
    }
    return generation
  }
  const apply = (op: Op, g: number) => {
    if (op.value !== undefined) root = tree.put(root, op.key, op.value, g)
    else if (tree.lookup(root, op.key) !== undefined) root = tree.del(root, op.key, g)
  }
  const noop = () => {}

  return {
    backend: 'memory',
    get(key) {
      alive()
      return tree.lookup(root, key)
    },
    has(key) {
      alive()
      return tree.lookup(root, key) !== undefined
    },
    iterate(opts = {}) {
      alive()
      return scan(root, opts, alive, pin())
    },
    put(key, value) {
      apply({ key: key.slice(), value: value.slice() }, writable())
    },
    delete(key) {
      apply({ key, value: undefined }, writable())
    },
    batch(): WriteBatch {
      let ops: Op[] = []
      const batch: WriteBatch = {
        put(key, value) {
          ops.push({ key: key.slice(), value: value.slice() })
          return batch
        },
        delete(key) {
          ops.push({ key: key.slice(), value: undefined })
          return batch
        },
        get length() {
          return ops.length
        },
        write() {
          const g = writable()
          // In order, so the last operation on a key wins. Nothing can read in between.
          for (const op of ops) apply(op, g)
          ops = []
        },
        clear() {
          ops = []
        },
      }
      return batch
    },
    snapshot(): Snapshot {
      alive()
      const r = root
      const unpin = pin()
      let released = false
      const check = () => {
        alive()
        if (released) throw new StorageError('STORAGE_CLOSED', 'snapshot is released', { details: 'take a new snapshot' })
      }
      return {
        get(key) {
          check()
          return tree.lookup(r, key)
        },
        has(key) {
          check()
          return tree.lookup(r, key) !== undefined
        },
        iterate(opts = {}) {
          // The snapshot pins `r` already; once it is released the iteration throws.
          check()
          return scan(r, opts, check, noop)
        },
        release() {
          released = true
          unpin()
        },
      }
    },
    async close() {
      closed = true
      root = tree.emptyTree(++generation)
    },
  }
}
