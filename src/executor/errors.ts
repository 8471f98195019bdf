/**
 * Why the executor rejects a transaction or message. `transact` throws `TransactError` with a
 * kind and the two numbers its callers' texts need; block execution maps the kind to the
 * fixtures' `TransactionException` name (`InvalidTransactionError`), so test runners compare it
 * with `expectException` without matching text; the RPC maps it to geth's texts.
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

/** Why `transact` cannot run a message (the state is left untouched). */
export type TransactErrorKind =
  | 'unsupported-fork'
  | 'nonce-too-low'
  | 'nonce-too-high'
  | 'nonce-max'
  | 'sender-not-eoa'
  | 'gas-limit-too-high'
  | 'tip-above-fee-cap'
  | 'fee-cap-too-low'
  | 'blob-pre-cancun'
  | 'blob-create'
  | 'blob-version'
  | 'blob-count'
  | 'blob-count-tx'
  | 'blob-none'
  | 'blob-gas-limit'
  | 'blob-fee-cap-too-low'
  | 'set-code-create'
  | 'set-code-empty'
  | 'block-gas-limit'
  | 'insufficient-funds'
  | 'intrinsic-gas'
  | 'floor-gas'
  | 'initcode-size'

/**
 * `got` is the message's value and `limit` what it was held against (the account nonce, the
 * base fee, the balance as `got` and the cost as `limit` for funds, ...); for 'blob-version'
 * `got` is the index of the bad hash.
 */
export class TransactError extends MosaicError {
  override name = 'TransactError'
  readonly kind: TransactErrorKind
  readonly got: bigint
  readonly limit: bigint
  constructor(kind: TransactErrorKind, got = 0n, limit = 0n) {
    super(`TRANSACT_${kind.toUpperCase().replaceAll('-', '_')}`, `message cannot run: ${kind}`, { details: `${got} against ${limit}` })
    this.kind = kind
    this.got = got
    this.limit = limit
  }
}

const TRANSACT_EXCEPTION: Record<TransactErrorKind, TransactionException> = {
  'unsupported-fork': 'TYPE_1_TX_PRE_FORK',
  'nonce-too-low': 'NONCE_MISMATCH_TOO_LOW',
  'nonce-too-high': 'NONCE_MISMATCH_TOO_HIGH',
  'nonce-max': 'NONCE_IS_MAX',
  'sender-not-eoa': 'SENDER_NOT_EOA',
  'gas-limit-too-high': 'GAS_LIMIT_EXCEEDS_MAXIMUM',
  'tip-above-fee-cap': 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS',
  'fee-cap-too-low': 'INSUFFICIENT_MAX_FEE_PER_GAS',
  'blob-pre-cancun': 'TYPE_3_TX_PRE_FORK',
  'blob-create': 'TYPE_3_TX_CONTRACT_CREATION',
  'blob-version': 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH',
  'blob-count': 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED',
  'blob-count-tx': 'TYPE_3_TX_BLOB_COUNT_EXCEEDED',
  'blob-none': 'TYPE_3_TX_ZERO_BLOBS',
  'blob-gas-limit': 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED',
  'blob-fee-cap-too-low': 'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS',
  'set-code-create': 'TYPE_4_TX_CONTRACT_CREATION',
  'set-code-empty': 'TYPE_4_EMPTY_AUTHORIZATION_LIST',
  'block-gas-limit': 'GAS_ALLOWANCE_EXCEEDED',
  'insufficient-funds': 'INSUFFICIENT_ACCOUNT_FUNDS',
  'intrinsic-gas': 'INTRINSIC_GAS_TOO_LOW',
  'floor-gas': 'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST',
  'initcode-size': 'INITCODE_SIZE_EXCEEDED',
}

const TRANSACT_DETAILS: Partial<Record<TransactErrorKind, (e: TransactError) => string>> = {
  'nonce-too-low': (e) => `nonce ${e.got}, account nonce ${e.limit}`,
  'nonce-too-high': (e) => `nonce ${e.got}, account nonce ${e.limit}`,
  'nonce-max': () => 'account nonce at 2^64-1',
  'sender-not-eoa': () => 'sender has code',
  'fee-cap-too-low': (e) => `fee cap ${e.got} below base fee ${e.limit}`,
  'blob-count': (e) => `${e.got} blobs above the block limit`,
  'blob-count-tx': (e) => `${e.got} blobs, at most ${e.limit} per transaction`,
  'blob-gas-limit': () => 'blob gas above the block limit',
  'blob-fee-cap-too-low': (e) => `blob fee cap ${e.got} below blob base fee ${e.limit}`,
  'blob-create': () => 'no contract creation for this type',
  'set-code-create': () => 'no contract creation for this type',
  'block-gas-limit': (e) => `gas limit ${e.got} above the block's remaining gas`,
  'insufficient-funds': (e) => `balance ${e.got}, needs ${e.limit}`,
}

/** Block execution's view of a transact failure: the fixture exception name. */
export function invalidTransaction(e: TransactError): InvalidTransactionError {
  return new InvalidTransactionError(TRANSACT_EXCEPTION[e.kind], TRANSACT_DETAILS[e.kind]?.(e) ?? e.message, e)
}
