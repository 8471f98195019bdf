/** The `chain` component: the blockchain on the store, opened (genesis written when new) at start. */
import { Blockchain, type Chain } from '../../blockchain/index.ts'
import type { ChainSpec } from '../../chainspec/index.ts'
import { forkChain } from './fork-chain.ts'
import { defineComponent, recordBuiltinChain, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    chain: Chain
  }
}

export interface ChainConfig {
  spec: ChainSpec
  /** Blocks behind the head whose state stays readable. */
  stateHistory: number
  /** Where to record the chain (absent for memory stores). */
  datadir?: string
  log?: Logger
}

const DEFAULT_STATE_HISTORY = 128

export const chainOptions: OptionSpec[] = [
  { flag: 'chain', type: 'string', section: 'chain', key: 'chain', help: 'chain: mainnet, sepolia, hoodi, dev, a chain id, or a genesis.json path' },
  { flag: 'state.history', type: 'int', section: 'chain', key: 'stateHistory', min: 1, help: 'blocks behind the head whose state stays readable (RPC, reorgs)' },
]

export const chainComponent = defineComponent({
  provides: 'chain',
  requires: ['storage'],
  optional: ['fork'],
  description: 'block import, canonical chain, reorgs and state at recent blocks',
  options: chainOptions,
  configure: (s, ctx): ChainConfig => ({
    spec: ctx.spec(),
    stateHistory: (s.chain?.stateHistory as number | undefined) ?? DEFAULT_STATE_HISTORY,
    datadir: s.storage?.memory === true ? undefined : ctx.datadir(),
    log: ctx.log.with({ component: 'chain' }),
  }),
  create({ storage, fork }, c) {
    if (fork) return { service: forkChain(storage, fork, c) }
    const chain = Blockchain.open(storage, c.spec, { stateHistory: c.stateHistory })
    if (c.datadir) recordBuiltinChain(c.datadir, c.spec)
    c.log?.info('Opened chain', { chain: c.spec.name, id: c.spec.chainId, head: chain.head().number, hash: bytesToHex(chain.headBlockHash()), store: storage.backend, datadir: c.datadir ?? 'memory' })
    return { service: chain }
  },
})
