/**
 * Admission checks, in the order geth's pool runs them: size, type and fork rules (src/types
 * validateTransaction: chain id, signature values, intrinsic gas, EIP-7623 floor, EIP-3860,
 * EIP-7825), block gas limit, minimum tip, blob sidecar (sidecar.ts: wrapper version of the fork, counts, commitments,
 * KZG proofs), then against the head state: nonce not
 * too low, sender without code (EIP-3607, 7702 delegations allowed), balance covering the
 * worst-case cost of this and the sender's earlier pooled transactions.
 */
import { isDelegation } from '../evm/index.ts'
import type { Address } from '../primitives/index.ts'
import type { AccountReader } from '../state/index.ts'
import {
  GAS_PER_BLOB,
  gasFeeCap,
  gasTipCap,
  TransactionError,
  validateTransaction,
  type BlobTransactionNetwork,
  type ForkName,
  type Transaction,
} from '../types/index.ts'
import { fromTransactionError, TxPoolError } from './errors.ts'
import { validateSidecar } from './sidecar.ts'

/** geth's txMaxSize: 4 slots of 32 KB. */
export const TX_MAX_SIZE = 4 * 32 * 1024

export interface PoolRules {
  fork: ForkName
  chainId: bigint
  blockGasLimit: bigint
  baseFee: bigint
  /** Minimum tip per gas (geth --txpool.pricelimit). */
  minTip: bigint
  /** Reject fee caps below the current base fee instead of holding them (anvil's behaviour). */
  rejectBelowBaseFee: boolean
  maxBlobsPerTransaction?: number
  /** KZG proof verification of a blob sidecar (default: c-kzg, sidecar.ts verifySidecarProofs). */
  verifyBlobProofs?: (sidecar: BlobTransactionNetwork) => boolean
}

/** The most `tx` can cost its sender: gas × fee cap + value + blob gas × blob fee cap. */
export function maxCost(tx: Transaction): bigint {
  const blob = tx.type === 3 ? GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length) * tx.maxFeePerBlobGas : 0n
  return tx.gasLimit * gasFeeCap(tx) + tx.value + blob
}

export function validateStateless(tx: Transaction, size: number, rules: PoolRules, sidecar?: BlobTransactionNetwork): void {
  const limit = TX_MAX_SIZE
  if (size > limit) throw new TxPoolError('oversized-data', `transaction size ${size}, limit ${limit}`)
  try {
    validateTransaction(tx, { fork: rules.fork, chainId: rules.chainId, maxBlobsPerTransaction: rules.maxBlobsPerTransaction })
  } catch (err) {
    if (err instanceof TransactionError) throw fromTransactionError(err)
    throw err
  }
  if (tx.gasLimit > rules.blockGasLimit) throw new TxPoolError('block-gas-limit', `gas limit ${tx.gasLimit}, block gas limit ${rules.blockGasLimit}`)
  const tip = gasTipCap(tx)
  if (tip < rules.minTip) throw new TxPoolError('underpriced', `gas tip cap ${tip}, minimum needed ${rules.minTip}`)
  if (rules.rejectBelowBaseFee && gasFeeCap(tx) < rules.baseFee)
    throw new TxPoolError('fee-cap-below-base-fee', `maxFeePerGas: ${gasFeeCap(tx)}, baseFee: ${rules.baseFee}`)
  if (tx.type === 3) validateSidecar(sidecar, rules.fork, rules.verifyBlobProofs)
}

/**
 * Against the head state; `spent` is the worst-case cost of the sender's pooled transactions
 * with lower nonces (they run first).
 */
export function validateWithState(tx: Transaction, sender: Address, state: AccountReader, spent: bigint): void {
  const acct = state.getAccount(sender)
  const nonce = acct?.nonce ?? 0n
  if (tx.nonce < nonce) throw new TxPoolError('nonce-too-low', `next nonce ${nonce}, tx nonce ${tx.nonce}`)
  const code = acct?.code
  if (code && code.length > 0 && !isDelegation(code)) throw new TxPoolError('sender-not-eoa', `sender has ${code.length} bytes of code`)
  const balance = acct?.balance ?? 0n
  const cost = maxCost(tx)
  if (balance < cost) throw new TxPoolError('insufficient-funds', `balance ${balance}, tx cost ${cost}, overshot ${cost - balance}`)
  if (balance < spent + cost) throw new TxPoolError('insufficient-funds', `balance ${balance}, queued cost ${spent}, tx cost ${cost}, overshot ${spent + cost - balance}`)
}
