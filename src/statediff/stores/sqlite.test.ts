import { BUILTIN_STORES } from './index.ts'
import { stateStoreSuite } from './store-suite.ts'

stateStoreSuite('sqlite', BUILTIN_STORES.sqlite!, { persistent: true })
