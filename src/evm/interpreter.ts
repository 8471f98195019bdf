/**
 * The instruction loop of one frame. It runs until the frame stops, halts or suspends on a
 * CALL/CREATE (the driver in execute.ts then runs the child and calls us again). Stack bounds
 * and static gas come from the fork's tables; handlers charge dynamic gas themselves. The traced
 * loop is chosen once per frame, so an untraced run pays nothing for tracing.
 */
import type { Frame } from './frame.ts'
import { refill, totalGas } from './gas-meter.ts'
import { S } from './status.ts'
import { SMALL } from './instructions/stack.ts'
import type { Tracer } from './types.ts'

const RUNNING = S.Running
/** Code is at most 49152 bytes (EIP-3860): larger jump destinations are invalid without lookup. */
const MAX_DEST = 0x1000000n
const WORD = 1n << 256n
const WORD_MAX = WORD - 1n

export function interpret(f: Frame): void {
  const tracer = f.ctx.tracer
  if (tracer?.onStep) return interpretTraced(f, tracer)
  const { handlers, staticGas, stackMin, stackMax } = f.ctx.fork
  const code = f.code
  const len = code.length
  while (f.status === RUNNING) {
    const pc = f.pc
    const op = pc < len ? code[pc]! : 0
    const sp = f.sp
    if (sp < stackMin[op]!) {
      f.status = S.StackUnderflow
      return
    }
    if (sp > stackMax[op]!) {
      f.status = S.StackOverflow
      return
    }
    const g = staticGas[op]!
    if (f.gas < g && !refill(f, g)) {
      f.status = S.OutOfGas
      return
    }
    f.gas -= g
    // The most frequent cheap instructions run inline (the same in every fork): an indirect
    // call costs more than their work. PUSH1–32, DUP1–16, SWAP1–16 first, then a switch.
    const s = f.stack
    if (op >= 0x60) {
      if (op <= 0x9f) {
        if (op === 0x60) {
          s[sp] = SMALL[pc + 1 < len ? code[pc + 1]! : 0]!
          f.sp = sp + 1
          f.pc = pc + 2
        } else if (op < 0x80) {
          s[sp] = f.pushes[pc + 1]!
          f.sp = sp + 1
          f.pc = pc + op - 0x5e
        } else if (op < 0x90) {
          s[sp] = s[sp - (op - 0x7f)]!
          f.sp = sp + 1
          f.pc = pc + 1
        } else {
          const j = sp - 2 - (op - 0x90)
          const t = s[sp - 1]!
          s[sp - 1] = s[j]!
          s[j] = t
          f.pc = pc + 1
        }
        continue
      }
    } else {
      switch (op) {
        case 0x01: {
          const r = s[sp - 1]! + s[sp - 2]!
          s[sp - 2] = r > WORD_MAX ? r - WORD : r
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        }
        case 0x03: {
          const r = s[sp - 1]! - s[sp - 2]!
          s[sp - 2] = r < 0n ? r + WORD : r
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        }
        case 0x10:
          s[sp - 2] = s[sp - 1]! < s[sp - 2]! ? 1n : 0n
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        case 0x11:
          s[sp - 2] = s[sp - 1]! > s[sp - 2]! ? 1n : 0n
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        case 0x14:
          s[sp - 2] = s[sp - 1]! === s[sp - 2]! ? 1n : 0n
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        case 0x15:
          s[sp - 1] = s[sp - 1]! === 0n ? 1n : 0n
          f.pc = pc + 1
          continue
        case 0x16:
          s[sp - 2] = s[sp - 1]! & s[sp - 2]!
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        case 0x50:
          f.sp = sp - 1
          f.pc = pc + 1
          continue
        case 0x5b:
          f.pc = pc + 1
          continue
        case 0x56:
        case 0x57: {
          let nsp = sp - 1
          if (op === 0x57) {
            nsp = sp - 2
            if (s[nsp] === 0n) {
              f.sp = nsp
              f.pc = pc + 1
              continue
            }
          }
          f.sp = nsp
          const dest = s[sp - 1]!
          const d = dest < MAX_DEST ? Number(dest) : -1
          if (f.jumpdests[d] !== 1) {
            f.status = S.InvalidJump
            return
          }
          f.pc = d
          continue
        }
      }
    }
    f.pc = pc + 1
    handlers[op]!(f)
  }
}

function interpretTraced(f: Frame, tracer: Tracer): void {
  const { handlers, staticGas, stackMin, stackMax } = f.ctx.fork
  const code = f.code
  const len = code.length
  const onStep = tracer.onStep!.bind(tracer)
  while (f.status === S.Running) {
    const pc = f.pc
    const op = pc < len ? code[pc]! : 0
    const sp = f.sp
    // wide gas (see frame.ts) is reported rounded; the cost stays exact
    const wide = f.reserve !== 0n
    const totalBefore = wide ? totalGas(f) : 0n
    const gasBefore = wide ? Number(totalBefore) : f.gas
    const stack = f.stack.slice(0, sp)
    const memory = f.mem.slice(0, f.memSize)
    const g = staticGas[op]!
    let cost = g
    if (sp < stackMin[op]!) f.status = S.StackUnderflow
    else if (sp > stackMax[op]!) f.status = S.StackOverflow
    else if (f.gas < g && !refill(f, g)) f.status = S.OutOfGas
    else {
      f.gas -= g
      f.pc = pc + 1
      handlers[op]!(f)
      // a halt inside the handler leaves the gas as it was when it stopped
      cost = wide ? Number(totalBefore - totalGas(f)) : gasBefore - f.gas
    }
    onStep(pc, op, gasBefore, cost, stack, memory, f.depth)
  }
}
