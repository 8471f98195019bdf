/**
 * The `node` profile (`--mainnet`): the proof-of-stake full node — storage, the chain, the
 * transaction pool with gossip over p2p (discovery and the eth protocol, as the txpool profile
 * has them), the Engine API for the consensus client and the public RPC. Until sync from peers
 * lands (the planned `sync` component) the chain moves only as the consensus client feeds it
 * payloads: a head it cannot reach from its stored blocks answers SYNCING.
 */
import { adminApiComponent } from './components/admin-api.ts'
import { blobPoolComponent } from './components/blob-pool.ts'
import { chainComponent } from './components/chain.ts'
import { engineComponent } from './components/engine.ts'
import { ethComponent } from './components/eth.ts'
import { headLatestComponent } from './components/latest.ts'
import { p2pComponent } from './components/p2p.ts'
import { rpcComponent } from './components/rpc.ts'
import { storageComponent } from './components/storage.ts'
import { txGossipComponent } from './components/txgossip.ts'
import { txpoolComponent } from './components/txpool.ts'
import { componentOptions, type Profile } from './profile.ts'

const components = [
  storageComponent,
  chainComponent,
  headLatestComponent,
  txpoolComponent,
  blobPoolComponent,
  p2pComponent,
  ethComponent,
  txGossipComponent,
  adminApiComponent,
  engineComponent,
  rpcComponent,
]

export const nodeProfile: Profile = {
  name: 'node',
  summary: 'proof-of-stake full node: p2p, txpool, executor, blockchain, Engine API, RPC (sync from peers still to come)',
  shorthand: 'mainnet',
  shorthandArgs: ['--chain', 'mainnet'],
  components,
  planned: ['sync'],
  options: componentOptions(components),
  defaults: { chain: 'mainnet' },
}
