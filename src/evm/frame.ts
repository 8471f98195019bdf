/**
 * One call frame: stack (preallocated bigints + pointer), memory (growable Uint8Array), pc,
 * gas, and the message it runs. Handlers receive the frame and change it in place; they halt
 * by setting `status`.
 *
 * Gas is a JS number on the hot path. Gas above 2^53-1 (pre-Osaka transactions may carry up to
 * 2^64) is split: `gas` holds at most 2^53-1 and `reserve` (a bigint, normally 0n) the rest.
 * Every check that would run out of gas first moves reserve into `gas` (`refill`), and GAS, the
 * 63/64 rule and the gas handed back use the exact total, so wide gas behaves exactly.
 */
import { EMPTY_BYTES, type Address } from '../primitives/index.ts'
import type { CodeAnalysis } from './analysis.ts'
import type { Host } from './host.ts'
import type { CallKind, Log, Message, Tracer } from './types.ts'
import type { Fork } from './forks.ts'
import { memoryCost, STACK_LIMIT } from './gas.ts'

/** Frame status codes (numbers on the hot path; mapped to strings in results). */
export const S = {
  Running: 0,
  Stop: 1,
  Return: 2,
  Revert: 3,
  /** Waiting for a child frame (CALL or CREATE family): the driver runs it, then resumes us. */
  Suspended: 4,
  OutOfGas: 10,
  InvalidOpcode: 11,
  StackUnderflow: 12,
  StackOverflow: 13,
  InvalidJump: 14,
  StaticStateChange: 15,
  ReturnDataOutOfBounds: 16,
  InvalidContractPrefix: 17,
  CodeSizeLimit: 18,
  PrecompileError: 19,
} as const
export type S = (typeof S)[keyof typeof S]

