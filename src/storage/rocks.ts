/**
 * RocksDB backend, the default on disk. Point reads, batch writes and iteration steps are
 * synchronous calls into the addon (see rocks-binding.ts); open and close are asynchronous.
 *
 * Snapshots: the addon exposes no RocksDB snapshot handle, but a RocksDB iterator reads a
 * consistent view pinned when it is created. A snapshot therefore holds one unbounded forward
 * iterator (used for `get` by seeking and for forward ranges) and one reverse iterator (reverse
 * ranges), both made in the same synchronous step, so no write can fall between them. Each
 * iteration over a snapshot remembers its last key and re-seeks per chunk, so several iterations
 * over one snapshot can interleave.
 */
import { mkdirSync } from 'node:fs'
import { StorageError } from './errors.ts'
import { aboveLower, belowUpper, compareBytes, toBounds, type Bounds } from './range.ts'
import {
  loadRocksBinding,
  type DbHandle,
  type IteratorHandle,
  type NativeIteratorOptions,
  type RocksBinding,
} from './rocks-binding.ts'
import type { Entry, IterateOptions, KeyValueStore, Snapshot, WriteBatch, WriteOptions } from './types.ts'

export interface RocksStoreOptions {
  /** Create the directory and database when missing (default true). */
  createIfMissing?: boolean
  /** fsync the write-ahead log on every write unless a write says otherwise (default false). */
  sync?: boolean
  /** Block cache size in bytes (RocksDB's default when unset). */
  cacheSize?: number
  /** Background threads for flush and compaction (default: half the cores, at least 1). */
  parallelism?: number
  /** Bytes of memtables (default 64 MiB: four of 16 MiB, flushed two at a time). */
  memtableBudget?: number
}

const DEFAULT_MEMTABLE_BUDGET = 64 * 1024 * 1024

const EMPTY = new Uint8Array(0)
/** The per-operation options of batch put/delete (no column family): one object, not one per call. */
const NO_OPTIONS = Object.freeze({})
/** First chunk small (a `limit: 1` peek costs little), later chunks large. */
const FIRST_CHUNK = 16
const MAX_CHUNK = 1024

function openError(path: string, err: Error & { code?: string }): StorageError {
  if (err.code === 'LEVEL_LOCKED') {
    return new StorageError('STORAGE_LOCKED', `database ${path} is locked`, {
      details: 'another Mosaic process (or this one) has it open; stop that process or choose another data directory',
      cause: err,
    })
  }
  if (err.code === 'LEVEL_CORRUPTION') {
    return new StorageError('STORAGE_CORRUPT', `database ${path} is corrupt`, {
      details: `${err.message}; restore it from a backup or delete the directory and sync again`,
      cause: err,
    })
  }
  return new StorageError('STORAGE_OPEN_FAILED', `cannot open database ${path}`, { details: err.message, cause: err })
}

function ioError(what: string, err: unknown): StorageError {
  if (err instanceof StorageError) return err
  return new StorageError('STORAGE_IO', `${what} failed`, { details: (err as Error)?.message, cause: err })
}

function nativeRange(b: Bounds): Pick<NativeIteratorOptions, 'gt' | 'gte' | 'lt' | 'lte'> {
  const r: Pick<NativeIteratorOptions, 'gt' | 'gte' | 'lt' | 'lte'> = {}
  if (b.lower) r[b.lowerExclusive ? 'gt' : 'gte'] = b.lower
  if (b.upper) r[b.upperExclusive ? 'lt' : 'lte'] = b.upper
  return r
}

/** Live iteration: the native iterator applies bounds, direction and limit. */
function* iterateLive(rocks: RocksBinding, it: IteratorHandle, alive: () => void): Generator<Entry> {
  let chunk = FIRST_CHUNK
  try {
    for (;;) {
      alive()
      const { rows, finished } = rocks.iterator_nextv_sync(it, chunk)
      for (let i = 0; i < rows.length; i += 2) yield [rows[i]!, rows[i + 1]!]
      if (finished || rows.length === 0) return
      chunk = Math.min(chunk * 4, MAX_CHUNK)
    }
  } finally {
    rocks.iterator_close(it)
  }
}

/** Snapshot iteration over a shared unbounded iterator: re-seek from the last key per chunk. */
function* iterateSnapshot(
  rocks: RocksBinding,
  it: IteratorHandle,
  start: Uint8Array | undefined,
  opts: IterateOptions,
  alive: () => void,
): Generator<Entry> {
  const b = toBounds(opts)
  const reverse = opts.reverse === true
  let target = reverse ? b.upper ?? start : b.lower ?? start
  if (target === undefined) return // reverse over an empty snapshot
  let skip: Uint8Array | undefined = (reverse ? b.upper && b.upperExclusive : b.lower && b.lowerExclusive) ? target : undefined
  let limit = opts.limit ?? Infinity
  let chunk = FIRST_CHUNK
  while (limit > 0) {
    alive()
    rocks.iterator_seek(it, target)
    const { rows, finished } = rocks.iterator_nextv_sync(it, chunk)
    for (let i = 0; i < rows.length && limit > 0; i += 2) {
      const key = rows[i]!
      if (skip && compareBytes(key, skip) === 0) continue
      if (reverse ? !aboveLower(b, key) : !belowUpper(b, key)) return
      limit--
      yield [key, rows[i + 1]!]
    }
    if (finished || rows.length < chunk * 2) return
    target = skip = rows[rows.length - 2]!
    chunk = Math.min(chunk * 4, MAX_CHUNK)
  }
}

