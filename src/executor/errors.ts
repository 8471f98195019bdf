/**
 * Why the executor rejects a transaction. `exception` is the fixtures' `TransactionException`
 * name, so test runners compare it with `expectException` without matching text.
 */
import { MosaicError } from '../primitives/index.ts'
import type { TransactionErrorKind } from '../types/index.ts'

export type TransactionException =
  | 'INSUFFICIENT_ACCOUNT_FUNDS'
  | 'INSUFFICIENT_MAX_FEE_PER_GAS'
  | 'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS'
  | 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS'
  | 'NONCE_MISMATCH_TOO_LOW'
  | 'NONCE_MISMATCH_TOO_HIGH'
  | 'NONCE_IS_MAX'
  | 'INTRINSIC_GAS_TOO_LOW'
  | 'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST'
  | 'INITCODE_SIZE_EXCEEDED'
  | 'SENDER_NOT_EOA'
  | 'GAS_ALLOWANCE_EXCEEDED'
  | 'GAS_LIMIT_EXCEEDS_MAXIMUM'
  | 'TYPE_3_TX_ZERO_BLOBS'
  | 'TYPE_3_TX_BLOB_COUNT_EXCEEDED'
  | 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED'
  | 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH'
  | 'TYPE_3_TX_PRE_FORK'
  | 'TYPE_4_EMPTY_AUTHORIZATION_LIST'
  | 'TYPE_3_TX_CONTRACT_CREATION'
  | 'TYPE_4_TX_CONTRACT_CREATION'
  | 'TYPE_4_TX_PRE_FORK'
  | 'TYPE_1_TX_PRE_FORK'
  | 'TYPE_2_TX_PRE_FORK'
  | 'INVALID_CHAINID'
  | 'INVALID_SIGNATURE_VRS'
  | 'VALUE_OVERFLOW'

export class InvalidTransactionError extends MosaicError {
  override name = 'InvalidTransactionError'
  readonly exception: TransactionException
  constructor(exception: TransactionException, details: string, cause?: unknown) {
    super(`TX_${exception}`, 'invalid transaction', { details, cause })
    this.exception = exception
  }
}

const KIND_TO_EXCEPTION: Partial<Record<TransactionErrorKind, TransactionException>> = {
  'nonce-max': 'NONCE_IS_MAX',
  'value-overflow': 'VALUE_OVERFLOW',
  'fee-product-overflow': 'INSUFFICIENT_ACCOUNT_FUNDS',
  'priority-fee-too-high': 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS',
  'invalid-signature': 'INVALID_SIGNATURE_VRS',
  'invalid-chain-id': 'INVALID_CHAINID',
  'intrinsic-gas-too-low': 'INTRINSIC_GAS_TOO_LOW',
  'floor-gas-too-low': 'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST',
  'initcode-too-large': 'INITCODE_SIZE_EXCEEDED',
  'gas-limit-too-high': 'GAS_LIMIT_EXCEEDS_MAXIMUM',
  'no-blobs': 'TYPE_3_TX_ZERO_BLOBS',
  'too-many-blobs': 'TYPE_3_TX_BLOB_COUNT_EXCEEDED',
  'blob-version': 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
  'empty-authorization-list': 'TYPE_4_EMPTY_AUTHORIZATION_LIST',
}

/** The fixture exception name for a stateless validation error kind. */
export function exceptionOfKind(kind: TransactionErrorKind, txType: number): TransactionException {
  if (kind === 'unsupported-type') return (`TYPE_${txType}_TX_PRE_FORK` as TransactionException)
  return KIND_TO_EXCEPTION[kind] ?? 'INVALID_SIGNATURE_VRS'
}
