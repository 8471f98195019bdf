/**
 * OpenEthereum's `vmTrace`: per frame the code it ran and its instructions — pc, op, cost, and
 * `ex` (what the instruction did): `used` (gas left after it, despite the name), `push` (the
 * stack items it left: one for a value, n+1 for DUPn and SWAPn), `mem` (the memory it wrote:
 * offset and bytes) and `store` (the slot SSTORE wrote); `sub` is the frame a CALL or CREATE
 * entered. An instruction's effects are read at the next step of its frame (for a call, after
 * the callee returned); the frame's last instruction is read at its exit, and has no `ex` when
 * it halted the frame exceptionally.
 */
import { delegateOf, isDelegation, type ExecutionResult, type Message, type Tracer } from '../../evm/index.ts'
import { bytesToHex, type Address } from '../../primitives/index.ts'
import { qty } from '../format/hex.ts'
import { opName, OP } from './opcodes.ts'

interface Executed {
  used: number
  push: string[]
  mem: { off: number; data: string } | null
  store: { key: string; val: string } | null
}

interface Instruction {
  cost: number
  ex: Executed | null
  pc: number
  sub: VmTrace | null
  op: string
}

export interface VmTrace {
  code: string
  ops: Instruction[]
}

interface Pending {
  ins: Instruction
  op: number
  gasAfter: number
  /** The memory range it writes, from the stack before it. */
  mem?: [offset: number, size: number]
  store?: [key: bigint, value: bigint]
}

interface Frame {
  trace: VmTrace
  /** No code: the implicit STOP is not an instruction anyone ran. */
  empty: boolean
  pending?: Pending
}

/** Ops that leave nothing on the stack; DUPn and SWAPn leave n+1, every other op one. */
const NO_PUSH = new Set([0x00, 0x37, 0x39, 0x3c, 0x3e, 0x50, 0x52, 0x53, 0x55, 0x56, 0x57, 0x5b, 0x5d, 0x5e, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xf3, 0xfd, 0xfe, 0xff])

function pushCount(op: number): number {
  if (op >= 0x80 && op <= 0x8f) return op - 0x80 + 2
  if (op >= 0x90 && op <= 0x9f) return op - 0x90 + 2
  return NO_PUSH.has(op) ? 0 : 1
}

/** [offset, size] of the memory `op` writes, as stack positions from the top. */
const MEM_ARGS: Record<number, [number, number]> = {
  0x37: [0, 2], // CALLDATACOPY
  0x39: [0, 2], // CODECOPY
  0x3c: [1, 3], // EXTCODECOPY
  0x3e: [0, 2], // RETURNDATACOPY
  0x5e: [0, 2], // MCOPY
  0xf1: [5, 6], // CALL: the return area
  0xf2: [5, 6], // CALLCODE
  0xf4: [4, 5], // DELEGATECALL
  0xfa: [4, 5], // STATICCALL
}

const MAX_MEM = 1 << 30

function memRange(op: number, stack: bigint[]): [number, number] | undefined {
  const n = stack.length
  const top = (i: number) => stack[n - 1 - i]!
  let off: bigint, size: bigint
  if (op === 0x52 || op === 0x53) {
    if (n < 1) return undefined
    ;(off = top(0)), (size = op === 0x52 ? 32n : 1n)
  } else {
    const a = MEM_ARGS[op]
    if (!a || n <= a[1]) return undefined
    ;(off = top(a[0])), (size = top(a[1]))
  }
  // a range the op could not pay for never completes, so it is never read
  return size === 0n || off + size > BigInt(MAX_MEM) ? undefined : [Number(off), Number(size)]
}

export class VmTracer implements Tracer {
  private readonly stack: Frame[] = []
  private root?: VmTrace

  /** `code(address)` reads the live state. */
  constructor(private readonly code: (a: Address) => Uint8Array) {}

  onEnter(msg: Message): void {
    let code = msg.input
    if (msg.kind !== 'create' && msg.kind !== 'create2') {
      code = this.code(msg.codeAddress ?? msg.to)
      if (isDelegation(code)) code = this.code(delegateOf(code))
    }
    const trace: VmTrace = { code: bytesToHex(code), ops: [] }
    const parent = this.stack.at(-1)
    if (parent?.pending) parent.pending.ins.sub = trace
    if (!this.root) this.root = trace
    this.stack.push({ trace, empty: code.length === 0 })
  }

  onStep(pc: number, op: number, gas: number, cost: number, stack: bigint[], memory: Uint8Array): void {
    const f = this.stack.at(-1)
    if (!f || f.empty) return
    if (f.pending) settle(f.pending, gas, stack, memory)
    const ins: Instruction = { cost, ex: null, pc, sub: null, op: opName(op) }
    f.trace.ops.push(ins)
    f.pending = { ins, op, gasAfter: gas - cost, mem: memRange(op, stack) }
    if (op === OP.SSTORE && stack.length >= 2) f.pending.store = [stack[stack.length - 1]!, stack[stack.length - 2]!]
  }

  onExit(r: ExecutionResult): void {
    const f = this.stack.pop()
    // the last instruction: STOP, RETURN, REVERT or SELFDESTRUCT completed; any other halt did not
    if (f?.pending && (r.status === 'success' || r.status === 'revert')) settle(f.pending, f.pending.gasAfter, [], new Uint8Array(0))
  }

  result(): VmTrace {
    return this.root ?? { code: '0x', ops: [] }
  }
}

/** Fills in what the pending instruction did, from the state at the next step. */
function settle(p: Pending, gas: number, stack: bigint[], memory: Uint8Array): void {
  const n = Math.min(pushCount(p.op), stack.length)
  p.ins.ex = {
    used: gas,
    push: stack.slice(stack.length - n).map((v) => qty(v)),
    mem: p.mem ? { off: p.mem[0], data: bytesToHex(memory.slice(p.mem[0], p.mem[0] + p.mem[1])) } : null,
    store: p.store ? { key: qty(p.store[0]), val: qty(p.store[1]) } : null,
  }
}
