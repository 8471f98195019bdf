/**
 * One call frame: stack (preallocated bigints + pointer), memory (growable Uint8Array), pc,
 * gas, and the message it runs. Handlers receive the frame and change it in place; they halt
 * by setting `status`. The gas meter is in gas-meter.ts, memory in frame-memory.ts.
 *
 * The frozen per-fork tables (`Fork`) live here too, not in forks.ts: a fork's handlers take a
 * Frame and a frame's context holds its fork, so the two types are defined together and
 * forks.ts (which builds the tables from instructions/*) sits above both.
 */
import { EMPTY_BYTES, type Address } from '../primitives/index.ts'
import type { CodeAnalysis } from './analysis.ts'
import { setGas } from './gas-meter.ts'
import { STACK_LIMIT } from './gas.ts'
import type { Host } from './host.ts'
import type { PrecompileRules, Precompile } from './precompiles/types.ts'
import { S } from './status.ts'
import type { CallKind, EvmLog, Message, Tracer } from './types.ts'

export type Handler = (f: Frame) => void

export const FORK_NAMES = ['paris', 'shanghai', 'cancun', 'prague', 'osaka'] as const
export type EvmForkName = (typeof FORK_NAMES)[number]

/** Frozen per-fork tables used by the interpreter (built by `getFork` in forks.ts). */
export interface Fork extends PrecompileRules {
  readonly name: EvmForkName
  readonly handlers: readonly Handler[]
  readonly staticGas: Uint32Array
  /** Minimum stack height before the op (underflow check). */
  readonly stackMin: Uint16Array
  /** Maximum stack height before the op (overflow check). */
  readonly stackMax: Uint16Array
  /** Items pushed by the op (with stackMin, its stack effect). */
  readonly stackPushes: Uint8Array
  readonly opNames: readonly string[]
  /** Precompiles keyed by the address's low two bytes (the other 18 bytes are zero). */
  readonly precompiles: ReadonlyMap<number, Precompile>
  /** EIP-3860 initcode limit and word cost. */
  readonly eip3860: boolean
  /** EIP-7702 delegation designators followed by calls. */
  readonly eip7702: boolean
}

/** Shared by all frames of one executeMessage call. */
export interface Context {
  host: Host
  fork: Fork
  tracer: Tracer | undefined
  logs: EvmLog[]
  /** Stacks pooled by depth: a frame's stack is reused by its next sibling. */
  stacks: bigint[][]
  /** Memories pooled by depth, the same way (frames only ever copy out of memory). */
  mems: MemSlot[]
}

/** A depth's memory buffer; `used`: how far frames wrote into it, cleared before the next one. */
export interface MemSlot {
  mem: Uint8Array
  view: DataView
  used: number
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0))

/** What a suspended frame asks the driver to run. */
export interface PendingChild {
  msg: Required<Message>
  code: Uint8Array
  /** EIP-7702: a delegated call never runs a precompile. */
  disablePrecompiles: boolean
  /** Where the caller wants the output (calls only). */
  retOffset: number
  retSize: number
}

export class Frame {
  stack: bigint[]
  sp = 0
  pc = 0
  /** Gas, at most MAX_GAS; the rest of a wide total is in `reserve`. */
  gas: number
  reserve = 0n
  refund = 0
  status: S = S.Running as S
  mem: Uint8Array = EMPTY_BYTES
  /** DataView over `mem` (rebuilt when memory grows) for word reads and writes. */
  memView: DataView = EMPTY_VIEW
  /** Active memory size in bytes (a multiple of 32). */
  memSize = 0
  memCost = 0
  returnData: Uint8Array = EMPTY_BYTES
  output: Uint8Array = EMPTY_BYTES
  pending: PendingChild | null = null
  // message fields, flattened for the hot path
  readonly kind: CallKind
  readonly address: Address
  readonly caller: Address
  readonly value: bigint
  readonly input: Uint8Array
  readonly isStatic: boolean
  readonly depth: number
  readonly snapshot: number
  readonly logStart: number
  readonly jumpdests: Uint8Array
  /** Decoded PUSH2–PUSH32 immediates by the offset after the opcode (see analysis.ts). */
  readonly pushes: bigint[]

  constructor(
    readonly ctx: Context,
    readonly msg: Required<Message>,
    readonly code: Uint8Array,
    analysis: CodeAnalysis,
    snapshot: number,
  ) {
    this.jumpdests = analysis.jumpdests
    this.pushes = analysis.pushes
    this.kind = msg.kind
    this.address = msg.to
    this.caller = msg.caller
    this.value = msg.value
    this.input = msg.input
    this.isStatic = msg.isStatic
    this.depth = msg.depth
    if (typeof msg.gas === 'number') this.gas = msg.gas
    else {
      this.gas = 0
      setGas(this, msg.gas)
    }
    this.snapshot = snapshot
    this.logStart = ctx.logs.length
    let stack = ctx.stacks[msg.depth]
    if (stack === undefined) stack = ctx.stacks[msg.depth] = new Array<bigint>(STACK_LIMIT).fill(0n)
    this.stack = stack
  }
}
