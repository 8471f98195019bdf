/**
 * The RPC's use of the executor's one state transition (`transact`): geth's call flags as policy
 * constants, and geth's texts for the messages that cannot run. eth_call skips the nonce and
 * EOA checks and, with no fee given, the fee checks (its block then reads base fees of 0, see
 * run-call.ts), and reads only the outcome; estimateGas, createAccessList and debug_traceCall
 * read the state changes too; simulateV1 also holds each call to its block's gas. Mined
 * transactions replay through executeTransaction (replay.ts).
 */
import type { Tracer } from '../../evm/index.ts'
import { transact, TransactError, type BlockUsage, type TransactErrorKind, type TransactPolicy, type TransactResult } from '../../executor/index.ts'
import { bytesToHex, toChecksumAddress } from '../../primitives/index.ts'
import type { JournaledState } from '../../state/index.ts'
import { ServerError } from '../errors.ts'
import type { ExecEnv } from './env.ts'
import type { CallMessage } from './message.ts'

/** eth_call: outcome only. */
export const CALL_POLICY: TransactPolicy = { checkNonce: false, checkEoa: false, noBaseFee: true, outputOnly: true, blockBudget: false, order: 'geth' }
/** estimateGas, createAccessList, debug_traceCall: the same checks, with the state changes. */
export const RUN_POLICY: TransactPolicy = { ...CALL_POLICY, outputOnly: false }
/** eth_simulateV1 (validation=false): each call also within its simulated block's gas. */
export const SIMULATE_POLICY: TransactPolicy = { ...RUN_POLICY, blockBudget: true }

/** The message cannot run at all (geth: a consensus error, not an execution failure). */
export class CallValidationError extends ServerError {
  override name = 'CallValidationError'
  readonly kind: TransactErrorKind
  constructor(kind: TransactErrorKind, message: string, cause: TransactError) {
    super(message, { cause })
    this.kind = kind
  }
}

/**
 * Runs `msg` on `state`, whose block must be `x.env` (base fees zeroed for a zero-fee message).
 * Throws `CallValidationError` with geth's text when the message cannot run.
 */
export function applyMessage(state: JournaledState, msg: CallMessage, x: ExecEnv, policy: TransactPolicy, tracer?: Tracer, usage?: BlockUsage): TransactResult {
  try {
    return transact(state, msg, x.env, x.fork, policy, tracer, usage)
  } catch (e) {
    if (!(e instanceof TransactError)) throw e
    if (e.kind === 'unsupported-fork') throw new ServerError(`execution at fork ${x.fork} is not supported (the EVM runs Paris and later)`)
    throw new CallValidationError(e.kind, gethText(e, msg), e)
  }
}

function gethText(e: TransactError, msg: CallMessage): string {
  const from = toChecksumAddress(msg.from)
  const { got, limit } = e
  switch (e.kind) {
    case 'nonce-too-low': return `nonce too low: address ${from}, tx: ${got} state: ${limit}`
    case 'nonce-too-high': return `nonce too high: address ${from}, tx: ${got} state: ${limit}`
    case 'nonce-max': return `nonce has max value: address ${from}, nonce: ${got}`
    case 'sender-not-eoa': return `sender not an eoa: address ${from}, len(code): ${got}`
    case 'gas-limit-too-high': return `transaction gas limit too high (cap: ${limit}, tx: ${got})`
    case 'tip-above-fee-cap': return `max priority fee per gas higher than max fee per gas: address ${from}, maxPriorityFeePerGas: ${got}, maxFeePerGas: ${limit}`
    case 'fee-cap-too-low': return `max fee per gas less than block base fee: address ${from}, maxFeePerGas: ${got}, baseFee: ${limit}`
    case 'blob-pre-cancun': return 'blob transactions are not active before Cancun'
    case 'blob-create': return 'blob transaction of type create'
    case 'blob-version': return `blob with invalid hash version: ${bytesToHex(msg.blobHashes[Number(got)]!)}`
    case 'blob-count': return `blob gas limit exceeded: ${got} blobs, at most ${limit}`
    case 'blob-count-tx': return `too many blobs in transaction: have ${got}, permitted ${limit}`
    case 'blob-none': return 'blob transaction missing blob hashes'
    case 'blob-gas-limit': return `blob gas limit exceeded: ${got} blob gas`
    case 'blob-fee-cap-too-low': return `max fee per blob gas less than block blob gas fee: address ${from} blobGasFeeCap: ${got}, blobBaseFee: ${limit}`
    case 'set-code-create': return `set code transaction of type create: address ${from}`
    case 'set-code-empty': return `EIP-7702 transaction with empty auth list: address ${from}`
    case 'block-gas-limit': return 'gas limit reached'
    case 'insufficient-funds': return `insufficient funds for gas * price + value: address ${from} have ${got} want ${limit}`
    case 'intrinsic-gas': return `intrinsic gas too low: have ${got}, want ${limit}`
    case 'floor-gas': return `insufficient gas for floor data gas cost: have ${got}, want ${limit}`
    case 'initcode-size': return `max initcode size exceeded: code size ${got}, limit ${limit}`
    case 'unsupported-fork': return 'unsupported fork'
  }
}
