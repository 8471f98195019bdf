/**
 * The `node` profile (`--mainnet`): the proof-of-stake full node — storage, the chain, the
 * transaction pool with gossip over p2p (discovery and the eth protocol, as the txpool profile
 * has them), sync from peers (a head the consensus client names that the chain cannot reach
 * answers SYNCING and becomes the sync target), the Engine API for the consensus client, the
 * state-diff stream and the public RPC (with eth_sendBundle's bundles at the top of the payloads
 * the Engine API builds).
 */
import { adminApiComponent } from './components/admin-api.ts'
import { blobPoolComponent } from './components/blob-pool.ts'
import { bundlesComponent } from './components/bundles.ts'
import { chainComponent } from './components/chain.ts'
import { engineComponent } from './components/engine.ts'
import { ethComponent } from './components/eth.ts'
import { headLatestComponent } from './components/latest.ts'
import { p2pComponent } from './components/p2p.ts'
import { metricsComponent } from './components/metrics.ts'
import { rpcComponent } from './components/rpc.ts'
import { stateDiffsComponent } from './components/state-diffs.ts'
import { storageComponent } from './components/storage.ts'
import { syncComponent } from './components/sync.ts'
import { txGossipComponent } from './components/txgossip.ts'
import { txpoolComponent } from './components/txpool.ts'
import { componentOptions, type Profile } from './profile.ts'

const components = [
  storageComponent,
  chainComponent,
  stateDiffsComponent,
  headLatestComponent,
  txpoolComponent,
  blobPoolComponent,
  bundlesComponent,
  p2pComponent,
  ethComponent,
  txGossipComponent,
  syncComponent,
  adminApiComponent,
  engineComponent,
  rpcComponent,
  metricsComponent,
]

export const nodeProfile: Profile = {
  name: 'node',
  summary: 'proof-of-stake full node: p2p, sync, txpool, executor, blockchain, Engine API, RPC',
  shorthand: 'mainnet',
  shorthandArgs: ['--chain', 'mainnet'],
  components,
  options: componentOptions(components),
  defaults: { chain: 'mainnet' },
}
