import { BUILTIN_STORES } from './index.ts'
import { stateStoreSuite } from './store-suite.ts'

stateStoreSuite('rocksdb', BUILTIN_STORES.rocksdb!, { persistent: true })
