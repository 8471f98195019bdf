/**
 * The instruction loop of one frame. It runs until the frame stops, halts or suspends on a
 * CALL/CREATE (the driver in execute.ts then runs the child and calls us again). Stack bounds
 * and static gas come from the fork's tables; handlers charge dynamic gas themselves. The traced
 * loop is chosen once per frame, so an untraced run pays nothing for tracing.
 */
import type { Frame } from './frame.ts'
import { refill, S, totalGas } from './frame.ts'
import type { Tracer } from './types.ts'

const RUNNING = S.Running

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
