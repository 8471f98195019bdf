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

/**
 * anvil's flags for the dev chain (src/chainspec/dev-options.ts) and its listening address, and
 * geth's --dev: the execution profile's only (elsewhere --port is the p2p port, as in geth).
 */
export const devChainOptions: OptionSpec[] = [
  // the same keys as --http.port/--http.addr, listed after them so that these win when given
  { flag: 'port', short: 'p', type: 'int', section: 'rpc', key: 'httpPort', min: 0, max: 65535, help: "JSON-RPC port (anvil's; the same as --http.port)" },
  { flag: 'host', type: 'string', section: 'rpc', key: 'httpAddr', help: "JSON-RPC listening interface (anvil's; the same as --http.addr)" },
  { flag: 'dev', type: 'bool', section: 'chain', key: 'dev', help: "the dev chain (geth's --dev): the execution profile's default" },
  { flag: 'chain-id', type: 'bigint', section: 'dev', key: 'chainId', help: 'dev chain: chain id (default 31337)' },
  { flag: 'accounts', short: 'a', type: 'int', section: 'dev', key: 'accounts', min: 0, max: 1000, help: 'dev chain: funded and unlocked accounts of the mnemonic (default 10)' },
  { flag: 'balance', type: 'bigint', section: 'dev', key: 'balance', help: 'dev chain: ether per account (default 10000)' },
  { flag: 'mnemonic', short: 'm', type: 'string', section: 'dev', key: 'mnemonic', help: 'dev chain: BIP-39 mnemonic of the accounts (default: "test … junk")' },
  { flag: 'gas-limit', type: 'bigint', section: 'dev', key: 'gasLimit', help: 'dev chain: genesis gas limit (default 30000000)' },
  { flag: 'base-fee', type: 'bigint', section: 'dev', key: 'baseFee', help: 'dev chain: genesis base fee in wei (default 1000000000)' },
  { flag: 'hardfork', type: 'string', section: 'dev', key: 'hardfork', choices: ['paris', 'merge', 'shanghai', 'cancun', 'prague', 'osaka'], help: 'dev chain: newest fork at genesis (default prague)' },
  { flag: 'prune-history', type: 'int', section: 'chain', key: 'stateHistory', min: 0, bare: 0, help: "dev chain: keep the state of only N blocks behind the head (none without N), as anvil's; older blocks' state reads answer anvil's BlockOutOfRangeError" },
  { flag: 'timestamp', type: 'bigint', section: 'dev', key: 'timestamp', help: "dev chain: genesis timestamp in seconds (default: the time a new chain is created, as anvil's)" },
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
