/**
 * Adapter over the native addon of `@nxtedition/rocksdb` (RocksDB 9.x, N-API). We call the raw
 * binding rather than its abstract-level wrapper because the binding has synchronous get, batch
 * write and iterator steps, which the wrapper hides behind callbacks.
 *
 * The prebuilt addon is required by a literal path so that `bun build --compile` embeds it in the
 * executable (the package's own loader, node-gyp-build, searches the disk at run time and fails
 * inside a compiled binary). Other platforms fall back to that loader. Loaded on first use, so a
 * profile that never opens RocksDB never loads it.
 */

/** Opaque native handles. */
export type DbHandle = { readonly __db: unique symbol }
export type BatchHandle = { readonly __batch: unique symbol }
export type IteratorHandle = { readonly __iterator: unique symbol }

export interface NativeIteratorOptions {
  keys: boolean
  values: boolean
  keyEncoding: 'buffer'
  valueEncoding: 'buffer'
  reverse?: boolean
  limit?: number
  gt?: Uint8Array
  gte?: Uint8Array
  lt?: Uint8Array
  lte?: Uint8Array
  fillCache?: boolean
}

/** The subset of the addon's functions Mosaic uses (see binding.cc in the package). */
export interface RocksBinding {
  db_init(location: string): DbHandle
  db_open(db: DbHandle, options: Record<string, unknown>, cb: (err: (Error & { code?: string }) | null) => void): void
  db_close(db: DbHandle, cb: (err: Error | null) => void): void
  /** MultiGet; `undefined` for a missing key. */
  db_get_many_sync(db: DbHandle, keys: Uint8Array[], options: object): (Buffer | undefined)[]
  batch_init(): BatchHandle
  batch_put(batch: BatchHandle, key: Uint8Array, value: Uint8Array, options: object): void
  batch_del(batch: BatchHandle, key: Uint8Array, options: object): void
  batch_clear(batch: BatchHandle): void
  batch_count(batch: BatchHandle): number
  batch_write(db: DbHandle, batch: BatchHandle, options: { sync?: boolean }): void
  /** Creates an iterator positioned at the first (or, reversed, last) key; pins a consistent view. */
  iterator_init(db: DbHandle, options: NativeIteratorOptions): IteratorHandle
  /** Seek (forward) or SeekForPrev (reverse); the next `nextv` starts at the found key. */
  iterator_seek(it: IteratorHandle, target: Uint8Array): void
  /** Up to `count` entries as a flat `[key, value, key, value, ...]`; `finished` at the end. */
  iterator_nextv_sync(it: IteratorHandle, count: number): { rows: Buffer[]; finished: boolean }
  iterator_close(it: IteratorHandle): void
}

let binding: RocksBinding | undefined

export function loadRocksBinding(): RocksBinding {
  if (binding) return binding
  if (process.platform === 'linux' && process.arch === 'x64') {
    binding = require('@nxtedition/rocksdb/prebuilds/linux-x64/@nxtedition+rocksdb.node') as RocksBinding
  } else if (process.platform === 'darwin' && process.arch === 'arm64') {
    binding = require('@nxtedition/rocksdb/prebuilds/darwin-arm64/@nxtedition+rocksdb.node') as RocksBinding
  } else {
    binding = require('@nxtedition/rocksdb/binding.js') as RocksBinding
  }
  return binding
}
