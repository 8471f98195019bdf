/**
 * The `error` of a rejected transaction in geth's words (core/error.go and the state
 * transition's pre-checks), chosen by the executor's exception name, never by message text.
 * Harnesses such as execution-spec-tests map these strings to their exception names by
 * substring, so the leading phrase is what matters; the details after the colon follow geth's
 * layout where it has one.
 */
import type { BlockEnv, InvalidTransactionError } from '../../executor/index.ts'
import { GAS_PER_BLOB, maxBlobsPerBlock } from '../../executor/index.ts'
import { keccak256 } from '../../crypto/index.ts'
import { bytesToHex, toChecksumAddress, type Address } from '../../primitives/index.ts'
import type { JournaledState } from '../../state/index.ts'
import {
  gasFeeCap,
  gasTipCap,
  intrinsicGas,
  MAX_INITCODE_SIZE,
  MAX_TX_GAS_LIMIT,
  txRules,
  type ForkName,
  type Transaction,
} from '../../types/index.ts'

export interface RejectContext {
  tx: Transaction
  sender: Address
  /** The block state, unchanged by the rejected transaction. */
  state: JournaledState
  fork: ForkName
  env: BlockEnv
  /** Blob gas of the transactions included before this one. */
  blockBlobGasUsed: bigint
}

const TYPE_NOT_SUPPORTED = 'transaction type not supported'

export function rejectionMessage(e: InvalidTransactionError, c: RejectContext): string {
  const { tx, sender, state, env } = c
  const from = toChecksumAddress(sender)
  const blobGas = tx.type === 3 ? GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length) : 0n
  switch (e.exception) {
    case 'NONCE_MISMATCH_TOO_LOW':
      return `nonce too low: address ${from}, tx: ${tx.nonce} state: ${state.getNonce(sender)}`
    case 'NONCE_MISMATCH_TOO_HIGH':
      return `nonce too high: address ${from}, tx: ${tx.nonce} state: ${state.getNonce(sender)}`
    case 'NONCE_IS_MAX':
      return `nonce has max value: address ${from}, nonce: ${tx.nonce}`
    case 'SENDER_NOT_EOA':
      return `sender not an eoa: address ${from}, codehash: ${bytesToHex(keccak256(state.getCode(sender)))}`
    case 'GAS_ALLOWANCE_EXCEEDED':
      return 'gas limit reached'
    case 'GAS_LIMIT_EXCEEDS_MAXIMUM':
      return `transaction gas limit too high (cap: ${MAX_TX_GAS_LIMIT}, tx: ${tx.gasLimit})`
    case 'INSUFFICIENT_MAX_FEE_PER_GAS':
      return `max fee per gas less than block base fee: address ${from}, maxFeePerGas: ${gasFeeCap(tx)}, baseFee: ${env.baseFee}`
    case 'PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS':
      return `max priority fee per gas higher than max fee per gas: address ${from}, maxPriorityFeePerGas: ${gasTipCap(tx)}, maxFeePerGas: ${gasFeeCap(tx)}`
    case 'INSUFFICIENT_MAX_FEE_PER_BLOB_GAS':
      return `max fee per blob gas less than block blob gas fee: address ${from} blobGasFeeCap: ${tx.type === 3 ? tx.maxFeePerBlobGas : 0n}, blobBaseFee: ${env.blobBaseFee}`
    case 'INSUFFICIENT_ACCOUNT_FUNDS': {
      const want = tx.gasLimit * gasFeeCap(tx) + tx.value + (tx.type === 3 ? blobGas * tx.maxFeePerBlobGas : 0n)
      return `insufficient funds for gas * price + value: address ${from} have ${state.getBalance(sender)} want ${want}`
    }
    case 'INTRINSIC_GAS_TOO_LOW':
      return `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsicGas(tx, txRules(c.fork)).gas}`
    case 'INTRINSIC_GAS_BELOW_FLOOR_GAS_COST':
      return `insufficient gas for floor data gas cost: have ${tx.gasLimit}, want ${intrinsicGas(tx, txRules(c.fork)).floor}`
    case 'INITCODE_SIZE_EXCEEDED':
      return `max initcode size exceeded: code size ${tx.data.length} limit ${MAX_INITCODE_SIZE}`
    case 'TYPE_3_TX_ZERO_BLOBS':
      return 'blob transaction missing blob hashes'
    case 'TYPE_3_TX_BLOB_COUNT_EXCEEDED':
      return `blob transaction has too many blobs: ${tx.type === 3 ? tx.blobVersionedHashes.length : 0}`
    case 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED':
      return `blob gas (${c.blockBlobGasUsed + blobGas}) would exceed maximum allowance ${GAS_PER_BLOB * BigInt(maxBlobsPerBlock(c.fork))}`
    case 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH': {
      const i = tx.type === 3 ? tx.blobVersionedHashes.findIndex((h) => h[0] !== 0x01) : -1
      return `blob ${i} has invalid hash version`
    }
    case 'TYPE_3_TX_CONTRACT_CREATION':
      return 'blob transaction of type create'
    case 'TYPE_4_TX_CONTRACT_CREATION':
      return 'EIP-7702 transaction cannot be used to create contract'
    case 'TYPE_4_EMPTY_AUTHORIZATION_LIST':
      return 'EIP-7702 transaction with empty auth list'
    case 'TYPE_1_TX_PRE_FORK':
    case 'TYPE_2_TX_PRE_FORK':
    case 'TYPE_3_TX_PRE_FORK':
    case 'TYPE_4_TX_PRE_FORK':
      return TYPE_NOT_SUPPORTED
    case 'INVALID_CHAINID':
      return `invalid chain id for signer: have ${tx.chainId ?? 'none'} want ${env.chainId}`
    case 'INVALID_SIGNATURE_VRS':
      return 'invalid transaction v, r, s values'
    case 'VALUE_OVERFLOW':
      // Only RLP input can carry such a field; geth's decoder refuses it.
      return `rlp: input string too long for uint256: ${e.details ?? e.message}`
    default: // an exception added to the executor later
      return `${(e.exception as string).toLowerCase().replaceAll('_', ' ')}: ${e.details ?? e.message}`
  }
}
