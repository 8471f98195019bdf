/**
 * executeTransaction: one transaction against the block's journaled state. Order (as the
 * reference clients): stateless validity (src/types), then against state and block — nonce,
 * EIP-3607 sender code, fee caps vs base fee, blob fee cap and block blob limit, funds, block
 * gas — then buy gas, bump the nonce, warm sender/target/coinbase/precompiles/access list,
 * EIP-7702 authorizations, run the message, refund (EIP-3529 cap, EIP-7623 floor), pay the
 * coinbase its tip, and finalize (EIP-161 deletions, EIP-6780 destructs).
 *
 * Consumer: block execution, `mosaic statetest`, t8n. An invalid transaction throws
 * `InvalidTransactionError` and leaves the state untouched.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, bytesToBigint, concatBytes, encodeRlp, type Address } from '../primitives/index.ts'
import {
  createAddress,
  executeMessage,
  getFork,
  isDelegation,
  isForkName as isEvmFork,
  precompileAddresses,
  type ExecutionResult,
  type Fork,
  type EvmForkName,
} from '../evm/index.ts'
import type { JournaledState, StateDiff } from '../state/index.ts'
import {
  GAS_PER_BLOB,
  gasFeeCap,
  gasTipCap,
  isForkAtLeast,
  logsBloom,
  recoverAuthorities,
  TransactionError,
  txRules,
  validateTransaction,
  type AccessList,
  type Authorization,
  type ForkName,
  type Log,
  type Receipt,
  type Transaction,
} from '../types/index.ts'
import { maxBlobsPerBlock } from './blob-fee.ts'
import { exceptionOfKind, InvalidTransactionError } from './errors.ts'

/** EIP-7702 constants. */
const PER_EMPTY_ACCOUNT_COST = 25_000n
const PER_AUTH_BASE_COST = 12_500n
const DELEGATION_PREFIX = Uint8Array.of(0xef, 0x01, 0x00)
const UINT64_MAX = (1n << 64n) - 1n
const MAX_EVM_GAS = BigInt(Number.MAX_SAFE_INTEGER)

export interface BlockEnv {
  coinbase: Address
  number: bigint
  timestamp: bigint
  gasLimit: bigint
  baseFee: bigint
  prevRandao: bigint
  /** EIP-4844 blob base fee (from the excess blob gas). */
  blobBaseFee: bigint
  chainId: bigint
}

export interface TransactionResult {
  receipt: Receipt
  /** Gas charged to the block (after refunds and the EIP-7623 floor). */
  gasUsed: bigint
  blobGasUsed: bigint
  execution: ExecutionResult
  diff: StateDiff
}

export interface ExecuteOptions {
  /** Gas already used in the block (for the cumulative receipt value and the block gas limit). */
  blockGasUsed?: bigint
  /** Blob gas already used in the block. */
  blockBlobGasUsed?: bigint
}

/**
 * Executes `tx` sent by `sender` in `fork` (Paris or later) on `state`. The state's `block` must
 * match `env`. Throws `InvalidTransactionError` for an invalid transaction (state unchanged).
 */
