/**
 * transact: the state transition of one transaction or message, for every caller — block
 * execution, statetest, t8n and block building (through executeTransaction), and the RPC's
 * eth_call, estimateGas, simulateV1, createAccessList and tracing. In the spirit of geth's
 * ApplyMessage with skip flags: the policy says what a simulation may skip.
 *
 * Steps: checks against state and block (which are run and in what order: the policy), buy gas,
 * bump the nonce, warm sets (EIP-2929/2930/3651), EIP-7702 authorizations, the EVM, refunds
 * (EIP-3529 cap, EIP-7623 floor), the tip to the coinbase, finalization (EIP-161 deletions,
 * EIP-6780 destructs). A message that cannot run throws `TransactError` with the state untouched;
 * one that runs returns its status (reverts and halts included).
 *
 * Gas above 2^53 (possible before Osaka's EIP-7825 cap) goes to the EVM as a bigint and comes back
 * exact (`gasLeftWide`), so GAS and the 63/64 rule see the true amount on every path.
 */
import { bytesToBigint, UINT64_MAX, type Address, type Hash } from '../primitives/index.ts'
import {
  createAddress,
  executeMessage,
  getFork,
  isDelegation,
  isForkName as isEvmFork,
  precompileAddresses,
  type ExecutionResult,
  type Fork,
  type Tracer,
} from '../evm/index.ts'
import type { JournaledState, StateDiff } from '../state/index.ts'
import {
  GAS_PER_BLOB,
  hasBlobVersion,
  intrinsicGas,
  MAX_INITCODE_SIZE,
  MAX_TX_GAS_LIMIT,
  txRules,
  type AccessList,
  type Authorization,
  type ForkName,
  type IntrinsicGas,
  type TxRules,
} from '../types/index.ts'
import { applyAuthorizations } from './authorizations.ts'
import { maxBlobsPerBlock } from './blob-fee.ts'
import { TransactError, type TransactErrorKind } from './errors.ts'

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

/** What a signed transaction (with its sender) and an RPC call both map onto. */
export interface TransactMessage {
  from: Address
  /** null creates a contract. */
  to: Address | null
  value: bigint
  data: Uint8Array
  gas: bigint
  /** The message's nonce; compared with the account's only under `checkNonce`. */
  nonce?: bigint
  /** Effective price per gas (what is charged). */
  gasPrice: bigint
  feeCap: bigint
  tipCap: bigint
  accessList: AccessList
  /** EIP-4844: a blob transaction has at least one. */
  blobHashes: Hash[]
  blobFeeCap: bigint
  /** EIP-7702: present for a set-code transaction. */
  authorizationList?: Authorization[]
  /** Intrinsic gas and floor when stateless validation already worked them out. */
  intrinsic?: IntrinsicGas
  /** The EIP-2718 type of a signed transaction: type 3 has the blob rules even with no hashes. */
  type?: number
  /** A signed transaction's signature checks, run where the execution-specs recover the sender
   *  (after the block's gas budgets) under the 'spec' order; throws when invalid. */
  checkSignature?: () => void
}

export interface TransactPolicy {
  /** Compare the message nonce with the account's (off for eth_call, as geth). */
  readonly checkNonce: boolean
  /** EIP-3607: reject senders with code other than an EIP-7702 delegation. */
  readonly checkEoa: boolean
  /** geth's NoBaseFee: a message with no fee (both caps 0) skips the fee checks; the caller
   *  runs it with base fees of 0. */
  readonly noBaseFee: boolean
  /** Only the outcome is read (eth_call): no refund to the sender, no coinbase fee, no
   *  finalization, an empty diff. They come after execution: status, output and gas are the same. */
  readonly outputOnly: boolean
  /** The message must fit the block's remaining gas and blob gas (`BlockUsage`). */
  readonly blockBudget: boolean
  /**
   * Which check reports a message that breaks two rules. 'spec': the execution-specs' order
   * (block gas, fee caps, blobs, then the sender's nonce and code), which the conformance fixtures
   * expect. 'geth': geth's state transition order (sender first, then fee caps, blobs, set-code,
   * block gas), which the RPC's error texts follow. Funds and intrinsic gas come last in both.
   */
  readonly order: 'spec' | 'geth'
}

