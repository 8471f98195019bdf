/** Plain data and the capability interface of the transaction pool. */
import type { Address, Hash } from '../primitives/index.ts'
import type { BlobTransactionNetwork, Transaction } from '../types/index.ts'

/** One pooled blob and its proofs: one KZG proof (wrapper version 0) or 128 cell proofs (version 1). */
export interface PooledBlob {
  blob: Uint8Array
  proofs: readonly Uint8Array[]
  wrapperVersion: 0 | 1
}

/** Lookups of the blob pool. Consumer: the Engine API (its BlobReader and SidecarReader). */
export interface BlobLookup {
  /** The blob with this versioned hash and its proofs, from any pooled transaction carrying it. */
  blobByVersionedHash(hash: Hash): PooledBlob | undefined
  /** The sidecar of a pooled blob transaction. */
  sidecarOf(txHash: Hash): BlobTransactionNetwork | undefined
}

/** A transaction the pool holds, with what it learned while admitting it. */
export interface PooledTransaction {
  readonly tx: Transaction
  readonly hash: Hash
  readonly sender: Address
  /** The canonical encoding (for blob transactions: without the sidecar). */
  readonly raw: Uint8Array
  /** EIP-4844 network form (blobs, commitments, proofs), when the transaction came with it. */
  readonly sidecar?: BlobTransactionNetwork
  /** Encoded size in bytes (the network form for blob transactions), for limits and slots. */
  readonly size: number
  /** Arrival order, for ties in ordering. */
  readonly seq: number
}

/** Options of one `add`. */
export interface AddOptions {
  /** The sender when already known (recovered by the caller); otherwise recovered here. */
  sender?: Address
  /** The network form of a blob transaction. */
  sidecar?: BlobTransactionNetwork
}

/** Transactions per sender, lower-case 0x address → ordered by nonce. */
export type PoolContent = Map<string, PooledTransaction[]>

/**
 * The pool as its consumers see it. Consumers: RPC (eth_sendRawTransaction, eth_sendTransaction,
 * txpool_*, `pending` nonces, pending-transaction filters and subscriptions), block building
 * (`best`), the chain (`promote` after each new head), p2p (announcements) later; the Engine
 * API (the blob pool's lookups: blobs by versioned hash, sidecars by transaction hash).
 */
export interface TransactionPool extends BlobLookup {
  /** Validates against the head state and admits; throws `TxPoolError`. */
  add(tx: Transaction, opts?: AddOptions): PooledTransaction
  get(hash: Hash): PooledTransaction | undefined
  has(hash: Hash): boolean
  /** The sender's next nonce counting its executable transactions (eth_getTransactionCount at `pending`). */
  nonce(sender: Address): bigint
  /** Executable (gap-free from the account nonce) and future transactions. */
  content(): { pending: PoolContent; queued: PoolContent }
  contentFrom(sender: Address): { pending: PooledTransaction[]; queued: PooledTransaction[] }
  /** Counts: executable, future, and of those the blob transactions (their sidecars are in the blob pool). */
  status(): { pending: number; queued: number; blobs: number }
  /**
   * Executable transactions for a block with `baseFee`, best first: highest effective tip, each
   * sender's in nonce order. Transactions whose fee cap is below the base fee are skipped.
   */
  best(baseFee: bigint, blobBaseFee?: bigint): PooledTransaction[]
  /** Re-checks every transaction against the new head state: drops mined and invalid ones,
   *  promotes queued ones whose gap closed. */
  promote(): void
  remove(hash: Hash): boolean
  /** New executable transactions, in the order they became executable. */
  onPending(listener: (txs: PooledTransaction[]) => void): () => void
}

/**
 * What readers of the pool need: lookups, nonces, contents and new executable transactions.
 * Consumers: RPC filters and subscriptions, txpool_*, `pending` nonces.
 */
export type PoolReader = Pick<TransactionPool, 'get' | 'has' | 'nonce' | 'content' | 'contentFrom' | 'status' | 'onPending'>