export function executeTransaction(
  state: JournaledState,
  tx: Transaction,
  sender: Address,
  env: BlockEnv,
  fork: ForkName,
  opts: ExecuteOptions = {},
): TransactionResult {
  if (!isEvmFork(fork)) throw new InvalidTransactionError('TYPE_1_TX_PRE_FORK', `fork ${fork} is not supported by the EVM`)
  const evmFork = getFork(fork as EvmForkName)
  // From Osaka there is also a per-transaction blob limit (EIP-7594); a count above the block's
  // limit is still named as the block's, as the fixtures expect.
  if (tx.type === 3 && isForkAtLeast(fork, 'osaka') && tx.blobVersionedHashes.length > maxBlobsPerBlock(fork))
    throw new InvalidTransactionError('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED', `${tx.blobVersionedHashes.length} blobs above the block limit`)
  let ig
  try {
    ig = validateTransaction(tx, { fork, chainId: env.chainId })
  } catch (e) {
    if (e instanceof TransactionError) throw new InvalidTransactionError(exceptionOfKind(e.kind, tx.type), e.message, e)
    throw e
  }
  // blob and set-code transactions cannot create (decoding rejects them; built ones too)
  if ((tx.type === 3 || tx.type === 4) && tx.to === null)
    throw new InvalidTransactionError(tx.type === 3 ? 'TYPE_3_TX_CONTRACT_CREATION' : 'TYPE_4_TX_CONTRACT_CREATION', 'no contract creation for this type')
  const blockGasUsed = opts.blockGasUsed ?? 0n
  const fail = (x: ConstructorParameters<typeof InvalidTransactionError>[0], d: string): never => {
    throw new InvalidTransactionError(x, d)
  }

  // against the block
  if (tx.gasLimit + blockGasUsed > env.gasLimit) fail('GAS_ALLOWANCE_EXCEEDED', `gas limit ${tx.gasLimit} above the block's remaining gas`)
  const feeCap = gasFeeCap(tx)
  const tipCap = gasTipCap(tx)
  if (feeCap < env.baseFee) fail('INSUFFICIENT_MAX_FEE_PER_GAS', `fee cap ${feeCap} below base fee ${env.baseFee}`)
  const effectiveGasPrice = tx.type === 0 || tx.type === 1 ? tx.gasPrice : min(feeCap, env.baseFee + tipCap)
  let blobGas = 0n
  if (tx.type === 3) {
    if (tx.blobVersionedHashes.length > maxBlobsPerBlock(fork))
      fail('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED', `${tx.blobVersionedHashes.length} blobs above the block limit`)
    blobGas = GAS_PER_BLOB * BigInt(tx.blobVersionedHashes.length)
    if ((opts.blockBlobGasUsed ?? 0n) + blobGas > GAS_PER_BLOB * BigInt(maxBlobsPerBlock(fork)))
      fail('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED', 'blob gas above the block limit')
    if (tx.maxFeePerBlobGas < env.blobBaseFee)
      fail('INSUFFICIENT_MAX_FEE_PER_BLOB_GAS', `blob fee cap ${tx.maxFeePerBlobGas} below blob base fee ${env.blobBaseFee}`)
  }

  // against the sender's account
  const nonce = state.getNonce(sender)
  if (tx.nonce < nonce) fail('NONCE_MISMATCH_TOO_LOW', `nonce ${tx.nonce}, account nonce ${nonce}`)
  if (tx.nonce > nonce) fail('NONCE_MISMATCH_TOO_HIGH', `nonce ${tx.nonce}, account nonce ${nonce}`)
  if (nonce >= UINT64_MAX) fail('NONCE_IS_MAX', 'account nonce at 2^64-1')
  // EIP-3607: senders with code are rejected, except EIP-7702 delegations.
  const senderCode = state.getCode(sender)
  if (senderCode.length > 0 && !(evmFork.eip7702 && isDelegation(senderCode))) fail('SENDER_NOT_EOA', 'sender has code')
  const balance = state.getBalance(sender)
  const maxCost = tx.gasLimit * feeCap + tx.value + (tx.type === 3 ? blobGas * tx.maxFeePerBlobGas : 0n)
  if (balance < maxCost) fail('INSUFFICIENT_ACCOUNT_FUNDS', `balance ${balance}, needs ${maxCost}`)

  // buy gas, bump the nonce
  state.beginTransaction({
    origin: sender,
    gasPrice: effectiveGasPrice,
    blobHashes: tx.type === 3 ? tx.blobVersionedHashes : [],
  })
  state.setBalance(sender, balance - tx.gasLimit * effectiveGasPrice - blobGas * env.blobBaseFee)
  state.setNonce(sender, nonce + 1n)

  const target = tx.to ?? createAddress(sender, nonce)
  warmAtTransactionStart(state, fork, evmFork, sender, target, env.coinbase, tx.type !== 0 ? tx.accessList : [])

  // EIP-7702: authorizations (not reverted with the call)
  let authRefund = 0n
  if (tx.type === 4) authRefund = applyAuthorizations(state, tx.authorizationList, env.chainId)

  // pre-Osaka gas limits can exceed 2^53: the EVM takes those as a bigint, exactly
  const execGas = tx.gasLimit - ig.gas
  const execution = executeMessage(
    state,
    {
      kind: tx.to === null ? 'create' : 'call',
      caller: sender,
      to: target,
      value: tx.value,
      input: tx.data,
      gas: execGas > MAX_EVM_GAS ? execGas : Number(execGas),
    },
    evmFork,
  )

  // refunds: EIP-3529 caps them at a fifth of the gas used; EIP-7623 floor
  let gasUsed = tx.gasLimit - (execution.gasLeftWide ?? BigInt(execution.gasLeft))
  const refund = min(BigInt(execution.gasRefund) + authRefund, gasUsed / 5n)
  gasUsed -= refund
  if (gasUsed < ig.floor) gasUsed = ig.floor
  state.setBalance(sender, state.getBalance(sender) + (tx.gasLimit - gasUsed) * effectiveGasPrice)
  const tip = gasUsed * (effectiveGasPrice - env.baseFee)
  state.setBalance(env.coinbase, state.getBalance(env.coinbase) + tip)
  state.touch(env.coinbase)

  const diff = state.finalizeTransaction()
  const logs: Log[] = execution.logs.map((l) => ({ address: l.address, topics: l.topics.map((t) => bigintToWord(t)), data: l.data }))
  const receipt: Receipt = {
    type: tx.type,
    status: execution.status === 'success' ? 1 : 0,
    cumulativeGasUsed: blockGasUsed + gasUsed,
    logsBloom: logsBloom(logs),
    logs,
  }
  return { receipt, gasUsed, blobGasUsed: blobGas, execution, diff }
}

