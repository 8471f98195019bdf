/**
 * The `addressIndex` component: the address-appearance index (src/appearances) on the node's
 * store, fed by Otterscan's tracer over each new canonical block (src/rpc's
 * `appearanceCollector`), read by the ots_ search methods. It traces every block a second time,
 * so it runs where blocks are few and someone browses them — the dev node — and elsewhere only
 * with --ots.index (an Engine API-driven engine would do its execution work twice).
 */
import { AddressIndex } from '../../appearances/index.ts'
import { defineComponent, type ConfigSections, type OptionSpec } from '../../node/index.ts'
import { appearanceCollector } from '../../rpc/index.ts'
import { replayDeps } from './rpc.ts'

declare module '../../node/component.ts' {
  interface Services {
    addressIndex: AddressIndex
  }
}

export const addressIndexOptions: OptionSpec[] = [
  { flag: 'ots.index', type: 'bool', section: 'ots', key: 'index', help: "keep the address index for Otterscan's ots_search* and ots_getContractCreator (default: on for the dev node, off when the Engine API drives the chain)" },
]

/** Whether the index runs: asked for, or by default where the dev miner does. */
export const addressIndexWanted = (s: ConfigSections, devNode: boolean): boolean => (s.ots?.index as boolean | undefined) ?? devNode

export const addressIndexComponent = defineComponent({
  provides: 'addressIndex',
  requires: ['chain', 'storage'],
  description: "index of the transactions touching each address (calls, internal calls, creations) for Otterscan's ots_search* methods, built as blocks become canonical",
  options: addressIndexOptions,
  configure: () => ({}),
  create({ chain, storage }) {
    const index = new AddressIndex(storage, chain, appearanceCollector(chain, replayDeps))
    index.start()
    return { service: index, stop: () => index.stop() }
  },
})