/** Block execution, statetest, t8n, block building: every check. */
export const BLOCK_POLICY: TransactPolicy = { checkNonce: true, checkEoa: true, noBaseFee: false, outputOnly: false, blockBudget: true, order: 'spec' }

/** Gas and blob gas the block used before this message (for `blockBudget`). */
export interface BlockUsage {
  blockGasUsed?: bigint
  blockBlobGasUsed?: bigint
}

export interface TransactResult {
  execution: ExecutionResult
  /** Gas charged (after refunds and the EIP-7623 floor). */
  gasUsed: bigint
  /** Gas used before refunds (estimateGas's optimistic start). */
  gasUsedBeforeRefund: bigint
  refund: bigint
  blobGasUsed: bigint
  /** Empty (and shared: read only) under `outputOnly`. */
  diff: StateDiff
}

const MAX_EVM_GAS = BigInt(Number.MAX_SAFE_INTEGER)
const NO_USAGE: BlockUsage = {}
const NO_DIFF: StateDiff = new Map()

function fail(kind: TransactErrorKind, got?: bigint, limit?: bigint): never {
  throw new TransactError(kind, got, limit)
}

/**
 * Runs `msg` on `state` (whose block context must be `env`) in `fork` (Paris or later) under
 * `policy`, observed by `tracer`. Throws `TransactError` for a message that cannot run.
 */
export function transact(
  state: JournaledState,
  msg: TransactMessage,
  env: BlockEnv,
  fork: ForkName,
  policy: TransactPolicy,
  tracer?: Tracer,
  usage: BlockUsage = NO_USAGE,
): TransactResult {
  if (!isEvmFork(fork)) fail('unsupported-fork')
  const evmFork = getFork(fork)
  const rules = txRules(fork)
  const from = msg.from
  const nonce = state.getNonce(from)
  const balance = state.getBalance(from)
  const blobGas = GAS_PER_BLOB * BigInt(msg.blobHashes.length)
  const blobTx = blobGas > 0n || msg.type === 3
  let ig: IntrinsicGas
  if (policy.order === 'geth') {
    checkSender(state, msg, nonce, evmFork, policy)
    checkGasCap(msg, rules)
    checkFees(msg, env, policy)
    if (blobTx) {
      checkBlobShape(msg, rules)
      checkBlobBlock(msg, env, fork, policy, usage, blobGas)
    }
    checkSetCode(msg)
    if (policy.blockBudget) checkBlockGas(msg, env, usage)
    checkFunds(msg, balance, blobGas)
    ig = checkIntrinsic(msg, rules)
  } else {
    // forks/osaka/fork.py: validate_transaction, then check_transaction in its order
    ig = checkIntrinsic(msg, rules)
    checkGasCap(msg, rules)
    if (policy.blockBudget) {
      checkBlockGas(msg, env, usage)
      checkBlobBudget(fork, usage, blobGas)
    }
    msg.checkSignature?.()
    checkFees(msg, env, policy)
    if (blobTx) {
      // a signed transaction's zero or too many blobs (EIP-7594's per-transaction limit)
      const n = msg.blobHashes.length
      if (n === 0) fail('blob-none')
      if (n > rules.maxBlobsPerTransaction) fail('blob-count-tx', BigInt(n), BigInt(rules.maxBlobsPerTransaction))
      checkBlobShape(msg, rules)
      if (msg.blobFeeCap < env.blobBaseFee) fail('blob-fee-cap-too-low', msg.blobFeeCap, env.blobBaseFee)
    }
    checkSetCode(msg)
    if (policy.checkNonce && msg.nonce !== undefined) checkNonce(msg.nonce, nonce)
    checkFunds(msg, balance, blobGas)
    checkSenderAccount(state, msg, nonce, evmFork, policy)
  }

  // buy gas, bump the nonce
  state.beginTransaction({ origin: from, gasPrice: msg.gasPrice, blobHashes: msg.blobHashes })
  state.setBalance(from, balance - msg.gas * msg.gasPrice - blobGas * env.blobBaseFee)
  state.setNonce(from, nonce + 1n)
  const target = msg.to ?? createAddress(from, nonce)
  warmAtTransactionStart(state, fork, evmFork, from, target, env.coinbase, msg.accessList)
  // EIP-7702: authorizations (not reverted with the call)
  const authRefund = msg.authorizationList ? applyAuthorizations(state, msg.authorizationList, env.chainId) : 0n

  const execGas = msg.gas - ig.gas
  const execution = executeMessage(
    state,
    { kind: msg.to === null ? 'create' : 'call', caller: from, to: target, value: msg.value, input: msg.data, gas: execGas > MAX_EVM_GAS ? execGas : Number(execGas) },
    evmFork,
    tracer,
  )
  // refunds: EIP-3529 caps them at a fifth of the gas used; EIP-7623 floor
  const gasUsedBeforeRefund = msg.gas - (execution.gasLeftWide ?? BigInt(execution.gasLeft))
  const refund = min(BigInt(execution.gasRefund) + authRefund, gasUsedBeforeRefund / 5n)
  let gasUsed = gasUsedBeforeRefund - refund
  if (gasUsed < ig.floor) gasUsed = ig.floor
  if (policy.outputOnly) return { execution, gasUsed, gasUsedBeforeRefund, refund, blobGasUsed: blobGas, diff: NO_DIFF }

  state.setBalance(from, state.getBalance(from) + (msg.gas - gasUsed) * msg.gasPrice)
  const tip = gasUsed * (msg.gasPrice - env.baseFee)
  if (tip > 0n) state.setBalance(env.coinbase, state.getBalance(env.coinbase) + tip)
  state.touch(env.coinbase)
  return { execution, gasUsed, gasUsedBeforeRefund, refund, blobGasUsed: blobGas, diff: state.finalizeTransaction() }
}

