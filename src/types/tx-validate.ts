/**
 * Stateless validity of a decoded transaction in a fork: everything that needs neither the
 * sender's account nor the block (those are the executor's and the txpool's). Checks run in the
 * order the reference clients report them: type, chain id and signature values, [sender
 * recovery], the EIP-4844 and EIP-7702 list rules, gas limit cap, intrinsic gas, 64/256-bit
 * bounds, initcode size. Recovery itself is `recoverSender`'s (or `recoverSenders`' for a block).
 */
import { SECP256K1_N, SECP256K1_N_HALF } from '../crypto/index.ts'
import { TWO_POW_256, UINT64_MAX } from '../primitives/index.ts'
import { hasBlobVersion } from './blob.ts'
import { TransactionError } from './errors.ts'
import { txRules, type ForkName, type TxRules } from './fork.ts'
import { intrinsicGas, MAX_INITCODE_SIZE, MAX_TX_GAS_LIMIT, type IntrinsicGas } from './intrinsic-gas.ts'
import type { Transaction } from './transaction.ts'

export interface ValidationOptions {
  fork: ForkName
  /** The chain's id. When given, EIP-155 and typed transactions must carry it. */
  chainId?: bigint
  /** Overrides the fork's mainnet blob limit per transaction (chainspec blob schedule). */
  maxBlobsPerTransaction?: number
}

const TYPE_FORK: Partial<Record<number, [keyof TxRules, string]>> = {
  1: ['eip2930', 'EIP-2930 (Berlin)'],
  2: ['eip1559', 'EIP-1559 (London)'],
  3: ['eip4844', 'EIP-4844 (Cancun)'],
  4: ['eip7702', 'EIP-7702 (Prague)'],
}

/** Whether transactions of `type` (an EIP-2718 type byte, 0 for legacy) are valid in `fork`. */
export function isTxTypeActive(type: number, fork: ForkName): boolean {
  if (type === 0) return true
  const entry = TYPE_FORK[type]
  return entry !== undefined && txRules(fork)[entry[0]] === true
}

/**
 * Throws `TransactionError` when `tx` is invalid in `opts.fork`; returns its intrinsic gas and
 * calldata floor for the caller to reuse. Runs {@link checkTransactionSignature} then
 * {@link checkTransactionLimits}; callers that recover the sender in between (as the reference
 * clients do, so that a bad signature is reported before a low gas limit) call those two.
 */
export function validateTransaction(tx: Transaction, opts: ValidationOptions): IntrinsicGas {
  checkTransactionSignature(tx, opts)
  return checkTransactionLimits(tx, opts)
}

/** Type active in the fork, chain id (EIP-155), signature values (EIP-2 low s from Homestead). */
export function checkTransactionSignature(tx: Transaction, opts: ValidationOptions): void {
  const rules = txRules(opts.fork)
  if (tx.type !== 0) {
    const [flag, eip] = TYPE_FORK[tx.type]!
    if (!rules[flag]) throw new TransactionError('unsupported-type', `type ${tx.type} transactions need ${eip}, not active in ${opts.fork}`)
  }
  checkChainId(tx, rules.eip155, opts.chainId)
  checkSignatureValues(tx, rules.eip2)
}

/**
 * Blob and authorization lists, the gas limit cap (EIP-7825), intrinsic gas and calldata floor
 * (EIP-7623), 64- and 256-bit bounds, the initcode size (EIP-3860).
 */
export function checkTransactionLimits(tx: Transaction, opts: ValidationOptions): IntrinsicGas {
  const rules = txRules(opts.fork)
  checkTransactionLists(tx, opts)

  // EIP-7825: gas limit cap.
  if (rules.eip7825 && tx.gasLimit > MAX_TX_GAS_LIMIT)
    throw new TransactionError('gas-limit-too-high', `gas limit ${tx.gasLimit} above the cap of ${MAX_TX_GAS_LIMIT}`, { field: 'gasLimit' })
  const ig = intrinsicGas(tx, rules)
  if (tx.gasLimit < ig.gas)
    throw new TransactionError('intrinsic-gas-too-low', `gas limit ${tx.gasLimit} below the intrinsic gas ${ig.gas}`, { field: 'gasLimit' })
  // EIP-7623: the gas limit must also cover the calldata floor.
  if (tx.gasLimit < ig.floor)
    throw new TransactionError('floor-gas-too-low', `gas limit ${tx.gasLimit} below the calldata floor ${ig.floor}`, { field: 'gasLimit' })

  checkBounds(tx)

  // EIP-3860: initcode size limit.
  if (rules.eip3860 && tx.to === null && tx.data.length > MAX_INITCODE_SIZE)
    throw new TransactionError('initcode-too-large', `initcode of ${tx.data.length} bytes exceeds ${MAX_INITCODE_SIZE}`, { field: 'data' })
  return ig
}

