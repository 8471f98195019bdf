/**
 * The `addressIndex` component: the address-appearance index (src/appearances) on the node's
 * store, fed by Otterscan's tracer over each new canonical block (src/rpc's
 * `appearanceCollector`), read by the ots_ search methods.
 */
import { AddressIndex } from '../../appearances/index.ts'
import { defineComponent } from '../../node/index.ts'
import { appearanceCollector } from '../../rpc/index.ts'
import { replayDeps } from './rpc.ts'

declare module '../../node/component.ts' {
  interface Services {
    addressIndex: AddressIndex
  }
}

export const addressIndexComponent = defineComponent({
  provides: 'addressIndex',
  requires: ['chain', 'storage'],
  description: "index of the transactions touching each address (calls, internal calls, creations) for Otterscan's ots_search* methods, built as blocks become canonical",
  options: [],
  configure: () => ({}),
  create({ chain, storage }) {
    const index = new AddressIndex(storage, chain, appearanceCollector(chain, replayDeps))
    index.start()
    return { service: index, stop: () => index.stop() }
  },
})
