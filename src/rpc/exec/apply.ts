/**
 * applyMessage: one message against a journaled state, as geth's state transition runs it for
 * eth_call & co.: pre-checks (nonce and sender-code checks optional, fee checks skipped when no
 * fee is given), buy gas, intrinsic gas and EIP-7623 floor, bump the nonce, warm sets (EIP-2929,
 * EIP-3651), EIP-7702 authorizations, the EVM, refunds (EIP-3529), the tip to the coinbase, and
 * the transaction's finalization. A message that cannot run throws `CallValidationError` with
 * geth's message; a message that runs returns its status (revert and halts included).
 *
 * Mined transactions go through src/executor's executeTransaction; this is the RPC variant
 * with geth's call flags and a tracer.
 */
import { createAddress, executeMessage, getFork, isDelegation, isForkName as isEvmFork, type ExecutionStatus, type EvmLog, type Tracer } from '../../evm/index.ts'
import { bytesToHex, concatBytes, toChecksumAddress, type Address } from '../../primitives/index.ts'
import type { JournaledState, StateDiff } from '../../state/index.ts'
import {
  GAS_PER_BLOB,
  MAX_INITCODE_SIZE,
  MAX_TX_GAS_LIMIT,
  hasBlobVersion,
  intrinsicGas,
  recoverAuthorities,
  txRules,
  type Authorization,
} from '../../types/index.ts'
import { maxBlobsPerBlock, warmAtTransactionStart } from '../../executor/index.ts'
import { ServerError } from '../errors.ts'
import type { ExecEnv } from './env.ts'
import type { CallMessage } from './message.ts'

export type CallErrorKind =
  | 'nonce-too-low'
  | 'nonce-too-high'
  | 'nonce-max'
  | 'sender-not-eoa'
  | 'gas-limit-too-high'
  | 'fee-cap-too-low'
  | 'tip-above-fee-cap'
  | 'blob-fee-cap-too-low'
  | 'blob'
  | 'set-code'
  | 'insufficient-funds'
  | 'intrinsic-gas'
  | 'floor-gas'
  | 'initcode-size'
  | 'block-gas-limit'

/** The message cannot run at all (geth: a consensus error, not an execution failure). */
export class CallValidationError extends ServerError {
  override name = 'CallValidationError'
  readonly kind: CallErrorKind
  constructor(kind: CallErrorKind, message: string) {
    super(message)
    this.kind = kind
  }
}

export interface ApplyOptions {
  tracer?: Tracer
  /** Check the message nonce against the account (off for eth_call, as geth). */
  checkNonce?: boolean
  /** EIP-3607: reject senders with code (off for eth_call, as geth). */
  checkEoa?: boolean
  /** Gas left in the block; the message must fit (simulate). Unlimited when absent. */
  blockGasLeft?: bigint
  /**
   * Only the outcome is read (eth_call): the refund to the sender, the coinbase's fee and the
   * state diff are skipped, and `diff` is empty. They come after execution, so the output,
   * status and gas are the same.
   */
  outputOnly?: boolean
}

export interface ApplyResult {
  status: ExecutionStatus
  /** Gas charged (after refunds and floor). */
  gasUsed: bigint
  /** Gas used before refunds (estimateGas's optimistic start). */
  gasUsedBeforeRefund: bigint
  refund: bigint
  output: Uint8Array
  logs: EvmLog[]
  createdAddress?: Address
  diff: StateDiff
  blobGasUsed: bigint
}

const UINT64_MAX = (1n << 64n) - 1n
const PER_EMPTY_ACCOUNT_COST = 25_000n
const PER_AUTH_BASE_COST = 12_500n
/** Gas beyond this is held back from the EVM's number and added back after (see frame.ts). */
const SAFE_GAS = BigInt(Number.MAX_SAFE_INTEGER)
const DELEGATION_PREFIX = Uint8Array.of(0xef, 0x01, 0x00)

const addr = (a: Address): string => toChecksumAddress(a)

function fail(kind: CallErrorKind, message: string): never {
  throw new CallValidationError(kind, message)
}