/** Shared by all frames of one executeMessage call. */
export interface Context {
  host: Host
  fork: Fork
  tracer: Tracer | undefined
  logs: Log[]
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

/** Largest memory offset/size we try to price; beyond it any access is out of gas. */
export const MAX_MEMORY = 0xffffffff
const MAX_MEMORY_N = 0xffffffffn

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

/**
 * Charges for and grows memory to cover [offset, offset+size). Returns false (and halts the
 * frame out of gas) when the range is unaffordable. Size 0 never touches memory.
 */
export function useMemory(f: Frame, offset: bigint, size: bigint): boolean {
  if (size === 0n) return true
  if (offset > MAX_MEMORY_N || size > MAX_MEMORY_N) {
    f.status = S.OutOfGas
    return false
  }
  const end = Number(offset) + Number(size)
  if (end <= f.memSize) return true
  return expandMemory(f, end)
}

/** useMemory for `size` bytes (1 or 32) at `offset`: the offset as a number, or -1 after
 *  halting out of gas. The MLOAD/MSTORE path, without bigint size checks. */
export function useBytes(f: Frame, offset: bigint, size: number): number {
  if (offset > MAX_MEMORY_N) {
    f.status = S.OutOfGas
    return -1
  }
  const o = Number(offset)
  if (o + size <= f.memSize || expandMemory(f, o + size)) return o
  return -1
}

/** Grows memory to at least `end` bytes (rounded up to words), charging the difference. */
export function expandMemory(f: Frame, end: number): boolean {
  const words = Math.ceil(end / 32)
  const cost = memoryCost(words)
  if (!charge(f, cost - f.memCost)) return false
  f.memCost = cost
  const size = words * 32
  const mems = f.ctx.mems
  if (size > f.mem.length) {
    const slot = mems[f.depth]
    if (f.mem.length === 0 && slot !== undefined && slot.mem.length >= size) {
      // the frame's first growth: its depth's buffer, cleared where the frame before wrote
      slot.mem.fill(0, 0, slot.used)
      slot.used = 0
      f.mem = slot.mem
      f.memView = slot.view
    } else {
      // the ArrayBuffer first: asking a typed array for its .buffer later makes JSC move it out of the heap
      const ab = new ArrayBuffer(Math.max(size, f.mem.length * 2, 1024))
      const grown = new Uint8Array(ab)
      grown.set(f.mem.subarray(0, f.memSize))
      f.mem = grown
      f.memView = new DataView(ab)
      mems[f.depth] = { mem: grown, view: f.memView, used: 0 }
    }
  }
  f.memSize = size
  const slot = mems[f.depth]!
  if (slot.mem === f.mem && size > slot.used) slot.used = size
  return true
}

/** Charges `gas`; halts out of gas and returns false when the frame cannot pay. */
export function charge(f: Frame, gas: number): boolean {
  if (f.gas < gas && !refill(f, gas)) {
    f.status = S.OutOfGas
    return false
  }
  f.gas -= gas
  return true
}

/** Largest gas held as a number; wider totals keep the excess in `Frame.reserve`. */
export const MAX_GAS = Number.MAX_SAFE_INTEGER
export const MAX_GAS_N = BigInt(MAX_GAS)

/** The slow path of a failed gas check: moves reserve into `gas`; true if `need` is now covered. */
export function refill(f: Frame, need: number): boolean {
  if (f.reserve === 0n) return false
  setGas(f, totalGas(f))
  return f.gas >= need
}

/** The frame's exact gas. */
export const totalGas = (f: Frame): bigint => (f.reserve === 0n ? BigInt(f.gas) : BigInt(f.gas) + f.reserve)

/** Sets the frame's gas to an exact total. */
export function setGas(f: Frame, total: bigint): void {
  if (total <= MAX_GAS_N) {
    f.gas = Number(total)
    f.reserve = 0n
  } else {
    f.gas = MAX_GAS
    f.reserve = total - MAX_GAS_N
  }
}

/** Gives gas back to the frame (a child's gas left, an unused call allowance). */
export function addGas(f: Frame, gas: number | bigint): void {
  if (typeof gas === 'number') {
    const sum = f.gas + gas
    // a sum above 2^53-1 may be rounded; redo it exactly
    if (sum <= MAX_GAS) {
      f.gas = sum
      return
    }
    gas = BigInt(gas)
  }
  setGas(f, totalGas(f) + gas)
}

/** A gas amount as a number when it fits (the usual case), else as an exact bigint. */
export const narrowGas = (g: bigint): number | bigint => (g <= MAX_GAS_N ? Number(g) : g)

/** Copies `size` bytes of `src` from `srcOffset` (zero-padded past its end) into memory. */
export function copyToMemory(f: Frame, memOffset: number, src: Uint8Array, srcOffset: bigint, size: number): void {
  if (size === 0) return
  const mem = f.mem
  const start = srcOffset >= BigInt(src.length) ? src.length : Number(srcOffset)
  const avail = Math.min(size, src.length - start)
  if (avail > 0) mem.set(avail === src.length ? src : new Uint8Array(src.buffer, src.byteOffset + start, avail), memOffset)
  if (avail < size) mem.fill(0, memOffset + Math.max(avail, 0), memOffset + size)
}

/** Words (ceil(size/32)) of a size already known to fit memory bounds. */
export const words = (size: number): number => Math.ceil(size / 32)

const SAFE = 0x1fffffffffffffn
const WORD_MAX = (1n << 256n) - 1n
/** Words from here up are -2^53..-1 in two's complement. */
const NEG_SMALL = WORD_MAX - SAFE
const TWO32 = 0x100000000

/** Reads a 32-byte big-endian word at a (validated) memory offset. Words below 2^53 (the
 *  usual pointers, lengths and counters) take a fast path without 256-bit arithmetic. */
export function readWord(view: DataView, offset: number): bigint {
  const a = view.getUint32(offset + 24)
  if (
    a < 0x200000 &&
    (view.getUint32(offset) | view.getUint32(offset + 4) | view.getUint32(offset + 8) | view.getUint32(offset + 12) | view.getUint32(offset + 16) | view.getUint32(offset + 20)) === 0
  ) {
    return BigInt(a * TWO32 + view.getUint32(offset + 28))
  }
  if (
    a >= 0xffe00000 &&
    (view.getUint32(offset) & view.getUint32(offset + 4) & view.getUint32(offset + 8) & view.getUint32(offset + 12) & view.getUint32(offset + 16) & view.getUint32(offset + 20)) === -1
  ) {
    // a small negative number: 2^256-1 minus the complement of the low 53 bits
    return WORD_MAX - BigInt((~a >>> 0) * TWO32 + (~view.getUint32(offset + 28) >>> 0))
  }
  return (
    (view.getBigUint64(offset) << 192n) |
    (view.getBigUint64(offset + 8) << 128n) |
    (view.getBigUint64(offset + 16) << 64n) |
    view.getBigUint64(offset + 24)
  )
}

/** Six 32-bit `fill` words, then `hi` and `lo`: a word whose top 24 bytes are all 0x00 or all 0xff. */
function writeSmallWord(view: DataView, offset: number, fill: number, hi: number, lo: number): void {
  view.setUint32(offset, fill)
  view.setUint32(offset + 4, fill)
  view.setUint32(offset + 8, fill)
  view.setUint32(offset + 12, fill)
  view.setUint32(offset + 16, fill)
  view.setUint32(offset + 20, fill)
  view.setUint32(offset + 24, hi)
  view.setUint32(offset + 28, lo)
}

/** Writes `v` as a 32-byte big-endian word at a (validated) memory offset; words below 2^53
 *  are written as two 32-bit halves after 24 zero bytes. */
export function writeWord(view: DataView, offset: number, v: bigint): void {
  if (v <= SAFE) {
    const n = Number(v)
    return writeSmallWord(view, offset, 0, Math.floor(n / TWO32), n >>> 0)
  }
  if (v >= NEG_SMALL) {
    // two's complement of a small negative number: 24 bytes of 0xff, then ~(2^256-1 - v)
    const j = Number(WORD_MAX - v)
    return writeSmallWord(view, offset, 0xffffffff, ~Math.floor(j / TWO32) >>> 0, ~j >>> 0)
  }
  // setBigUint64 stores its argument modulo 2^64 (ToBigUint64), so no masking is needed
  view.setBigUint64(offset + 24, v)
  view.setBigUint64(offset + 16, v >> 64n)
  view.setBigUint64(offset + 8, v >> 128n)
  view.setBigUint64(offset, v >> 192n)
}

export const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Big-endian bytes → bigint (fast path for addresses and words). */
export function bytesToWord(b: Uint8Array, start = 0, end = b.length): bigint {
  if (end - start === 32) return readWord(new DataView(b.buffer, b.byteOffset, b.byteLength), start)
  if (end <= start) return 0n
  let hex = '0x'
  for (let i = start; i < end; i++) hex += HEX[b[i]!]
  return BigInt(hex)
}

// Scratch for word → address: a fresh small Uint8Array has no ArrayBuffer until `.buffer` is
// read, and creating one (or a subarray) costs more than the conversion itself.
const scratch = new DataView(new ArrayBuffer(24))
const scratchBytes = new Uint8Array(scratch.buffer)

/** The low 20 bytes of a word as an address (setBigUint64 keeps the low 64 bits of each part). */
export function wordToAddress(v: bigint): Address {
  scratch.setBigUint64(0, v >> 128n)
  scratch.setBigUint64(8, v >> 64n)
  scratch.setBigUint64(16, v)
  const out = new Uint8Array(20)
  for (let i = 0; i < 20; i++) out[i] = scratchBytes[i + 4]!
  return out
}

export function addressToWord(a: Address): bigint {
  const dv = new DataView(a.buffer, a.byteOffset, 20)
  return (BigInt(dv.getUint32(0)) << 128n) | (dv.getBigUint64(4) << 64n) | dv.getBigUint64(12)
}
