/**
 * The built-in stores by `--store` name. Each adapter is one small file that doubles as the
 * example of writing one: memory.ts (the whole contract in a page), rocksdb.ts (Mosaic's own
 * storage layer, batch per block), sqlite.ts (tables, a transaction per block), lmdb.ts (named
 * databases, a write transaction per block), postgres.ts (a real server: tables and per-block
 * change sets, a transaction per block, reorgs rolled back by block number). A store can also come from a plugin file
 * (`--store ./my-store.ts`, loaded by the CLI through the plugin API).
 */
import type { StateStore, StoreFactory, StoreOptions } from '../store.ts'
import { openMemoryStateStore } from './memory.ts'
import { openPostgresStateStore } from './postgres.ts'
import { openRocksStateStore } from './rocksdb.ts'
import { openSqliteStateStore } from './sqlite.ts'

/**
 * The LMDB store, loaded on first use: the `lmdb` package's native addon loads only from a
 * node_modules tree, so a compiled executable that never opens one must not import it.
 */
export async function openLmdbStateStore(opts: StoreOptions): Promise<StateStore> {
  return (await import('./lmdb.ts')).openLmdbStateStore(opts)
}

export const BUILTIN_STORES: Readonly<Record<string, StoreFactory>> = {
  memory: async () => openMemoryStateStore(),
  rocksdb: openRocksStateStore,
  sqlite: openSqliteStateStore,
  lmdb: openLmdbStateStore,
  postgres: openPostgresStateStore,
}

export { openMemoryStateStore, openRocksStateStore, openSqliteStateStore, openPostgresStateStore }
export { checkFollows, headAfter, orderedWrites, sameRef } from './order.ts'
export { diskUsage } from './disk.ts'
export { writeRetrying, type RetryOptions } from './retry.ts'