/** State `state.block` must be `x.env` (with base fees zeroed for zero-fee messages). */
/** `tracer` overrides `opts.tracer` (the deadline wrapper), without a copy of the options. */
export function applyMessage(state: JournaledState, msg: CallMessage, x: ExecEnv, opts: ApplyOptions = {}, tracer = opts.tracer): ApplyResult {
  const { env, fork } = x
  if (!isEvmFork(fork)) throw new ServerError(`execution at fork ${fork} is not supported (the EVM runs Paris and later)`)
  const evmFork = getFork(fork)
  const rules = txRules(fork)
  const from = msg.from
  const nonce = state.getNonce(from)
  if (opts.checkNonce && msg.nonce !== undefined) {
    if (msg.nonce < nonce) fail('nonce-too-low', `nonce too low: address ${addr(from)}, tx: ${msg.nonce} state: ${nonce}`)
    if (msg.nonce > nonce) fail('nonce-too-high', `nonce too high: address ${addr(from)}, tx: ${msg.nonce} state: ${nonce}`)
  }
  if (nonce >= UINT64_MAX) fail('nonce-max', `nonce has max value: address ${addr(from)}, nonce: ${nonce}`)
  if (opts.checkEoa) {
    const code = state.getCode(from)
    if (code.length > 0 && !(evmFork.eip7702 && isDelegation(code))) fail('sender-not-eoa', `sender not an eoa: address ${addr(from)}, len(code): ${code.length}`)
  }
  if (rules.eip7825 && msg.gas > MAX_TX_GAS_LIMIT) fail('gas-limit-too-high', `transaction gas limit too high (cap: ${MAX_TX_GAS_LIMIT}, tx: ${msg.gas})`)
  if (rules.eip1559 && !msg.zeroFees) {
    if (msg.tipCap > msg.feeCap)
      fail('tip-above-fee-cap', `max priority fee per gas higher than max fee per gas: address ${addr(from)}, maxPriorityFeePerGas: ${msg.tipCap}, maxFeePerGas: ${msg.feeCap}`)
    if (msg.feeCap < env.baseFee) fail('fee-cap-too-low', `max fee per gas less than block base fee: address ${addr(from)}, maxFeePerGas: ${msg.feeCap}, baseFee: ${env.baseFee}`)
  }
  let blobGas = 0n
  if (msg.blobHashes.length > 0) {
    if (!rules.eip4844) fail('blob', 'blob transactions are not active before Cancun')
    if (msg.to === null) fail('blob', 'blob transaction of type create')
    for (const h of msg.blobHashes) if (!hasBlobVersion(h)) fail('blob', `blob with invalid hash version: ${bytesToHex(h)}`)
    if (msg.blobHashes.length > maxBlobsPerBlock(fork)) fail('blob', `blob gas limit exceeded: ${msg.blobHashes.length} blobs, at most ${maxBlobsPerBlock(fork)}`)
    blobGas = GAS_PER_BLOB * BigInt(msg.blobHashes.length)
    if (!(msg.blobFeeCap === 0n) && msg.blobFeeCap < env.blobBaseFee)
      fail('blob-fee-cap-too-low', `max fee per blob gas less than block blob gas fee: address ${addr(from)} blobGasFeeCap: ${msg.blobFeeCap}, blobBaseFee: ${env.blobBaseFee}`)
  }
  if (msg.authorizationList !== undefined) {
    if (msg.to === null) fail('set-code', `set code transaction of type create: address ${addr(from)}`)
    if (msg.authorizationList.length === 0) fail('set-code', `EIP-7702 transaction with empty auth list: address ${addr(from)}`)
  }
  if (opts.blockGasLeft !== undefined && msg.gas > opts.blockGasLeft) fail('block-gas-limit', `gas limit reached`)

  // buy gas: the balance must cover the worst case
  const balance = state.getBalance(from)
  const blobFee = blobGas * env.blobBaseFee
  const want = msg.gas * (msg.zeroFees ? 0n : msg.feeCap) + msg.value + blobGas * msg.blobFeeCap
  if (balance < want) fail('insufficient-funds', `insufficient funds for gas * price + value: address ${addr(from)} have ${balance} want ${want}`)

  // intrinsic gas and floor (EIP-7623), initcode size (EIP-3860)
  let zeroBytes = 0
  const input = msg.data
  for (let i = 0; i < input.length; i++) if (input[i] === 0) zeroBytes++
  const isCreate = msg.to === null
  const ig = intrinsicGas(
    {
      zeroBytes,
      nonZeroBytes: msg.data.length - zeroBytes,
      accessListAddresses: msg.accessList.length,
      accessListStorageKeys: msg.accessList.reduce((n, i) => n + i.storageKeys.length, 0),
      authorizations: msg.authorizationList?.length ?? 0,
      isCreate,
      initcodeWords: isCreate ? Math.ceil(msg.data.length / 32) : 0,
    },
    rules,
  )
  if (msg.gas < ig.gas) fail('intrinsic-gas', `intrinsic gas too low: have ${msg.gas}, want ${ig.gas}`)
  if (msg.gas < ig.floor) fail('floor-gas', `insufficient gas for floor data gas cost: have ${msg.gas}, want ${ig.floor}`)
  if (rules.eip3860 && isCreate && msg.data.length > MAX_INITCODE_SIZE)
    fail('initcode-size', `max initcode size exceeded: code size ${msg.data.length}, limit ${MAX_INITCODE_SIZE}`)

  state.beginTransaction({ origin: from, gasPrice: msg.gasPrice, blobHashes: msg.blobHashes })
  state.setBalance(from, balance - msg.gas * msg.gasPrice - blobFee)
  state.setNonce(from, nonce + 1n)
  const target = msg.to ?? createAddress(from, nonce)
  warmAtTransactionStart(state, fork, evmFork, from, target, env.coinbase, msg.accessList)
  const authRefund = msg.authorizationList ? applyAuthorizations(state, msg.authorizationList, env.chainId) : 0n

  const execGas = msg.gas - ig.gas
  const heldBack = execGas > SAFE_GAS ? execGas - SAFE_GAS : 0n
  const r = executeMessage(
    state,
    { kind: isCreate ? 'create' : 'call', caller: from, to: target, value: msg.value, input: msg.data, gas: Number(execGas - heldBack) },
    evmFork,
    tracer,
  )
  const gasUsedBeforeRefund = msg.gas - BigInt(r.gasLeft) - heldBack
  const refund = min(BigInt(r.gasRefund) + authRefund, gasUsedBeforeRefund / 5n)
  let gasUsed = gasUsedBeforeRefund - refund
  if (gasUsed < ig.floor) gasUsed = ig.floor
  if (opts.outputOnly)
    return { status: r.status, gasUsed, gasUsedBeforeRefund, refund, output: r.output, logs: r.logs, createdAddress: r.createdAddress, diff: new Map(), blobGasUsed: blobGas }
  state.setBalance(from, state.getBalance(from) + (msg.gas - gasUsed) * msg.gasPrice)
  const baseFee = state.block.baseFee
  if (msg.gasPrice > baseFee) state.setBalance(env.coinbase, state.getBalance(env.coinbase) + gasUsed * (msg.gasPrice - baseFee))
  state.touch(env.coinbase)
  const diff = state.finalizeTransaction()
  return {
    status: r.status,
    gasUsed,
    gasUsedBeforeRefund,
    refund,
    output: r.output,
    logs: r.logs,
    createdAddress: r.createdAddress,
    diff,
    blobGasUsed: blobGas,
  }
}

/** EIP-7702: delegations for each valid authorization; returns the refund for existing authorities. */
function applyAuthorizations(state: JournaledState, list: readonly Authorization[], chainId: bigint): bigint {
  const authorities = recoverAuthorities(list)
  let refund = 0n
  list.forEach((a, i) => {
    const authority = authorities[i]
    if ((a.chainId !== 0n && a.chainId !== chainId) || a.nonce >= UINT64_MAX || !authority) return
    state.warmAddress(authority)
    const code = state.getCode(authority)
    if ((code.length > 0 && !isDelegation(code)) || state.getNonce(authority) !== a.nonce) return
    if (state.exists(authority)) refund += PER_EMPTY_ACCOUNT_COST - PER_AUTH_BASE_COST
    state.setCode(authority, a.address.every((b) => b === 0) ? new Uint8Array(0) : concatBytes(DELEGATION_PREFIX, a.address))
    state.setNonce(authority, a.nonce + 1n)
  })
  return refund
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
