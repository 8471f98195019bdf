/** Plain data that crosses the EVM boundary: messages, results, logs, tracer hooks. */
import type { Address } from '../primitives/index.ts'

export type CallKind = 'call' | 'callcode' | 'delegatecall' | 'staticcall' | 'create' | 'create2'

/** Exceptional halts: all gas of the frame is consumed and its state changes reverted. */
export type HaltReason =
  | 'outOfGas'
  | 'invalidOpcode'
  | 'stackUnderflow'
  | 'stackOverflow'
  | 'invalidJump'
  | 'staticStateChange'
  | 'returnDataOutOfBounds'
  | 'invalidContractPrefix'
  | 'codeSizeLimit'
  | 'precompileError'
  /** A transaction creating onto an address with code, nonce or storage (EIP-684/7610). */
  | 'createCollision'

export type ExecutionStatus = 'success' | 'revert' | HaltReason

/** A message call or contract creation: the top-level one comes from the executor, nested
 *  ones from CALL/CREATE opcodes. */
export interface Message {
  kind: CallKind
  caller: Address
  /** The account whose storage and balance the code acts on; for creates, the new address
   *  (use `createAddress`/`create2Address`). */
  to: Address
  /** Whose code runs (differs from `to` for CALLCODE/DELEGATECALL). Defaults to `to`. */
  codeAddress?: Address
  /** Wei transferred (call, callcode, create) or apparent value (delegatecall). */
  value: bigint
  /** Calldata, or initcode for creates. */
  input: Uint8Array
  /** Gas available to the frame: a safe-integer number, or a bigint for any amount (gas above
   *  2^53-1 only occurs before Osaka, whose EIP-7825 caps a transaction at 2^24). */
  gas: number | bigint
  /** 0 for the transaction's message. */
  depth?: number
  isStatic?: boolean
}

export interface EvmLog {
  address: Address
  topics: bigint[]
  data: Uint8Array
}

export interface ExecutionResult {
  status: ExecutionStatus
  /** Gas left; rounded when above 2^53-1, when `gasLeftWide` holds the exact value. */
  gasLeft: number
  /** The exact gas left, set only when it exceeds 2^53-1. */
  gasLeftWide?: bigint
  /** Refund counter (EIP-3529); the executor caps it at gasUsed/5. Zero unless success. */
  gasRefund: number
  output: Uint8Array
  /** For successful creates. */
  createdAddress?: Address
  /** Logs emitted by frames that did not revert; empty unless success. */
  logs: EvmLog[]
}

/** Observation hooks. The interpreter picks a traced loop once per frame when a tracer is
 *  given; without one it pays nothing. */
export interface Tracer {
  /** Before `op` at `pc` runs; `cost` is its full gas cost (static + dynamic). `stack` is a
   *  copy, bottom first; `memory` is a view valid only during the call. */
  onStep?(pc: number, op: number, gas: number, cost: number, stack: bigint[], memory: Uint8Array, depth: number): void
  onEnter?(msg: Message): void
  onExit?(result: ExecutionResult, depth: number): void
  /** A SELFDESTRUCT of `address` at frame `depth` that will run, before `balance` moves to `beneficiary`. */
  onSelfDestruct?(address: Address, beneficiary: Address, balance: bigint, depth: number): void
}
