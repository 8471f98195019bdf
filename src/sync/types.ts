/** The shapes the syncer's phases share: the chain it drives, its target, its limits, its log. */
import type { BlockImporter, ChainReader, ForkChoice } from '../blockchain/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { Block } from '../types/index.ts'

/** The chain as sync uses it (Blockchain fits). */
export type SyncChain = ChainReader & BlockImporter & ForkChoice

/** What the consensus client named (the Engine API's SyncTarget). */
export interface SyncTargetInput {
  hash: Hash
  state?: { safeBlockHash: Hash; finalizedBlockHash: Hash }
  block?: Block
}

export interface SyncLimits {
  /** Headers per request (the eth protocol's serving limit, geth's maxHeadersServe). */
  headersPerRequest: number
  /** Bodies per request (geth's MaxBlockFetch). */
  bodiesPerRequest: number
  /** Requests of ours outstanding per peer. */
  requestsPerPeer: number
  /** Blocks downloaded past the import point at most. */
  aheadBlocks: number
  /** Header batches asked or held below the stored headers at most (the top by hash, the rest by number). */
  headerBatchesAhead: number
  /** Time a peer has to answer one request before it is dropped. */
  requestTimeoutMs: number
  /** Interval of the progress and waiting log lines. */
  logIntervalMs: number
}

export const SYNC_LIMITS: SyncLimits = {
  headersPerRequest: 1024,
  bodiesPerRequest: 128,
  requestsPerPeer: 2,
  aheadBlocks: 1024,
  headerBatchesAhead: 8,
  requestTimeoutMs: 10_000,
  logIntervalMs: 8_000,
}

export type SyncLog = (level: 'info' | 'warn' | 'error' | 'debug', msg: string, fields?: Record<string, unknown>) => void
