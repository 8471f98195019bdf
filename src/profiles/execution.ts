/**
 * The `execution` profile: EVM, state, storage, block production and JSON-RPC, without p2p or
 * consensus — an anvil/Hardhat-style dev node by default (chain `dev`, id 31337, the ten
 * test-mnemonic accounts funded and unlocked, a block per transaction), for rollup builders,
 * testing tools and local development.
 */
import { chainComponent } from './components/chain.ts'
import { devLatestComponent } from './components/latest.ts'
import { minerComponent } from './components/miner.ts'
import { rpcComponent } from './components/rpc.ts'
import { storageComponent } from './components/storage.ts'
import { txpoolComponent } from './components/txpool.ts'
import { componentOptions, type Profile } from './profile.ts'

/** Dev chains keep every block's state reachable, so evm_revert can go back any distance. */
const DEV_STATE_HISTORY = 1_000_000

const components = [storageComponent, chainComponent, devLatestComponent, txpoolComponent, minerComponent, rpcComponent]

export const executionProfile: Profile = {
  name: 'execution',
  summary: 'EVM, state, storage, dev block production and JSON-RPC; no p2p (a dev node like anvil)',
  shorthand: 'execution-only',
  components,
  options: componentOptions(components),
  defaults: {
    chain: 'dev',
    // a dev node takes transactions without a tip
    sections: (ctx) => ({ txpool: { minTip: 0n }, ...(ctx.spec().name === 'dev' ? { chain: { stateHistory: DEV_STATE_HISTORY } } : {}) }),
  },
}
