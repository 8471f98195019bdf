/**
 * Why a transaction is rejected. Decoders and validators throw `TransactionError` with a
 * machine-readable `kind` (and the offending `field` where there is one); callers branch on
 * these, never on message text. Malformed RLP keeps the `RlpError` as `cause`.
 */
import { MosaicError } from '../primitives/index.ts'

export type TransactionErrorKind =
  // decoding
  | 'malformed' // not valid RLP, or not shaped as a transaction at all
  | 'unsupported-type' // unknown type byte, or a type not active in the fork
  | 'field-count' // too few or too many fields
  | 'field-type' // a list where bytes belong, or bytes where a list belongs
  | 'leading-zeros' // an integer field not in minimal form
  | 'address-length' // an address that is not 20 bytes
  | 'storage-key-length' // an access-list storage key that is not 32 bytes
  | 'nonce-overflow' // nonce of 2^64 or more
  | 'gas-limit-overflow' // gas limit of 2^64 or more
  | 'authorization' // an authorization tuple field out of its bounds (EIP-7702)
  | 'create-not-allowed' // blob (EIP-4844) or set-code (EIP-7702) transaction without `to`
  // validation
  | 'nonce-max' // nonce of 2^64 - 1 (EIP-2681)
  | 'value-overflow' // value, gas price or a fee cap of 2^256 or more
  | 'fee-product-overflow' // gas limit × gas price (or max fee) of 2^256 or more
  | 'priority-fee-too-high' // maxPriorityFeePerGas > maxFeePerGas
  | 'invalid-signature' // v/yParity, r or s out of range (EIP-2 low s from Homestead)
  | 'invalid-chain-id' // chain id other than the chain's, or a legacy v that encodes none
  | 'recovery-failed' // signature in range, but no public key recovers from it
  | 'intrinsic-gas-too-low' // gas limit below the intrinsic gas
  | 'floor-gas-too-low' // gas limit below the EIP-7623 calldata floor
  | 'initcode-too-large' // EIP-3860
  | 'gas-limit-too-high' // EIP-7825 cap
  | 'no-blobs' // EIP-4844 transaction without blob hashes
  | 'too-many-blobs'
  | 'blob-version' // a blob versioned hash not starting with 0x01
  | 'blob-sidecar' // network-form blobs, commitments, proofs: wrong count, size or hash
  | 'empty-authorization-list' // EIP-7702 transaction without authorizations

export class TransactionError extends MosaicError {
  override name = 'TransactionError'
  readonly kind: TransactionErrorKind
  /** The field at fault, when there is one (`nonce`, `to`, `accessList`, `v`, ...). */
  readonly field?: string
  /** The EIP-2718 type of the transaction, when decoding got that far. */
  readonly txType?: number

  constructor(kind: TransactionErrorKind, details: string, opts: { field?: string; cause?: unknown; txType?: number } = {}) {
    super(`TX_${kind.toUpperCase().replaceAll('-', '_')}`, 'invalid transaction', { details, cause: opts.cause })
    this.kind = kind
    this.field = opts.field
    this.txType = opts.txType
  }
}
