/**
 * The memory backend before the B+tree (git 9ad4b5f src/storage/memory.ts), kept only as the
 * baseline of memory.bench.ts. Not used by the client.
 *
 * In-memory backend: a sorted array of keys with a parallel array of values, binary search for
 * point reads and range starts. Used by tests, dev chains and as the reference for the RocksDB
 * backend (both run the same behavioural suite).
 *
 * Snapshots and iterations are copy-on-write: they pin the current arrays (O(1)); the first write
 * while anything pins them copies the arrays once (O(n)), later writes go to the copy. Batches
 * larger than a few dozen operations are merged in one pass instead of spliced key by key.
 */
import { StorageError } from '../../src/storage/errors.ts'
import { aboveLower, belowUpper, compareBytes, toBounds } from '../../src/storage/range.ts'
import type { Entry, IterateOptions, KeyValueStore, Snapshot, WriteBatch } from '../../src/storage/types.ts'

/** One immutable-once-pinned generation of the data. */
interface Version {
  keys: Uint8Array[]
  values: Uint8Array[]
  /** Snapshots and running iterations reading this version; writes copy it while > 0. */
  readers: number
}

/** A pending write: `value === undefined` deletes. */
interface Op {
  key: Uint8Array
  value: Uint8Array | undefined
}

/** Batches with more operations than this are merged rather than spliced in. */
const MERGE_THRESHOLD = 64

/** Index of the first key >= `key`. */
function lowerBound(keys: Uint8Array[], key: Uint8Array): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareBytes(keys[mid]!, key) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

function find(v: Version, key: Uint8Array): Uint8Array | undefined {
  const i = lowerBound(v.keys, key)
  return i < v.keys.length && compareBytes(v.keys[i]!, key) === 0 ? v.values[i] : undefined
}

function applyOne(v: Version, op: Op): void {
  const i = lowerBound(v.keys, op.key)
  const found = i < v.keys.length && compareBytes(v.keys[i]!, op.key) === 0
  if (op.value === undefined) {
    if (found) {
      v.keys.splice(i, 1)
      v.values.splice(i, 1)
    }
  } else if (found) {
    v.values[i] = op.value
  } else {
    v.keys.splice(i, 0, op.key)
    v.values.splice(i, 0, op.value)
  }
}

/** Sorts `ops` (last write to a key wins) and merges them into `v` in one pass. */
function applyMerged(v: Version, ops: Op[]): void {
  const sorted = ops.map((op, i) => ({ op, i }))
  sorted.sort((a, b) => compareBytes(a.op.key, b.op.key) || a.i - b.i)
  const keys: Uint8Array[] = []
  const values: Uint8Array[] = []
  let j = 0
  for (let k = 0; k < sorted.length; k++) {
    const op = sorted[k]!.op
    if (k + 1 < sorted.length && compareBytes(sorted[k + 1]!.op.key, op.key) === 0) continue // superseded
    while (j < v.keys.length && compareBytes(v.keys[j]!, op.key) < 0) {
      keys.push(v.keys[j]!)
      values.push(v.values[j]!)
      j++
    }
    if (j < v.keys.length && compareBytes(v.keys[j]!, op.key) === 0) j++ // replaced or deleted
    if (op.value !== undefined) {
      keys.push(op.key)
      values.push(op.value)
    }
  }
  for (; j < v.keys.length; j++) {
    keys.push(v.keys[j]!)
    values.push(v.values[j]!)
  }
  v.keys = keys
  v.values = values
}

function* iterateVersion(v: Version, opts: IterateOptions, alive: () => void): Generator<Entry> {
  const b = toBounds(opts)
  let limit = opts.limit ?? Infinity
  try {
    if (!opts.reverse) {
      let i = b.lower ? lowerBound(v.keys, b.lower) : 0
      for (; i < v.keys.length && limit > 0; i++) {
        const key = v.keys[i]!
        if (!aboveLower(b, key)) continue
        if (!belowUpper(b, key)) break
        alive()
        limit--
        yield [key, v.values[i]!]
      }
    } else {
      let i = (b.upper ? lowerBound(v.keys, b.upper) : v.keys.length) - 1
      if (b.upper && i + 1 < v.keys.length && belowUpper(b, v.keys[i + 1]!)) i++ // upper is inclusive and present
      for (; i >= 0 && limit > 0; i--) {
        const key = v.keys[i]!
        if (!belowUpper(b, key)) continue
        if (!aboveLower(b, key)) break
        alive()
        limit--
        yield [key, v.values[i]!]
      }
    }
  } finally {
    v.readers--
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
export function openArrayMemoryStore(): KeyValueStore {
  let current: Version = { keys: [], values: [], readers: 0 }
  let closed = false

  const alive = () => {
    if (closed) throw new StorageError('STORAGE_CLOSED', 'store is closed', { details: 'the memory store was closed; open a new one' })
  }
  const writable = (): Version => {
    alive()
    if (current.readers > 0) current = { keys: current.keys.slice(), values: current.values.slice(), readers: 0 }
    return current
  }
  const apply = (ops: Op[]) => {
    const v = writable()
    if (ops.length > MERGE_THRESHOLD) applyMerged(v, ops)
    else for (const op of ops) applyOne(v, op)
  }
  const iterate = (v: Version, opts: IterateOptions, check: () => void): IterableIterator<Entry> => {
    check()
    v.readers++
    return iterateVersion(v, opts, check)
  }

  return {
    backend: 'memory',
    get(key) {
      alive()
      return find(current, key)
    },
    has(key) {
      alive()
      return find(current, key) !== undefined
    },
    iterate(opts = {}) {
      return iterate(current, opts, alive)
    },
    put(key, value) {
      applyOne(writable(), { key: key.slice(), value: value.slice() })
    },
    delete(key) {
      applyOne(writable(), { key, value: undefined })
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
          apply(ops)
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
      const v = current
      v.readers++
      let released = false
      const check = () => {
        alive()
        if (released) throw new StorageError('STORAGE_CLOSED', 'snapshot is released', { details: 'take a new snapshot' })
      }
      return {
        get(key) {
          check()
          return find(v, key)
        },
        has(key) {
          check()
          return find(v, key) !== undefined
        },
        iterate(opts = {}) {
          return iterate(v, opts, check)
        },
        release() {
          if (released) return
          released = true
          v.readers--
        },
      }
    },
    async close() {
      closed = true
      current = { keys: [], values: [], readers: 0 }
    },
  }
}