/** Nonce (under `checkNonce`), the 2^64-1 bound (EIP-2681), EIP-3607 (under `checkEoa`). */
function checkSender(state: JournaledState, msg: TransactMessage, nonce: bigint, evmFork: Fork, policy: TransactPolicy): void {
  if (policy.checkNonce && msg.nonce !== undefined) checkNonce(msg.nonce, nonce)
  checkSenderAccount(state, msg, nonce, evmFork, policy)
}

/** The EIP-2681 bound on the account's nonce; EIP-3607 (under `checkEoa`). */
function checkSenderAccount(state: JournaledState, msg: TransactMessage, nonce: bigint, evmFork: Fork, policy: TransactPolicy): void {
  if (nonce >= UINT64_MAX) fail('nonce-max', nonce, UINT64_MAX)
  if (policy.checkEoa) {
    const code = state.getCode(msg.from)
    if (code.length > 0 && !(evmFork.eip7702 && isDelegation(code))) fail('sender-not-eoa', BigInt(code.length))
  }
}

function checkNonce(got: bigint, account: bigint): void {
  if (got < account) fail('nonce-too-low', got, account)
  if (got > account) fail('nonce-too-high', got, account)
}

/** The sender pays the most the message can cost: gas at the fee cap, value, blob gas at its cap. */
function checkFunds(msg: TransactMessage, balance: bigint, blobGas: bigint): void {
  const want = msg.gas * msg.feeCap + msg.value + blobGas * msg.blobFeeCap
  if (balance < want) fail('insufficient-funds', balance, want)
}

/** Intrinsic gas, the EIP-7623 floor, the EIP-3860 initcode size (`validate_transaction`). */
function checkIntrinsic(msg: TransactMessage, rules: TxRules): IntrinsicGas {
  const ig = msg.intrinsic ?? messageIntrinsicGas(msg, rules)
  if (msg.gas < ig.gas) fail('intrinsic-gas', msg.gas, ig.gas)
  if (msg.gas < ig.floor) fail('floor-gas', msg.gas, ig.floor)
  if (rules.eip3860 && msg.to === null && msg.data.length > MAX_INITCODE_SIZE) fail('initcode-size', BigInt(msg.data.length), BigInt(MAX_INITCODE_SIZE))
  return ig
}

