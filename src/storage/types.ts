/**
 * The key-value interface every backend implements. Keys and values are opaque bytes; keys sort
 * by unsigned byte order (memcmp), shorter first on a common prefix.
 *
 * Reads are synchronous: state reads in the EVM are hot, and both backends (memory, RocksDB via
 * @nxtedition/rocksdb's sync entry points) answer without a trip through the event loop.
 * Opening and closing are asynchronous.
 *
 * Returned byte arrays belong to the caller, but the memory backend hands out its stored copy:
 * treat returned values as read-only.
 */

/** A key range. Lower bound: `gt` or `gte`; upper bound: `lt` or `lte`; `prefix` intersects. */
export interface KeyRange {
  gt?: Uint8Array
  gte?: Uint8Array
  lt?: Uint8Array
  lte?: Uint8Array
  /** Only keys starting with these bytes (combined with the bounds above, if any). */
  prefix?: Uint8Array
}

export interface IterateOptions extends KeyRange {
  /** Largest key first. */
  reverse?: boolean
  /** At most this many entries. */
  limit?: number
}

/** One entry of an iteration: `[key, value]`. */
export type Entry = [key: Uint8Array, value: Uint8Array]

/** Point reads and ordered iteration. Implemented by a store (latest data) and by a snapshot. */
export interface KeyValueReader {
  /** The value stored under `key`, or `undefined`. */
  get(key: Uint8Array): Uint8Array | undefined
  has(key: Uint8Array): boolean
  /**
   * Entries in key order (or reverse), within the range. An iteration sees the data as it was
   * when it started: writes made while it runs are not visible to it. Break out of the loop (or
   * call `return()`) to release it early.
   */
  iterate(opts?: IterateOptions): IterableIterator<Entry>
}

/** Writes collected and applied atomically: all of them become visible at once, or none. */
export interface WriteBatch {
  put(key: Uint8Array, value: Uint8Array): WriteBatch
  delete(key: Uint8Array): WriteBatch
  /** Number of operations collected so far. */
  readonly length: number
  /** Applies every operation atomically, then empties the batch (it can be reused). */
  write(opts?: WriteOptions): void
  /** Drops the collected operations. */
  clear(): void
}

export interface WriteOptions {
  /**
   * fsync the write-ahead log before returning (survives an OS crash or power loss). Without it
   * a write survives a crash of the process (SIGKILL) but maybe not of the machine.
   */
  sync?: boolean
}

/** A consistent, read-only view of the store as it was when the snapshot was taken. */
export interface Snapshot extends KeyValueReader {
  /** Frees what the snapshot pins (RocksDB keeps old versions alive for it). Idempotent. */
  release(): void
}

/** A key-value store: the one storage interface of Mosaic. Consumers: state, blockchain, db tool. */
export interface KeyValueStore extends KeyValueReader {
  /** Backend name, e.g. `memory` or `rocksdb`. */
  readonly backend: string
  put(key: Uint8Array, value: Uint8Array, opts?: WriteOptions): void
  delete(key: Uint8Array, opts?: WriteOptions): void
  /** A new, empty batch (one per block is the intended use). */
  batch(): WriteBatch
  snapshot(): Snapshot
  /** Flushes and closes. Further use throws a `StorageError` (`STORAGE_CLOSED`). Idempotent. */
  close(): Promise<void>
}
