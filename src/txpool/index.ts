/**
 * The transaction pool (layer 6). Flow: a transaction from RPC (eth_sendRawTransaction,
 * eth_sendTransaction) or, later, p2p → `add`: stateless checks (size, fork rules and intrinsic
 * gas via src/types, block gas limit, minimum tip, blob sidecar) → sender recovery → checks
 * against the head state (nonce, EOA, funds) → replacement or limits → pending (executable,
 * gap-free by nonce) or queued (future). Block building takes `best(baseFee)`; the chain calls
 * `promote()` after each new head. Listeners of `onPending` get transactions as they become
 * executable (pending-transaction filters and subscriptions).
 *
 * Blob transactions must come in network form with the wrapper version of the next block's fork
 * (0 before Osaka, 1 with cell proofs from Osaka); sidecar.ts checks counts, commitments against
 * the versioned hashes and the KZG proofs (c-kzg; `verifyBlobProofs` replaces it in tests). The
 * sidecars sit in the blob pool (blob-pool.ts: limits of count and bytes, eviction by blob fee),
 * leaving with their transactions; the pool answers blobs by versioned hash and sidecars by
 * transaction hash (the Engine API's getBlobs and blobs bundles).
 */
export type { AddOptions, BlobLookup, PoolContent, PooledBlob, PooledTransaction, PoolReader, TransactionPool } from './types.ts'
export { TxPoolError, GETH_MESSAGES, type TxPoolErrorKind } from './errors.ts'
export { createTxPool } from './pool.ts'
export { DEFAULT_POOL_OPTIONS, type PoolDeps, type PoolOptions } from './options.ts'
export { bestOrder } from './ordering.ts'
export { maxCost, TX_MAX_SIZE, type PoolRules } from './validate.ts'
export { specRules } from './rules.ts'
export { createStatelessTxPool, DEFAULT_LIFETIME_MS, type StatelessPoolDeps } from './stateless.ts'
export { liveRules } from './live-rules.ts'
export { cheaperBlob, createBlobPool, DEFAULT_BLOB_POOL_LIMITS, makeBlobRoom, type BlobPool, type BlobPoolLimits } from './blob-pool.ts'
export { sidecarBytes, sidecarVersionFor, validateSidecar, verifyCellProofs, verifySidecarProofs } from './sidecar.ts'
export { sampleBlob, sampleBlobTx, type SampleBlobTx } from './sample-blobs.ts'