/** EIP-4844 blob list (at least one, the per-transaction limit, versions), EIP-7702 authorization list (not empty). */
export function checkTransactionLists(tx: Transaction, opts: ValidationOptions): void {
  const rules = txRules(opts.fork)
  if (tx.type === 3) {
    const n = tx.blobVersionedHashes.length
    if (n === 0) throw new TransactionError('no-blobs', 'a blob transaction must carry at least one blob', { field: 'blobVersionedHashes' })
    const max = opts.maxBlobsPerTransaction ?? rules.maxBlobsPerTransaction
    if (n > max) throw new TransactionError('too-many-blobs', `${n} blobs, at most ${max} allowed`, { field: 'blobVersionedHashes' })
    for (const h of tx.blobVersionedHashes)
      if (!hasBlobVersion(h)) throw new TransactionError('blob-version', `blob versioned hash with version 0x${h[0]?.toString(16)}`, { field: 'blobVersionedHashes' })
  } else if (tx.type === 4 && tx.authorizationList.length === 0) {
    throw new TransactionError('empty-authorization-list', 'a set-code transaction needs at least one authorization', { field: 'authorizationList' })
  }
}

/** EIP-155 for legacy `v`, and the chain's id when the caller gives it. */
function checkChainId(tx: Transaction, eip155: boolean, chainId: bigint | undefined): void {
  if (tx.type !== 0) {
    if (tx.chainId >= TWO_POW_256) throw new TransactionError('value-overflow', 'chain id exceeds 256 bits', { field: 'chainId' })
    if (chainId !== undefined && tx.chainId !== chainId)
      throw new TransactionError('invalid-chain-id', `chain id ${tx.chainId}, expected ${chainId}`, { field: 'chainId' })
    return
  }
  const v = tx.v
  if (v === 27n || v === 28n) return
  if (!eip155) throw new TransactionError('invalid-signature', `v must be 27 or 28 before EIP-155, got ${v}`, { field: 'v' })
  // 0 and 1 are bare parities, never valid for legacy transactions; other values below 35 are
  // EIP-155 values that encode no chain id.
  if (v === 0n || v === 1n) throw new TransactionError('invalid-signature', `invalid v ${v}`, { field: 'v' })
  if (tx.chainId === undefined) throw new TransactionError('invalid-chain-id', `v ${v} encodes no chain id`, { field: 'v' })
  if (chainId !== undefined && tx.chainId !== chainId)
    throw new TransactionError('invalid-chain-id', `chain id ${tx.chainId} (from v), expected ${chainId}`, { field: 'v' })
}

function checkSignatureValues(tx: Transaction, eip2: boolean): void {
  if (tx.type !== 0 && tx.yParity !== 0 && tx.yParity !== 1)
    throw new TransactionError('invalid-signature', `y parity must be 0 or 1, got ${tx.yParity}`, { field: 'yParity' })
  if (tx.r === 0n || tx.r >= SECP256K1_N) throw new TransactionError('invalid-signature', 'r is out of range', { field: 'r' })
  if (tx.s === 0n || tx.s >= SECP256K1_N) throw new TransactionError('invalid-signature', 's is out of range', { field: 's' })
  // EIP-2: s in the lower half of the curve order.
  if (eip2 && tx.s > SECP256K1_N_HALF) throw new TransactionError('invalid-signature', 's is above n/2 (EIP-2)', { field: 's' })
}

