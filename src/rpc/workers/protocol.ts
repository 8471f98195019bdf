/**
 * The messages between the RPC server's thread (./pool.ts, ./chain-host.ts) and its EVM
 * workers (./worker.ts). Jobs and their outcomes travel on the worker's own channel; a job's
 * reads of chain and state travel on a second port, answered while the worker sleeps in
 * Atomics.wait (./blocking-port.ts). Values are structured clones: bigints and bytes as they are.
 */
import type { RpcLimits } from '../limits.ts'

/** What a worker asks the server's thread; each name is a ChainReader/PendingBlock read (./chain-host.ts). */
export type ReadOp =
  | 'head' | 'headerByNumber' | 'headerByHash' | 'blockByHash' | 'canonicalHash' | 'safe' | 'finalized'
  | 'receipts' | 'senders' | 'transactionLocation'
  | 'stateRoot' | 'account' | 'storage' | 'hasStorage'
  | 'nextHeader' | 'pendingBlock'

export interface ReadRequest {
  job: number
  op: ReadOp
  args: unknown[]
}

/** `stale`: the chain moved (a new head, a dev edit) since the job started; the job starts over. */
export type ReadReply = { value: unknown } | { stale: true }

/** What a worker is started with. */
export interface WorkerInit {
  /** The chain spec without its genesis alloc (a function; workers do not need it). */
  spec: unknown
  limits: RpcLimits
  clientVersion: string
  /** Whether the node has dev controls / a pending block builder (block selection depends on them). */
  dev: boolean
  pending: boolean
  /** Traces replay blocks with src/executor's system calls (the node's ReplayDeps are that). */
  systemCalls: boolean
  reads: MessagePort
  /** One int32 the server's thread sets and notifies when a read's answer is posted. */
  signal: SharedArrayBuffer
}

export interface Job {
  id: number
  method: string
  params: unknown
  /** The chain's generation when the job was sent: reads cached under another are dropped. */
  gen: number
  /** Inside a batch: ms left of its time budget. */
  batchLeftMs?: number
  /** The chain id when the job was sent (a dev node's anvil_setChainId changes it; CHAINID and signatures read it). */
  chainId: bigint
  /** A dev node's ecrecover overrides when it has any, as hex pairs (SignatureTable.entries). */
  signatures?: [string, string][]
}

/** `ms`: how long the method ran on the worker (./placement.ts). */
export type JobOutcome =
  | { id: number; ok: true; json: string; gasUsed: bigint; ms: number }
  | { id: number; ok: false; error: { code: number; message: string; data?: unknown }; gasUsed: bigint; ms: number }
  | { id: number; stale: true }
