/**
 * Storage: one key-value interface (get, put, delete, atomic batch, ordered iteration,
 * snapshots, close) with two backends, memory and RocksDB (the default on disk), and the table
 * layout of the client's data.
 *
 * What flows through it: opaque bytes. The state layer reads flat accounts and storage (hot,
 * synchronous `get`) and writes one batch per block; the blockchain layer stores headers,
 * bodies, receipts and the canonical index; `mosaic db` inspects, exports and imports.
 *
 * Backends must pass the shared suite in `store-suite.ts` (run for each by `*.test.ts`).
 */
export type {
  Entry,
  IterateOptions,
  KeyRange,
  KeyValueReader,
  KeyValueStore,
  Snapshot,
  WriteBatch,
  WriteOptions,
} from './types.ts'
export { StorageError, type StorageErrorCode } from './errors.ts'
export { openMemoryStore } from './memory.ts'
export { openRocksStore, type RocksStoreOptions } from './rocks.ts'
export { prefixEnd } from './range.ts'
export * from './tables.ts'
