/**
 * Consensus rules of a proof-of-stake header against its parent (Paris onward): number and
 * timestamp order, gas limit bounds, EIP-1559 base fee, EIP-4844/7691/7918 blob gas, the fields
 * each fork adds, and the proof-of-work fields that must be empty after the merge (EIP-3675).
 * Errors carry the fixtures' `BlockException` names so block tests can compare them.
 */
import { equalBytes, hexToBytes, MosaicError } from '../primitives/index.ts'
import type { BlobParams } from '../chainspec/index.ts'
import { EMPTY_OMMERS_HASH, isForkAtLeast, type ForkName, type Header } from '../types/index.ts'

export type BlockErrorKind =
  | 'INVALID_BLOCK_NUMBER'
  | 'INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT'
  | 'EXTRA_DATA_TOO_BIG'
  | 'INVALID_GASLIMIT'
  | 'GASLIMIT_TOO_BIG'
  | 'GAS_USED_OVERFLOW'
  | 'INVALID_BASEFEE_PER_GAS'
  | 'IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS'
  | 'IMPORT_IMPOSSIBLE_NONCE_OVER_PARIS'
  | 'IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS'
  | 'INCORRECT_EXCESS_BLOB_GAS'
  | 'INCORRECT_BLOB_GAS_USED'
  | 'BLOB_GAS_USED_ABOVE_LIMIT'
  | 'INVALID_HEADER_FIELDS'
  | 'INVALID_TRANSACTIONS_ROOT'
  | 'INVALID_WITHDRAWALS_ROOT'
  | 'UNKNOWN_PARENT'
  | 'UNKNOWN_PARENT_ZERO'
  | 'INVALID_STATE_ROOT'
  | 'INVALID_GAS_USED'
  | 'INVALID_RECEIPTS_ROOT'
  | 'INVALID_LOG_BLOOM'
  | 'INVALID_REQUESTS'
  | 'INVALID_DEPOSIT_EVENT_LAYOUT'
  | 'SYSTEM_CONTRACT_EMPTY'
  | 'SYSTEM_CONTRACT_CALL_FAILED'
  | 'INVALID_TRANSACTION'

/** A block that breaks a consensus rule; `kind` is the BlockException name used by the fixtures. */
export class BlockValidationError extends MosaicError {
  override name = 'BlockValidationError'
  constructor(readonly kind: BlockErrorKind, details: string, cause?: unknown) {
    super(`BLOCK_${kind}`, 'invalid block', { details, cause })
  }
}

export const GAS_PER_BLOB = 131_072n
/** EIP-7918: the blob base fee is kept above this many units of execution gas per blob. */
export const BLOB_BASE_COST = 8_192n
export const MAX_EXTRA_DATA = 32
export const MIN_GAS_LIMIT = 5_000n
export const MAX_GAS_LIMIT = (1n << 63n) - 1n
const GAS_LIMIT_BOUND_DIVISOR = 1024n
const ELASTICITY = 2n
const BASE_FEE_CHANGE_DENOMINATOR = 8n

export type { BlobParams }

/** EIP-4844's integer approximation of factor * e^(numerator / denominator). */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let output = 0n
  let acc = factor * denominator
  for (let i = 1n; acc > 0n; i++) {
    output += acc
    acc = (acc * numerator) / (denominator * i)
  }
  return output / denominator
}

/** Price of one unit of blob gas at `excessBlobGas`. */
export function blobBaseFee(excessBlobGas: bigint, params: BlobParams): bigint {
  return fakeExponential(1n, excessBlobGas, params.baseFeeUpdateFraction)
}

/** EIP-1559: the base fee a child of `parent` must carry. */
export function nextBaseFee(parent: Header): bigint {
  const parentBase = parent.baseFeePerGas
  if (parentBase === undefined) return 1_000_000_000n // the London transition block
  const target = parent.gasLimit / ELASTICITY
  if (parent.gasUsed === target) return parentBase
  if (parent.gasUsed > target) {
    const delta = (parentBase * (parent.gasUsed - target)) / target / BASE_FEE_CHANGE_DENOMINATOR
    return parentBase + (delta > 1n ? delta : 1n)
  }
  return parentBase - (parentBase * (target - parent.gasUsed)) / target / BASE_FEE_CHANGE_DENOMINATOR
}

