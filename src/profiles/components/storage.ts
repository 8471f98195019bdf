/**
 * The `storage` component: the key-value store everything persistent lives in. RocksDB under
 * `<datadir>/chaindata` by default; memory with `--dev.memory` (or `storage.backend = memory`).
 * A plugin replaces it by providing `storage` itself.
 */
import { join } from 'node:path'
import { defineComponent, type OptionSpec } from '../../node/index.ts'
import { openMemoryStore, openRocksStore, type KeyValueStore } from '../../storage/index.ts'
import { forkRequested } from './fork.ts'

declare module '../../node/component.ts' {
  interface Services {
    storage: KeyValueStore
  }
}

export interface StorageConfig {
  /** The resolved data directory. */
  datadir: string
  backend: 'rocksdb' | 'memory'
  /** RocksDB block cache in MiB. */
  cacheMb?: number
}

export const storageOptions: OptionSpec[] = [
  { flag: 'datadir', type: 'string', section: 'storage', key: 'datadir', help: 'data directory for the databases (default: $XDG_DATA_HOME/mosaic/<chain>)' },
  { flag: 'dev.memory', type: 'bool', section: 'storage', key: 'memory', default: false, help: 'keep the chain in memory only (lost on exit)' },
  { flag: 'cache', type: 'int', section: 'storage', key: 'cacheMb', min: 8, max: 1 << 20, help: 'RocksDB block cache in MiB' },
]

export const storageComponent = defineComponent({
  provides: 'storage',
  requires: [],
  description: 'key-value store: RocksDB under <datadir>/chaindata, or memory',
  options: storageOptions,
  // fork mode keeps its own blocks in memory, as anvil does (its upstream reads are cached on disk)
  configure: (s, ctx): StorageConfig => ({ datadir: ctx.datadir(), backend: s.storage?.memory === true || forkRequested(s) ? 'memory' : 'rocksdb', cacheMb: s.storage?.cacheMb as number | undefined }),
  async create(_deps, c) {
    const store = c.backend === 'memory' ? openMemoryStore() : await openRocksStore(join(c.datadir, 'chaindata'), c.cacheMb ? { cacheSize: c.cacheMb * 1024 * 1024 } : {})
    return { service: store, stop: () => store.close() }
  },
})