function checkBounds(tx: Transaction): void {
  // EIP-2681: a nonce of 2^64-1 could never be incremented.
  if (tx.nonce >= UINT64_MAX) throw new TransactionError('nonce-max', 'nonce is 2^64-1 (EIP-2681)', { field: 'nonce' })
  checkValueBounds(tx)
  const feeCap = tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxFeePerGas
  if (tx.type !== 0 && tx.type !== 1 && tx.maxPriorityFeePerGas > tx.maxFeePerGas)
    throw new TransactionError('priority-fee-too-high', 'max priority fee above max fee', { field: 'maxPriorityFeePerGas' })
  if (feeCap * tx.gasLimit >= TWO_POW_256)
    throw new TransactionError('fee-product-overflow', 'gas limit × fee cap exceeds 256 bits', { field: 'gasLimit' })
}

/** The 256-bit fields (U256 in the execution-specs, so a larger value does not even decode). */
function checkValueBounds(tx: Transaction): void {
  if (tx.value >= TWO_POW_256) throw new TransactionError('value-overflow', 'value exceeds 256 bits', { field: 'value' })
  if (tx.type === 0 || tx.type === 1) {
    if (tx.gasPrice >= TWO_POW_256) throw new TransactionError('value-overflow', 'gas price exceeds 256 bits', { field: 'gasPrice' })
  } else {
    if (tx.maxPriorityFeePerGas >= TWO_POW_256)
      throw new TransactionError('value-overflow', 'max priority fee exceeds 256 bits', { field: 'maxPriorityFeePerGas' })
    if (tx.maxFeePerGas >= TWO_POW_256) throw new TransactionError('value-overflow', 'max fee exceeds 256 bits', { field: 'maxFeePerGas' })
  }
  if (tx.type === 3 && tx.maxFeePerBlobGas >= TWO_POW_256)
    throw new TransactionError('value-overflow', 'max fee per blob gas exceeds 256 bits', { field: 'maxFeePerBlobGas' })
}

/**
 * The execution-specs' order for a block's transaction (forks/osaka/fork.py process_transaction),
 * first two steps. Decoding: the type must exist in the fork and the U256 fields fit. Then
 * `validate_transaction`: intrinsic gas and the EIP-7623 floor, the EIP-2681 nonce bound, the
 * EIP-3860 initcode size, the EIP-7825 gas cap. Signature, fees, blob and authorization lists
 * come after, with the block's running totals (`check_transaction`, the executor's).
 */
export function checkTransactionDecoding(tx: Transaction, fork: ForkName): void {
  if (!isTxTypeActive(tx.type, fork)) {
    const eip = TYPE_FORK[tx.type]?.[1] ?? 'no fork'
    throw new TransactionError('unsupported-type', `type ${tx.type} transactions need ${eip}, not active in ${fork}`)
  }
  checkValueBounds(tx)
}

/** `validate_transaction` of the execution-specs; see {@link checkTransactionDecoding}. */
export function checkTransactionGas(tx: Transaction, fork: ForkName): IntrinsicGas {
  const rules = txRules(fork)
  const ig = intrinsicGas(tx, rules)
  if (tx.gasLimit < ig.gas)
    throw new TransactionError('intrinsic-gas-too-low', `gas limit ${tx.gasLimit} below the intrinsic gas ${ig.gas}`, { field: 'gasLimit' })
  if (tx.gasLimit < ig.floor)
    throw new TransactionError('floor-gas-too-low', `gas limit ${tx.gasLimit} below the calldata floor ${ig.floor}`, { field: 'gasLimit' })
  if (tx.nonce >= UINT64_MAX) throw new TransactionError('nonce-max', 'nonce is 2^64-1 (EIP-2681)', { field: 'nonce' })
  if (rules.eip3860 && tx.to === null && tx.data.length > MAX_INITCODE_SIZE)
    throw new TransactionError('initcode-too-large', `initcode of ${tx.data.length} bytes exceeds ${MAX_INITCODE_SIZE}`, { field: 'data' })
  if (rules.eip7825 && tx.gasLimit > MAX_TX_GAS_LIMIT)
    throw new TransactionError('gas-limit-too-high', `gas limit ${tx.gasLimit} above the cap of ${MAX_TX_GAS_LIMIT}`, { field: 'gasLimit' })
  return ig
}
