/**
 * A `chain` that is only the genesis, in memory: for profiles that network without syncing (the
 * txpool profile), so that RPC answers eth_chainId / eth_blockNumber / eth_getBlockByNumber(0)
 * and the eth Status announces the genesis as our head.
 */
import { Blockchain } from '../../blockchain/index.ts'
import type { ChainSpec } from '../../chainspec/index.ts'
import { defineComponent, NodeBuildError, type Logger } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { openMemoryStore } from '../../storage/index.ts'
import type { Header } from '../../types/index.ts'

export interface GenesisChainConfig {
  spec: ChainSpec
  /** The spec's genesis header when already computed (mainnet's state root takes a second). */
  genesisHeader?: Header
  log?: Logger
}

export const genesisChainComponent = defineComponent({
  name: 'genesis-chain',
  provides: 'chain',
  requires: [],
  description: 'the genesis block only, in memory (no sync)',
  configure: (_s, ctx): GenesisChainConfig => ({ spec: ctx.spec(), genesisHeader: ctx.genesis(), log: ctx.log.with({ component: 'chain' }) }),
  create(_deps, c) {
    if (!c.spec) throw new NodeBuildError('the genesis chain component needs `spec`, a ChainSpec')
    const chain = Blockchain.open(openMemoryStore(), c.spec, { stateHistory: 1, genesisHeader: c.genesisHeader })
    c.log?.info('Genesis chain', { chain: c.spec.name, id: c.spec.chainId, genesis: bytesToHex(chain.headBlockHash()) })
    return { service: chain }
  },
})