/** EIP-4844 excess blob gas of a child of `parent`, with Osaka's EIP-7918 reserve price. */
export function nextExcessBlobGas(parent: Header, params: BlobParams, fork: ForkName): bigint {
  const excess = parent.excessBlobGas ?? 0n
  const used = parent.blobGasUsed ?? 0n
  const targetGas = BigInt(params.target) * GAS_PER_BLOB
  if (excess + used < targetGas) return 0n
  if (isForkAtLeast(fork, 'osaka')) {
    // Execution is the scarcer resource: let excess rise without subtracting the target.
    const reserve = BLOB_BASE_COST * (parent.baseFeePerGas ?? 0n)
    if (reserve > GAS_PER_BLOB * blobBaseFee(excess, params)) return excess + (used * BigInt(params.max - params.target)) / BigInt(params.max)
  }
  return excess + used - targetGas
}

export interface HeaderContext {
  /** The fork in force at the header's number and timestamp. */
  fork: ForkName
  /** Blob parameters at the header's timestamp (Cancun onward). */
  blob?: BlobParams
}

function fail(kind: BlockErrorKind, details: string): never {
  throw new BlockValidationError(kind, details)
}

/** Checks `header` against `parent` for a proof-of-stake chain; throws BlockValidationError. */
export function validateHeader(header: Header, parent: Header, ctx: HeaderContext): void {
  const { fork } = ctx
  if (header.number !== parent.number + 1n) fail('INVALID_BLOCK_NUMBER', `number ${header.number} after parent ${parent.number}`)
  if (header.timestamp <= parent.timestamp) fail('INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT', `timestamp ${header.timestamp} not after parent ${parent.timestamp}`)
  if (header.extraData.length > MAX_EXTRA_DATA) fail('EXTRA_DATA_TOO_BIG', `extra data of ${header.extraData.length} bytes, at most ${MAX_EXTRA_DATA}`)
  if (header.gasLimit > MAX_GAS_LIMIT) fail('GASLIMIT_TOO_BIG', `gas limit ${header.gasLimit} above 2^63-1`)
  const bound = parent.gasLimit / GAS_LIMIT_BOUND_DIVISOR
  const diff = header.gasLimit > parent.gasLimit ? header.gasLimit - parent.gasLimit : parent.gasLimit - header.gasLimit
  if (diff >= bound || header.gasLimit < MIN_GAS_LIMIT) fail('INVALID_GASLIMIT', `gas limit ${header.gasLimit} too far from parent's ${parent.gasLimit} (bound ${bound})`)
  if (header.gasUsed > header.gasLimit) fail('GAS_USED_OVERFLOW', `gas used ${header.gasUsed} above limit ${header.gasLimit}`)

  if (isForkAtLeast(fork, 'paris')) {
    // EIP-3675: proof-of-work fields are constants after the merge.
    if (header.difficulty !== 0n) fail('IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS', `difficulty ${header.difficulty}, must be 0`)
    if (header.nonce.some((b) => b !== 0)) fail('IMPORT_IMPOSSIBLE_NONCE_OVER_PARIS', 'nonce must be zero')
    if (!equalBytes(header.ommersHash, EMPTY_OMMERS_HASH)) fail('IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS', 'ommers hash must be that of an empty list')
  }
  // Each fork's fields are present from that fork on, and absent before it.
  const expect = (present: boolean, field: keyof Header, since: ForkName) => {
    if (present !== (header[field] !== undefined)) fail('INVALID_HEADER_FIELDS', `${field} must be ${present ? 'present' : 'absent'} ${present ? 'from' : 'before'} ${since}`)
  }
  expect(isForkAtLeast(fork, 'london'), 'baseFeePerGas', 'london')
  expect(isForkAtLeast(fork, 'shanghai'), 'withdrawalsRoot', 'shanghai')
  expect(isForkAtLeast(fork, 'cancun'), 'blobGasUsed', 'cancun')
  expect(isForkAtLeast(fork, 'cancun'), 'excessBlobGas', 'cancun')
  expect(isForkAtLeast(fork, 'cancun'), 'parentBeaconBlockRoot', 'cancun')
  expect(isForkAtLeast(fork, 'prague'), 'requestsHash', 'prague')

  if (header.baseFeePerGas !== undefined) {
    const expected = nextBaseFee(parent)
    if (header.baseFeePerGas !== expected) fail('INVALID_BASEFEE_PER_GAS', `base fee ${header.baseFeePerGas}, expected ${expected}`)
  }
  // the header's blob gas used is compared after execution (checkBlockResult), so that a
  // transaction's blob rule is named first, as in the execution-specs
  if (header.blobGasUsed !== undefined && ctx.blob) {
    const expected = nextExcessBlobGas(parent, ctx.blob, fork)
    if (header.excessBlobGas !== expected) fail('INCORRECT_EXCESS_BLOB_GAS', `excess blob gas ${header.excessBlobGas}, expected ${expected}`)
  }
}
