/**
 * What compiled code calls besides the fork's handlers: pure ops run by their own handler on a
 * scratch stack (so a compiled op and the interpreter's cannot disagree), at run time for the
 * rarer ones and at compile time to fold constant operands.
 */
import type { Fork, Frame } from '../frame.ts'

/** Ops whose result depends on their operands only (EXP is left out: it charges gas). */
const PURE = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e])

export const foldable = (fork: Fork, op: number): boolean => PURE.has(op) && fork.stackMin[op]! > 0

const scratch = { stack: [0n, 0n, 0n], sp: 0 }
const asFrame = scratch as unknown as Frame

/** Runs a pure op's handler on operands given top first; returns its one result. */
export function pure(h: (f: Frame) => void, a: bigint, b?: bigint, c?: bigint): bigint {
  const s = scratch.stack
  if (c !== undefined) {
    s[2] = a
    s[1] = b!
    s[0] = c
    scratch.sp = 3
  } else if (b !== undefined) {
    s[1] = a
    s[0] = b
    scratch.sp = 2
  } else {
    s[0] = a
    scratch.sp = 1
  }
  h(asFrame)
  return s[0]!
}

export function foldOp(fork: Fork, op: number, args: bigint[]): bigint {
  return pure(fork.handlers[op]!, args[0]!, args[1], args[2])
}
