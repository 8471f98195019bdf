/**
 * Splits code into the compiling tier's blocks, from the jump-destination analysis: a block
 * starts at pc 0, at every valid JUMPDEST and after every op that ends one (a jump, a halt, or a
 * CALL/CREATE, whose continuation is where the frame resumes); it ends before the next JUMPDEST.
 * Code after an unconditional end that no JUMPDEST begins is unreachable and gets no block.
 * Per block: its static gas and the stack heights at entry for which no op in it under- or
 * overflows, so both are checked once at entry.
 */
import type { Fork } from '../frame.ts'
import { invalid } from '../instructions/control.ts'

export interface Block {
  /** pc of the first op. */
  start: number
  /** pcs of the ops, in order. */
  pcs: number[]
  /** pc after the last op (where control falls through to, when it does). */
  end: number
  /** Sum of the ops' static gas. */
  gas: number
  /** Lowest and highest stack height at entry with which no op under- or overflows. */
  minSp: number
  maxSp: number
  /** The last op lets control continue at `end` (JUMPI, CALL/CREATE, or no end op). */
  fallsThrough: boolean
}

/** Ops after which control never reaches the next byte: STOP, JUMP, RETURN, REVERT, INVALID, SELFDESTRUCT. */
const HALTS = new Set([0x00, 0x56, 0xf3, 0xfd, 0xfe, 0xff])
/** Ops after which the frame may suspend (the driver resumes it at the next pc). */
export const SUSPENDS = new Set([0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa])

/** Whether `op` ends its block unconditionally in `fork` (undefined opcodes halt). */
export const haltsAt = (fork: Fork, op: number): boolean => HALTS.has(op) || fork.handlers[op] === invalid

export function splitBlocks(code: Uint8Array, jumpdests: Uint8Array, fork: Fork): Block[] {
  const blocks: Block[] = []
  let cur: Block | null = null
  let h = 0 // stack height relative to the block's entry
  const close = (end: number, fallsThrough: boolean) => {
    if (cur === null) return
    cur.end = end
    cur.fallsThrough = fallsThrough
    blocks.push(cur)
    cur = null
  }
  let reachable = true
  let pc = 0
  while (pc < code.length) {
    const op = code[pc]!
    if (op === 0x5b && jumpdests[pc] === 1) {
      close(pc, true)
      reachable = true
    }
    const next = pc + (op >= 0x60 && op <= 0x7f ? op - 0x5e : 1)
    if (reachable) {
      if (cur === null) {
        cur = { start: pc, pcs: [], end: pc, gas: 0, minSp: 0, maxSp: fork.stackMax[0]!, fallsThrough: true }
        h = 0
      }
      const b: Block = cur
      b.pcs.push(pc)
      b.gas += fork.staticGas[op]!
      b.minSp = Math.max(b.minSp, fork.stackMin[op]! - h)
      b.maxSp = Math.min(b.maxSp, fork.stackMax[op]! - h)
      h += fork.stackPushes[op]! - fork.stackMin[op]!
      if (haltsAt(fork, op)) {
        close(next, false)
        reachable = false
      } else if (op === 0x57 || SUSPENDS.has(op)) close(next, true)
    }
    pc = next
  }
  // a block running off the end falls through to an implicit STOP
  close(pc, true)
  return blocks
}