/** EIP-4844: the block's blob gas left (execution-specs' `blob_gas_available`). */
function checkBlobBudget(fork: ForkName, usage: BlockUsage, blobGas: bigint): void {
  if (blobGas > 0n && (usage.blockBlobGasUsed ?? 0n) + blobGas > GAS_PER_BLOB * BigInt(maxBlobsPerBlock(fork))) fail('blob-gas-limit', blobGas)
}

/** EIP-7825: the transaction gas cap (Osaka). */
function checkGasCap(msg: TransactMessage, rules: TxRules): void {
  if (rules.eip7825 && msg.gas > MAX_TX_GAS_LIMIT) fail('gas-limit-too-high', msg.gas, MAX_TX_GAS_LIMIT)
}

/** EIP-1559 fee caps against the base fee, unless a zero-fee message may skip them. */
function checkFees(msg: TransactMessage, env: BlockEnv, policy: TransactPolicy): void {
  if (policy.noBaseFee && msg.feeCap === 0n && msg.tipCap === 0n) return
  if (msg.tipCap > msg.feeCap) fail('tip-above-fee-cap', msg.tipCap, msg.feeCap)
  if (msg.feeCap < env.baseFee) fail('fee-cap-too-low', msg.feeCap, env.baseFee)
}

/** EIP-4844: active, no creation, versioned hashes. */
function checkBlobShape(msg: TransactMessage, rules: TxRules): void {
  if (!rules.eip4844) fail('blob-pre-cancun')
  if (msg.to === null) fail('blob-create')
  const hashes = msg.blobHashes
  for (let i = 0; i < hashes.length; i++) if (!hasBlobVersion(hashes[i]!)) fail('blob-version', BigInt(i))
}

/** EIP-4844: the count against the block's limit, the block's remaining blob gas, the blob fee cap. */
function checkBlobBlock(msg: TransactMessage, env: BlockEnv, fork: ForkName, policy: TransactPolicy, usage: BlockUsage, blobGas: bigint): void {
  const max = maxBlobsPerBlock(fork)
  if (msg.blobHashes.length > max) fail('blob-count', BigInt(msg.blobHashes.length), BigInt(max))
  if (policy.blockBudget && (usage.blockBlobGasUsed ?? 0n) + blobGas > GAS_PER_BLOB * BigInt(max)) fail('blob-gas-limit', blobGas)
  if (msg.blobFeeCap < env.blobBaseFee) fail('blob-fee-cap-too-low', msg.blobFeeCap, env.blobBaseFee)
}

/** EIP-7702: no creation, at least one authorization. */
function checkSetCode(msg: TransactMessage): void {
  if (msg.authorizationList === undefined) return
  if (msg.to === null) fail('set-code-create')
  if (msg.authorizationList.length === 0) fail('set-code-empty')
}

/** The block's remaining gas. */
function checkBlockGas(msg: TransactMessage, env: BlockEnv, usage: BlockUsage): void {
  const left = env.gasLimit - (usage.blockGasUsed ?? 0n)
  if (msg.gas > left) fail('block-gas-limit', msg.gas, left)
}

/** Intrinsic gas and floor of a message that no stateless validation has priced. */
function messageIntrinsicGas(msg: TransactMessage, rules: TxRules): IntrinsicGas {
  const data = msg.data
  let zeroBytes = 0
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeroBytes++
  let keys = 0
  for (const item of msg.accessList) keys += item.storageKeys.length
  const isCreate = msg.to === null
  return intrinsicGas(
    {
      zeroBytes,
      nonZeroBytes: data.length - zeroBytes,
      accessListAddresses: msg.accessList.length,
      accessListStorageKeys: keys,
      authorizations: msg.authorizationList?.length ?? 0,
      isCreate,
      initcodeWords: isCreate ? Math.ceil(data.length / 32) : 0,
    },
    rules,
  )
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

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
