/**
 * The `execution` profile: EVM, state, storage, block production and JSON-RPC, without p2p or
 * consensus. Two ways to run:
 *
 * - a dev node like anvil/Hardhat (the default: chain `dev`, id 31337, the ten test-mnemonic
 *   accounts funded and unlocked, a block per transaction by the dev miner), for rollup
 *   builders, testing tools and local development;
 * - an execution engine driven over the Engine API (a rollup's sequencer, or a consensus
 *   client), with no dev miner: when --authrpc.port or --authrpc.jwtsecret is given, when the
 *   chain is not the dev chain (a genesis.json, a public network), or with --dev.engine on the
 *   dev chain.
 *
 * The choice is the profile's `when` (./profile.ts): the miner and the engine each run only in
 * their mode. Both have the state-diff stream (the `stateDiffs` service; the `mosaic` namespace,
 * served by default like every namespace: mosaic_getStateDiff and the mosaic_stateDiffs
 * subscription). With `--fork-url` (./components/fork.ts) the dev node starts at an upstream
 * node's block and reads its state lazily, as `anvil --fork-url` does.
 */
import type { ConfigSections, ConfigureContext, OptionSpec } from '../node/index.ts'
import { addressIndexComponent, addressIndexWanted } from './components/address-index.ts'
import { blobPoolComponent } from './components/blob-pool.ts'
import { bundlesComponent } from './components/bundles.ts'
import { chainComponent, devChainOptions } from './components/chain.ts'
import { engineComponent, engineRequested } from './components/engine.ts'
import { forkComponent, forkRequested } from './components/fork.ts'
import { devLatestComponent } from './components/latest.ts'
import { minerComponent } from './components/miner.ts'
import { metricsComponent } from './components/metrics.ts'
import { rpcComponent } from './components/rpc.ts'
import { stateFileComponent, stateFileRequested } from './components/state-file.ts'
import { stateDiffsComponent } from './components/state-diffs.ts'
import { natsRequested, stateDiffNatsComponent } from './components/statediff-nats.ts'
import { storageComponent } from './components/storage.ts'
import { txpoolComponent } from './components/txpool.ts'
import { componentOptions, type Profile } from './profile.ts'

/** Dev chains keep every block's state reachable, so evm_revert can go back any distance. */
const DEV_STATE_HISTORY = 1_000_000

const components = [forkComponent, storageComponent, chainComponent, stateDiffsComponent, devLatestComponent, txpoolComponent, blobPoolComponent, bundlesComponent, minerComponent, stateFileComponent, engineComponent, addressIndexComponent, rpcComponent, stateDiffNatsComponent, metricsComponent]

const devEngineOption: OptionSpec = {
  flag: 'dev.engine',
  type: 'bool',
  section: 'engine',
  key: 'devEngine',
  help: 'on the dev chain, leave block production to the Engine API (no dev miner)',
}

/** Whether the Engine API drives the chain (and the dev miner stays off). */
export function engineDriven(s: ConfigSections, ctx: ConfigureContext): boolean {
  return engineRequested(s.engine) || s.engine?.devEngine === true || ctx.spec().name !== 'dev'
}

export const executionProfile: Profile = {
  name: 'execution',
  summary: 'EVM, state, storage, block production and JSON-RPC; no p2p (a dev node like anvil, or an engine driven over the Engine API)',
  shorthand: 'execution-only',
  components,
  when: {
    fork: forkRequested,
    miner: (s, ctx) => !engineDriven(s, ctx),
    stateFile: (s) => stateFileRequested(s),
    engine: engineDriven,
    stateDiffNats: natsRequested,
    addressIndex: (s, ctx) => addressIndexWanted(s, !engineDriven(s, ctx)),
  },
  options: [...componentOptions(components), devEngineOption, ...devChainOptions],
  defaults: {
    chain: 'dev',
    // a dev node takes transactions without a tip, and answers any page's origin (anvil's CORS default)
    sections: (ctx) => ({ txpool: { minTip: 0n }, ...(ctx.spec().name === 'dev' ? { chain: { stateHistory: DEV_STATE_HISTORY }, rpc: { corsDomains: ['*'] } } : {}) }),
  },
}