/**
 * Opens (creating if missing) a RocksDB database in directory `path`.
 *
 * @throws StorageError `STORAGE_LOCKED` when the database is already open, `STORAGE_CORRUPT`
 *   when its files are damaged, `STORAGE_OPEN_FAILED` otherwise.
 * @example
 * const db = await openRocksStore('./data/chain')
 * db.batch().put(k1, v1).put(k2, v2).write()
 * await db.close()
 */
export async function openRocksStore(path: string, opts: RocksStoreOptions = {}): Promise<KeyValueStore> {
  const rocks = loadRocksBinding()
  const createIfMissing = opts.createIfMissing ?? true
  if (createIfMissing) {
    try {
      mkdirSync(path, { recursive: true })
    } catch (err) {
      throw openError(path, err as Error)
    }
  }
  const db: DbHandle = rocks.db_init(path)
  const nativeOpts: Record<string, unknown> = {
    createIfMissing,
    // A block's batch is a few hundred small random keys: compressing its WAL record costs more
    // than writing it, and the skip list of a smaller memtable takes inserts about twice as fast
    // (fewer cache misses), so: leveled compaction with memtables of a quarter of the budget.
    walCompression: false,
    compaction: 'level',
    memtableMemoryBudget: opts.memtableBudget ?? DEFAULT_MEMTABLE_BUDGET,
  }
  if (opts.cacheSize !== undefined) nativeOpts.cacheSize = opts.cacheSize
  if (opts.parallelism !== undefined) nativeOpts.parallelism = opts.parallelism
  await new Promise<void>((resolve, reject) =>
    rocks.db_open(db, nativeOpts, (err) => (err ? reject(openError(path, err)) : resolve())),
  )

  let closed = false
  let closing: Promise<void> | undefined
  const alive = () => {
    if (closed) throw new StorageError('STORAGE_CLOSED', 'store is closed', { details: `reopen ${path} to use it again` })
  }
  const defaultSync = { sync: opts.sync ?? false }
  const writeOpts = (o?: WriteOptions) => (o?.sync === undefined ? defaultSync : { sync: o.sync })
  const one: Uint8Array[] = [EMPTY]
  const get = (key: Uint8Array): Uint8Array | undefined => {
    alive()
    one[0] = key
    try {
      return rocks.db_get_many_sync(db, one, {})[0]
    } catch (err) {
      throw ioError('get', err)
    }
  }
  const single = rocks.batch_init()
  const writeSingle = (o?: WriteOptions) => {
    try {
      rocks.batch_write(db, single, writeOpts(o))
    } catch (err) {
      throw ioError('write', err)
    } finally {
      rocks.batch_clear(single)
    }
  }

  return {
    backend: 'rocksdb',
    get,
    has: (key) => get(key) !== undefined,
    iterate(o = {}) {
      alive()
      if (o.limit !== undefined && o.limit <= 0) return [][Symbol.iterator]()
      const it = rocks.iterator_init(db, {
        keys: true,
        values: true,
        keyEncoding: 'buffer',
        valueEncoding: 'buffer',
        reverse: o.reverse === true,
        limit: o.limit ?? -1,
        ...nativeRange(toBounds(o)),
      })
      return iterateLive(rocks, it, alive)
    },
    put(key, value, o) {
      alive()
      rocks.batch_put(single, key, value, NO_OPTIONS)
      writeSingle(o)
    },
    delete(key, o) {
      alive()
      rocks.batch_del(single, key, NO_OPTIONS)
      writeSingle(o)
    },
    batch(): WriteBatch {
      const handle = rocks.batch_init()
      const batch: WriteBatch = {
        put(key, value) {
          rocks.batch_put(handle, key, value, NO_OPTIONS)
          return batch
        },
        delete(key) {
          rocks.batch_del(handle, key, NO_OPTIONS)
          return batch
        },
        get length() {
          return rocks.batch_count(handle)
        },
        write(o) {
          alive()
          try {
            rocks.batch_write(db, handle, writeOpts(o))
          } catch (err) {
            throw ioError('batch write', err)
          }
          rocks.batch_clear(handle)
        },
        clear() {
          rocks.batch_clear(handle)
        },
      }
      return batch
    },
    snapshot(): Snapshot {
      alive()
      const base = { keys: true, values: true, keyEncoding: 'buffer', valueEncoding: 'buffer', fillCache: true } as const
      const fwd = rocks.iterator_init(db, base)
      const rev = rocks.iterator_init(db, { ...base, reverse: true })
      // The largest key in the view: where an unbounded reverse iteration starts.
      const last = rocks.iterator_nextv_sync(rev, 1).rows[0]
      let released = false
      const check = () => {
        alive()
        if (released) throw new StorageError('STORAGE_CLOSED', 'snapshot is released', { details: 'take a new snapshot' })
      }
      const snapGet = (key: Uint8Array): Uint8Array | undefined => {
        check()
        rocks.iterator_seek(fwd, key)
        const row = rocks.iterator_nextv_sync(fwd, 1).rows
        return row.length > 0 && compareBytes(row[0]!, key) === 0 ? row[1] : undefined
      }
      return {
        get: snapGet,
        has: (key) => snapGet(key) !== undefined,
        iterate(o = {}) {
          check()
          return o.reverse ? iterateSnapshot(rocks, rev, last, o, check) : iterateSnapshot(rocks, fwd, EMPTY, o, check)
        },
        release() {
          if (released) return
          released = true
          if (closed) return // closing the database closed the iterators
          rocks.iterator_close(fwd)
          rocks.iterator_close(rev)
        },
      }
    },
    close() {
      if (!closing) {
        closed = true
        rocks.batch_clear(single)
        closing = new Promise<void>((resolve, reject) =>
          rocks.db_close(db, (err) => (err ? reject(ioError('close', err)) : resolve())),
        )
      }
      return closing
    },
  }
}
