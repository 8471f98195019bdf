/**
 * The `statesync` profile (`--statesync`): a long-running follower that streams the state diff
 * of every block of a chain into pluggable data stores. The chain is driven over the Engine API
 * (a consensus client, or `mosaic cl-mock`: the execution profile's engine component, on
 * --authrpc.*), after importing `--source FILE` block files when given. Every block's diff
 * reaches each `--store` through its own subscription to the state-diff stream, at its own
 * pace, and each store resumes after its own head when the node restarts (./components/
 * state-stores.ts). The public RPC serves the chain (eth_*) and the stream (mosaic_*). The
 * bounded testbed with verification and a report is `mosaic statesync`.
 */
import { blockFileSourceComponent, blockFilesRequested } from './components/block-file-source.ts'
import { chainComponent } from './components/chain.ts'
import { engineComponent } from './components/engine.ts'
import { headLatestComponent } from './components/latest.ts'
import { rpcComponent } from './components/rpc.ts'
import { stateDiffsComponent } from './components/state-diffs.ts'
import { stateStoresComponent } from './components/state-stores.ts'
import { storageComponent } from './components/storage.ts'
import { componentOptions, type Profile } from './profile.ts'

const components = [storageComponent, chainComponent, stateDiffsComponent, stateStoresComponent, blockFileSourceComponent, headLatestComponent, engineComponent, rpcComponent]

export const statesyncProfile: Profile = {
  name: 'statesync',
  summary: "follows a chain (Engine API, block files) and streams each block's state diff into pluggable data stores, each at its own pace",
  shorthand: 'statesync',
  components,
  when: { blockFileSource: (s) => blockFilesRequested(s.statesync) },
  options: componentOptions(components),
  defaults: { chain: 'mainnet' },
}
