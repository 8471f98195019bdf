/**
 * What the metrics observe, as small capabilities the lower layers already offer: the chain's
 * head and import events, the pool's counts, the connected peers, the RPC and Engine API call
 * events. The metrics component adapts the node's services to these; none of the observed
 * components knows about Prometheus.
 */
import type { ImportedBlock } from '../../blockchain/index.ts'
import type { CallListener } from '../../rpc/index.ts'
import type { Header } from '../../types/index.ts'

export interface HeadSource {
  head(): Header
  onImported?(listener: (e: ImportedBlock) => void): () => void
}

export interface PoolCounts {
  status(): { pending: number; queued: number; blobs: number }
}

export interface PeerInfo {
  inbound: boolean
  /** The client id of the peer's Hello ("Geth/v1.15.0-stable/linux-amd64/go1.24"). */
  clientId: string
}

export interface PeerSource {
  peers(): Iterable<PeerInfo>
}

export interface CallSource {
  onCall(listener: CallListener): () => void
}
