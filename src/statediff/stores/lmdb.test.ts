import { BUILTIN_STORES } from './index.ts'
import { stateStoreSuite } from './store-suite.ts'

stateStoreSuite('lmdb', BUILTIN_STORES.lmdb!, { persistent: true })
