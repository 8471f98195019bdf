/**
 * An example plugin that replaces the storage component: an in-memory store that counts the
 * batches written to it, and the RPC method `countingstore_stats` to read the count. Any
 * component providing `storage` (a KeyValueStore) can stand in for RocksDB this way.
 *
 *   bin/mosaic --profile execution --plugin examples/counting-store-plugin.ts
 */
import { defineComponent } from '../src/node/component.ts'
import { definePlugin } from '../src/profiles/plugins.ts'
import { openMemoryStore, type KeyValueStore } from '../src/storage/index.ts'

export const stats = { batches: 0, backend: 'counting-memory' }

function countingStore(): KeyValueStore {
  const inner = openMemoryStore()
  return {
    ...inner,
    backend: stats.backend,
    get: (k) => inner.get(k),
    has: (k) => inner.has(k),
    iterate: (o) => inner.iterate(o),
    put: (k, v, o) => inner.put(k, v, o),
    delete: (k, o) => inner.delete(k, o),
    snapshot: () => inner.snapshot(),
    close: () => inner.close(),
    batch() {
      const b = inner.batch()
      const write = b.write.bind(b)
      b.write = (o) => {
        stats.batches++
        write(o)
      }
      return b
    },
  }
}

export default definePlugin({
  name: 'counting-store',
  components: [
    defineComponent({
      provides: 'storage',
      requires: [],
      description: 'in-memory store that counts written batches (example plugin)',
      create: () => {
        const store = countingStore()
        return { service: store, stop: () => store.close() }
      },
    }),
  ],
  rpc: {
    countingstore_stats: (_params, services) => ({ batches: stats.batches, backend: (services.chain as { db: KeyValueStore }).db.backend }),
  },
})
