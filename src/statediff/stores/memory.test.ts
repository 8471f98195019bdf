import { BUILTIN_STORES } from './index.ts'
import { stateStoreSuite } from './store-suite.ts'

stateStoreSuite('memory', BUILTIN_STORES.memory!, { persistent: false })