/** EIP-7702: sets each valid authority's code to a delegation; returns the refund earned. */
function applyAuthorizations(state: JournaledState, list: readonly Authorization[], chainId: bigint): bigint {
  const authorities = recoverAuthorities(list)
  let refund = 0n
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!
    if (a.chainId !== 0n && a.chainId !== chainId) continue
    if (a.nonce >= UINT64_MAX) continue
    const authority = authorities[i]
    if (!authority) continue
    state.warmAddress(authority)
    const code = state.getCode(authority)
    if (code.length > 0 && !isDelegation(code)) continue
    if (state.getNonce(authority) !== a.nonce) continue
    if (state.exists(authority)) refund += PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST
    const zero = a.address.every((b) => b === 0)
    state.setCode(authority, zero ? new Uint8Array(0) : concatBytes(DELEGATION_PREFIX, a.address))
    state.setNonce(authority, a.nonce + 1n)
  }
  return refund
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/**
 * EIP-2929/2930/3651: what is warm when a transaction starts — sender, target, the coinbase from
 * Shanghai, the precompiles, the access list. No journal entries: nothing before them to revert to.
 */
export function warmAtTransactionStart(state: JournaledState, fork: ForkName, evmFork: Fork, sender: Address, target: Address, coinbase: Address, accessList: AccessList): void {
  state.warmOneAtStart(sender)
  state.warmOneAtStart(target)
  if (txRules(fork).eip3651) state.warmOneAtStart(coinbase)
  state.warmAtStart(precompileAddresses(evmFork))
  for (const item of accessList) {
    state.warmOneAtStart(item.address)
    for (const k of item.storageKeys) state.warmSlot(item.address, bytesToBigint(k))
  }
}

/** keccak256(rlp(logs)), the state tests' `logs` hash. */
export function logsHash(logs: readonly Log[]): Uint8Array {
  return keccak256(encodeRlp(logs.map((l) => [l.address, l.topics, l.data])))
}
