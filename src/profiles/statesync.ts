/**
 * The `statesync` profile (`--statesync`), in one of two modes.
 *
 * - A follower (the default): streams the state diff of every block of a chain into pluggable
 *   data stores. The chain is driven over the Engine API (a consensus client, or `mosaic
 *   cl-mock`: the execution profile's engine component, on --authrpc.*), after importing
 *   `--source FILE` block files when given. Every block's diff reaches each `--store` through its
 *   own subscription to the state-diff stream, at its own pace, and each store resumes after its
 *   own head when the node restarts (./components/state-stores.ts). The public RPC serves the
 *   chain (eth_*) and the stream (mosaic_*).
 * - A read replica, with `--source nats://HOST:PORT[/STREAM]`: follows the chain's state-diff
 *   stream on NATS JetStream into its one `--store` through a durable consumer of its own
 *   (`--replica NAME`), and answers account reads at its head over JSON-RPC
 *   (./components/replica.ts). Publishers: `mosaic statesync --sink nats://…`, or a node with
 *   `--statediff.nats nats://…`; run any number of replicas.
 *
 * The bounded testbed with verification and a report is `mosaic statesync`.
 */
import { blockFileSourceComponent, blockFilesRequested } from './components/block-file-source.ts'
import { chainComponent } from './components/chain.ts'
import { engineComponent } from './components/engine.ts'
import { metricsComponent } from './components/metrics.ts'
import { headLatestComponent } from './components/latest.ts'
import { replicaComponent, replicaRequested, replicaRpcComponent } from './components/replica.ts'
import { rpcComponent } from './components/rpc.ts'
import { stateDiffsComponent } from './components/state-diffs.ts'
import { stateStoresComponent } from './components/state-stores.ts'
import { storageComponent } from './components/storage.ts'
import type { ConfigSections } from '../node/index.ts'
import { componentOptions, type Profile } from './profile.ts'

const follower = [storageComponent, chainComponent, stateDiffsComponent, stateStoresComponent, blockFileSourceComponent, headLatestComponent, engineComponent, rpcComponent]
const replica = [replicaComponent, replicaRpcComponent]
// metrics in both modes (off unless --metrics)
const components = [...follower, ...replica, metricsComponent]

const following = (s: ConfigSections) => !replicaRequested(s)

export const statesyncProfile: Profile = {
  name: 'statesync',
  summary: "follows a chain (Engine API, block files) and streams each block's state diff into pluggable data stores, each at its own pace; with --source nats://… a read replica serving account reads from its store",
  shorthand: 'statesync',
  components,
  when: {
    ...Object.fromEntries(follower.map((c) => [c.name ?? c.provides, following])),
    blockFileSource: (s) => following(s) && blockFilesRequested(s.statesync),
    replica: replicaRequested,
    'replica-rpc': replicaRequested,
  },
  options: componentOptions(components),
  defaults: { chain: 'mainnet' },
}
