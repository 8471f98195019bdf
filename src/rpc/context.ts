/**
 * What every RPC method receives: the backend capabilities (chain, pool, dev controls, signer),
 * the limits, shared server state (filters) and, on WebSocket, the connection's subscription
 * sink. Methods are `(ctx, params) => result`.
 */
import type { BundleStore } from '../bundles/index.ts'
import type { SignatureTable } from '../evm/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { AccountReader } from '../state/index.ts'
import type { AddressHistory } from '../appearances/index.ts'
import type { KeyValueReader } from '../storage/index.ts'
import type { StateDiffStream } from '../statediff/index.ts'
import type { TransactionPool } from '../txpool/index.ts'
import type { ChainReader, DevControls, DevSigner, Header, PendingBlock } from './backend.ts'
import type { FilterStore } from './filters.ts'
import type { RpcLimits } from './limits.ts'
import type { ReplayDeps } from './replay.ts'

export { DEFAULT_LIMITS, type RpcLimits } from './limits.ts'

export interface RpcBackend {
  chain: ChainReader
  pool?: TransactionPool
  dev?: DevControls
  signer?: DevSigner
  pending?: PendingBlock
  /** Block prelude and transaction execution for re-executing mined blocks (debug traces). */
  replay?: ReplayDeps
  /** The state-diff stream, when the node has it (mosaic_getStateDiff, the mosaic_stateDiffs subscription). */
  stateDiffs?: StateDiffStream
  /** Bundles kept for block production (eth_sendBundle), when the node produces blocks. */
  bundles?: Pick<BundleStore, 'add'>
  /** Another node's head state, when this node simulates on it (the txpool profile's --state.url): eth_callBundle. */
  stateHead?: () => StateHead
  /** Why this node holds no state to simulate on (the txpool profile without --state.url): eth_callBundle refuses with it. */
  noState?: string
  /** Passes a call on to the node this one forwards transactions to (--txpool.forward): eth_sendBundle. */
  forward?: (method: string, params: unknown[]) => Promise<unknown>
  /**
   * Changes whenever the state readable at the head changes without the head moving (dev edits),
   * so that EVM workers (./workers) drop what they read before. Absent: only head moves change it.
   */
  stateVersion?: () => number
  /** The address-appearance index, when the node keeps it (Otterscan's ots_search*, ots_getContractCreator). */
  history?: AddressHistory
  /** The client's key-value store, read raw (debug_dbGet, debug_codeByHash); its layout is src/storage/tables.ts. */
  db?: Pick<KeyValueReader, 'get'>
  /** A dev node's ecrecover overrides (anvil_impersonateSignature): every EVM run of the node reads them. */
  signatures?: SignatureTable
  /** Sync from peers, when the node has it: its progress or false (eth_syncing). */
  syncing?: () => SyncStatus | false
}

/** Another node's head: its header and hash, its state, the block hashes below it. */
export interface StateHead {
  header: Header
  hash: Hash
  state: AccountReader
  blockHash: (n: bigint) => Hash | undefined
}

/** eth_syncing's fields (geth's) while a sync runs. */
export interface SyncStatus {
  startingBlock: bigint
  currentBlock: bigint
  highestBlock: bigint
}

/** A WebSocket connection's side of subscriptions. */
export interface SubscriptionSink {
  /** Sends an `eth_subscription` notification; false when the connection is gone. */
  notify(id: string, result: unknown): boolean
  /** Registers a subscription's teardown under its id; returns false at the per-connection limit. */
  add(id: string, stop: () => void): boolean
  remove(id: string): boolean
  /** Whether the connection's transport serves a namespace (`--ws.api`). */
  exposes?(namespace: string): boolean
}

/** What the calls of one batch share (src/rpc/dispatch.ts): its end and the EVM gas its calls used. */
export interface BatchBudget {
  /** performance.now() time after which calls stop with -32000 "execution timeout". */
  end: number
  gasUsed: bigint
}

export interface RpcContext extends RpcBackend {
  limits: RpcLimits
  /** Only inside a batch. */
  batch?: BatchBudget
  filters: FilterStore
  clientVersion: string
  /** Only on WebSocket connections. */
  subscriptions?: SubscriptionSink
}

export type Handler = (ctx: RpcContext, params: unknown) => unknown

/** Full method name → handler. */
export type Methods = Record<string, Handler>
