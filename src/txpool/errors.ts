/**
 * Why the pool refuses a transaction. `kind` is for code; the message starts with geth's text
 * for the same case ("nonce too low", "replacement transaction underpriced", ...), which tools
 * match on, followed by the particulars.
 */
import { MosaicError } from '../primitives/index.ts'
import type { TransactionError, TransactionErrorKind } from '../types/index.ts'

export type TxPoolErrorKind =
  | 'already-known'
  | 'nonce-too-low'
  | 'replacement-underpriced'
  | 'underpriced'
  | 'insufficient-funds'
  | 'type-not-supported'
  | 'intrinsic-gas'
  | 'floor-gas'
  | 'block-gas-limit'
  | 'oversized-data'
  | 'invalid-chain-id'
  | 'invalid-signature'
  | 'invalid-sender'
  | 'fee-cap-below-base-fee'
  | 'tip-above-fee-cap'
  | 'gas-limit-too-high'
  | 'initcode-size'
  | 'nonce-max'
  | 'value-overflow'
  | 'blob'
  | 'set-code'
  | 'account-limit'
  | 'pool-full'
  | 'sender-not-eoa'

/** geth's message for each kind (core/error.go, core/txpool/errors.go). */
export const GETH_MESSAGES: Record<TxPoolErrorKind, string> = {
  'already-known': 'already known',
  'nonce-too-low': 'nonce too low',
  'replacement-underpriced': 'replacement transaction underpriced',
  underpriced: 'transaction underpriced',
  'insufficient-funds': 'insufficient funds for gas * price + value',
  'type-not-supported': 'transaction type not supported',
  'intrinsic-gas': 'intrinsic gas too low',
  'floor-gas': 'insufficient gas for floor data gas cost',
  'block-gas-limit': 'exceeds block gas limit',
  'oversized-data': 'oversized data',
  'invalid-chain-id': 'invalid chain id for signer',
  'invalid-signature': 'invalid transaction v, r, s values',
  'invalid-sender': 'invalid sender',
  'fee-cap-below-base-fee': 'max fee per gas less than block base fee',
  'tip-above-fee-cap': 'max priority fee per gas higher than max fee per gas',
  'gas-limit-too-high': 'transaction gas limit too high',
  'initcode-size': 'max initcode size exceeded',
  'nonce-max': 'nonce has max value',
  'value-overflow': 'value or fee exceeds 256 bits',
  blob: 'invalid blob transaction',
  'set-code': 'invalid set code transaction',
  'account-limit': 'account limit exceeded',
  'pool-full': 'txpool is full',
  'sender-not-eoa': 'sender not an eoa',
}

/**
 * Refusals of a transaction no honest node would relay: it is invalid whatever the pool or the
 * chain state (as reth's `PoolError::is_bad_transaction`). Price, capacity, nonce and balance
 * refusals depend on the receiver's view and are no fault of the sender.
 */
const BAD_TRANSACTION: ReadonlySet<TxPoolErrorKind> = new Set<TxPoolErrorKind>([
  'invalid-signature', 'invalid-sender', 'invalid-chain-id', 'intrinsic-gas', 'floor-gas', 'type-not-supported', 'oversized-data',
  'tip-above-fee-cap', 'gas-limit-too-high', 'initcode-size', 'nonce-max', 'value-overflow', 'blob', 'set-code',
])

export class TxPoolError extends MosaicError {
  override name = 'TxPoolError'
  readonly kind: TxPoolErrorKind
  constructor(kind: TxPoolErrorKind, details?: string, cause?: unknown) {
    super(`TXPOOL_${kind.toUpperCase().replaceAll('-', '_')}`, GETH_MESSAGES[kind], { details, cause })
    this.kind = kind
  }

  /** Whether the peer that relayed the transaction is at fault (transaction gossip penalises it). */
  isBadTransaction(): boolean {
    return BAD_TRANSACTION.has(this.kind)
  }
}

const FROM_TX_ERROR: Partial<Record<TransactionErrorKind, TxPoolErrorKind>> = {
  'unsupported-type': 'type-not-supported',
  'invalid-chain-id': 'invalid-chain-id',
  'invalid-signature': 'invalid-signature',
  'recovery-failed': 'invalid-sender',
  'intrinsic-gas-too-low': 'intrinsic-gas',
  'floor-gas-too-low': 'floor-gas',
  'initcode-too-large': 'initcode-size',
  'gas-limit-too-high': 'gas-limit-too-high',
  'priority-fee-too-high': 'tip-above-fee-cap',
  'value-overflow': 'value-overflow',
  'fee-product-overflow': 'insufficient-funds',
  'nonce-max': 'nonce-max',
  'no-blobs': 'blob',
  'too-many-blobs': 'blob',
  'blob-version': 'blob',
  'blob-sidecar': 'blob',
  'empty-authorization-list': 'set-code',
  'create-not-allowed': 'type-not-supported',
}

/** The pool error for a stateless validation failure from src/types. */
export function fromTransactionError(err: TransactionError): TxPoolError {
  return new TxPoolError(FROM_TX_ERROR[err.kind] ?? 'invalid-signature', err.details, err)
}
