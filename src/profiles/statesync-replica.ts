/**
 * The `statesync` profile as a read replica: `mosaic --profile statesync --source
 * nats://HOST:PORT[/STREAM] --store rocksdb:DIR --http.port N` follows the chain's state-diff
 * stream on NATS JetStream into its own store and answers account reads at its head over
 * JSON-RPC (./components/replica.ts). Publishers: `mosaic statesync --sink nats://…`, or a node
 * with `--statediff.nats nats://…`. Run any number of them, each with its own `--replica` name.
 */
import { replicaComponent, replicaRpcComponent } from './components/replica.ts'
import { componentOptions, type Profile } from './profile.ts'

const components = [replicaComponent, replicaRpcComponent]

export const statesyncReplicaProfile: Profile = {
  name: 'statesync',
  summary: 'a read replica: follows the chain\'s state-diff stream on NATS JetStream into a store and serves account reads at its head over JSON-RPC',
  shorthand: 'statesync',
  components,
  options: componentOptions(components),
  defaults: { chain: 'mainnet' },
}
