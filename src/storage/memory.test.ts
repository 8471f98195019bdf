import { openMemoryStore } from './index.ts'
import { storeSuite } from './store-suite.ts'

storeSuite('memory', async () => {
  const store = openMemoryStore()
  return { store, cleanup: () => store.close() }
})
