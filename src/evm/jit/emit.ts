/**
 * JavaScript source for one block's body. Its exits are placeholders that compile.ts fills in
 * for the program's shape: @GO(n) continues at block n, @DONE ends the run (the frame stopped,
 * halted or suspended), @BACK hands the frame to the interpreter at `f.pc` (at the block's
 * entry when its stack bounds or static gas do not fit, or after a handler that left less gas
 * than the rest of the block costs: the interpreter then runs out of gas at the exact op), @SYNC
 * stores the stack height where the shape needs it. Static gas is charged once at entry; around
 * each handler that may read or charge gas the part not yet spent is given back, so the
 * handler sees exactly the interpreter's gas.
 */
import type { Fork } from '../frame.ts'
import { type Block, haltsAt } from './blocks.ts'
import { foldable, foldOp } from './runtime.ts'
import { StackModel, type Val } from './stack-model.ts'
import { S } from '../status.ts'
import { G_EXP_BYTE } from '../gas.ts'

export interface EmitContext {
  fork: Fork
  code: Uint8Array
  pushes: bigint[]
  jumpdests: Uint8Array
  /** Block index by start pc (-3 elsewhere). */
  blockAt: Int32Array
}

const MAX_DEST = 0x1000000n
const MEM_LIMIT = '0x100000000n'
/** Inline binary ops (a is the top): the result's initial value, then statements fixing it up ($ = the result). */
const INLINE_BIN: Record<number, (a: string, b: string) => [string, string?]> = {
  0x01: (a, b) => [`${a} + ${b}`, '; if ($ > M) $ -= W'],
  0x02: (a, b) => [`${a} * ${b}`, '; if ($ > M) $ &= M'],
  0x03: (a, b) => [`${a} - ${b}`, '; if ($ < 0n) $ += W'],
  0x04: (a, b) => [`${b} === 0n ? 0n : ${a} / ${b}`],
  0x06: (a, b) => [`${b} === 0n ? 0n : ${a} % ${b}`],
  0x16: (a, b) => [`${a} & ${b}`],
  0x17: (a, b) => [`${a} | ${b}`],
  0x18: (a, b) => [`${a} ^ ${b}`],
  0x1a: (a, b) => [`${a} < 32n ? (${b} >> (248n - ${a} * 8n)) & 0xffn : 0n`],
  0x1b: (a, b) => [`${a} < 256n ? (${b} << ${a}) & M : 0n`],
  0x1c: (a, b) => [`${a} < 256n ? ${b} >> ${a} : 0n`],
}
const INLINE_CMP: Record<number, (a: string, b: string) => string> = {
  0x10: (a, b) => `${a} < ${b}`,
  0x11: (a, b) => `${a} > ${b}`,
  0x12: (a, b) => `(${a} ^ SIGN) < (${b} ^ SIGN)`,
  0x13: (a, b) => `(${a} ^ SIGN) > (${b} ^ SIGN)`,
  0x14: (a, b) => `${a} === ${b}`,
}
/** Pure ops computed by their handler on a scratch stack (no hand-over of the frame's stack). */
const SCRATCH = new Set([0x05, 0x07, 0x08, 0x09, 0x0b, 0x1d, 0x1e])

export function emitBlock(ctx: EmitContext, b: Block): { body: string; loops: boolean } {
  const { fork, code } = ctx
  const m = new StackModel()
  const pcs = b.pcs
  const lastOp = code[pcs[pcs.length - 1]!]!
  const loops = (lastOp === 0x56 || lastOp === 0x57) && staticTarget(ctx, b) === b.start
  // gas still to be spent after each op (given back around handlers)
  const rest: number[] = new Array(pcs.length)
  for (let k = pcs.length - 1, r = 0; k >= 0; k--) {
    rest[k] = r
    r += fork.staticGas[code[pcs[k]!]!]!
  }
  const checks: string[] = []
  if (b.minSp > 0) checks.push(`sp < ${b.minSp}`)
  if (b.maxSp < 1024) checks.push(`sp > ${b.maxSp}`)
  if (b.gas > 0) checks.push(`f.gas < ${b.gas}`)
  if (checks.length > 0) m.emit(`if (${checks.join(' || ')}) { f.pc = ${b.start}; f.sp = sp; @BACK }`)
  if (b.gas > 0) m.emit(`f.gas -= ${b.gas}`)

  /** Hands the stack to the op's handler; the model then holds its results in the array. */
  const handler = (op: number, pc: number, r: number): void => {
    m.prepare()
    m.emit(m.flush(true))
    m.emit(callHandler(op, pc, r, m.h))
    m.handed(fork.stackMin[op]!, fork.stackPushes[op]!)
  }
  const jumpTo = (dest: Val): string => {
    if (dest.k === 'c') {
      const d = dest.v < MAX_DEST ? Number(dest.v) : -1
      if (d < 0 || ctx.jumpdests[d] !== 1) return `{ f.status = ${S.InvalidJump}; @DONE }`
      return d === b.start && loops ? 'continue' : `@GO(${ctx.blockAt[d]})`
    }
    const e = m.expr(dest)
    return `{ const d = ${e} < ${MAX_DEST}n ? Number(${e}) : -1; if (JD[d] !== 1) { f.status = ${S.InvalidJump}; @DONE } @GO(AT[d]) }`
  }
  let ended = false
  for (let k = 0; k < pcs.length; k++) {
    const pc = pcs[k]!, op = code[pc]!, r = rest[k]!
    if (haltsAt(fork, op) && op !== 0x00 && op !== 0x56) {
      // RETURN, REVERT, INVALID, SELFDESTRUCT and undefined opcodes set the status themselves
      handler(op, pc, r)
      m.emit('@DONE')
      ended = true
    } else if (op >= 0x5f && op <= 0x7f) {
      m.push({ k: 'c', v: op === 0x5f ? 0n : op === 0x60 ? BigInt(code[pc + 1] ?? 0) : ctx.pushes[pc + 1]! })
    } else if (op >= 0x80 && op <= 0x8f) m.push(m.peek(op - 0x7f))
    else if (op >= 0x90 && op <= 0x9f) m.swap(op - 0x8f)
    else if (op === 0x50) m.pop()
    else if (op === 0x5b) {
      // JUMPDEST: its gas is in the block's
    } else if (op === 0x58) m.push({ k: 'c', v: BigInt(pc) })
    else if (op === 0x38) m.push({ k: 'c', v: BigInt(code.length) })
    else if (op === 0x34) m.push(m.temp('f.value'))
    else if (op === 0x36) m.push(m.temp('BigInt(f.input.length)'))
    else if (op === 0x59) m.push(m.temp('BigInt(f.memSize)'))
    else if (op === 0x35) m.push(m.temp(`CD(f.input, ${m.expr(m.pop())})`))
    else if (op === 0x3d) m.push(m.temp('BigInt(f.returnData.length)'))
    else if (foldable(fork, op) && allConst(m, fork.stackMin[op]!)) {
      const args: bigint[] = []
      for (let i = 0; i < fork.stackMin[op]!; i++) args.push((m.pop() as { v: bigint }).v)
      m.push({ k: 'c', v: foldOp(fork, op, args) })
    } else if ((op === 0x1b || op === 0x1c) && m.peek(1).k === 'c' && (m.peek(1) as { v: bigint }).v < 256n) {
      // a constant shift (solc's selector and packing code)
      const n = `${(m.pop() as { v: bigint }).v}n`, x = m.expr(m.pop())
      m.push(op === 0x1b ? m.temp(`(${x} << ${n}) & M`) : m.temp(`${x} >> ${n}`))
    } else if (INLINE_BIN[op]) {
      const a = m.expr(m.pop()), c = m.expr(m.pop())
      const [init, fix] = INLINE_BIN[op](a, c)
      m.push(m.temp(init, fix))
    } else if (INLINE_CMP[op]) {
      const a = m.expr(m.stable(m.pop())), c = m.expr(m.stable(m.pop()))
      m.push({ k: 'b', code: INLINE_CMP[op](a, c) })
    } else if (op === 0x15) {
      const a = m.pop()
      m.push({ k: 'b', code: a.k === 'b' ? `!(${a.code})` : `${m.expr(m.stable(a))} === 0n` })
    } else if (op === 0x19) m.push(m.temp(`M ^ ${m.expr(m.pop())}`))
    else if (op === 0x30) m.push(m.temp('AW(f.address)'))
    else if (op === 0x33) m.push(m.temp('AW(f.caller)'))
    else if (op === 0x0a) {
      // EXP: its exponent's bytes are paid inline when the gas is there without the rest of
      // the block's; otherwise the handler runs, with that rest given back
      m.prepare()
      const slow = `${m.flush(false)}${callHandler(op, pc, r, m.h)}`
      const base = m.expr(m.pop()), e = m.expr(m.stable(m.pop()))
      const cost = m.local(`${e} === 0n ? 0 : ${G_EXP_BYTE} * BL(${e})`)
      const t = m.local('0n')
      m.emit(`if (f.gas >= ${cost}) { f.gas -= ${cost}; ${t} = PW(${base}, ${e}) } else { ${slow}; ${t} = s[sp + ${m.h}] }`)
      m.push({ k: 't', n: t })
    }
    else if (SCRATCH.has(op) && fork.stackMin[op]! > 0) {
      const args: string[] = []
      for (let i = 0; i < fork.stackMin[op]!; i++) args.push(m.expr(m.pop()))
      m.push(m.temp(`P(H[${op}], ${args.join(', ')})`))
    } else if (op === 0x51 || op === 0x52 || op === 0x53) {
      memoryOp(m, op, pc, r)
    } else if (op === 0x56 || op === 0x57) {
      const dest = m.stable(m.pop())
      const cond = op === 0x57 ? m.stable(m.pop()) : undefined
      m.prepare()
      m.emit(m.flush(true))
      if (m.h !== 0) m.emit(`sp += ${m.h}`)
      m.emit('@SYNC')
      if (cond === undefined) m.emit(jumpTo(dest))
      else {
        const c = m.cond(cond)
        if (c !== 'false') m.emit(`if (${c}) ${jumpTo(dest)}`)
        if (c !== 'true') m.emit(fallThrough(ctx, b))
      }
      ended = true
    } else if (op === 0x00) {
      m.emit(`f.status = ${S.Stop}; @DONE`)
      ended = true
    } else {
      handler(op, pc, r)
    }
  }
  if (!ended) {
    m.prepare()
    m.emit(m.flush(true))
    if (m.h !== 0) m.emit(`sp += ${m.h}`)
    m.emit('@SYNC')
    m.emit(fallThrough(ctx, b))
  }
  const body = m.lines.filter((l) => l !== '').join('\n')
  return { body: loops ? `for (;;) {\n${body}\n}` : body, loops }

  function memoryOp(m: StackModel, op: number, pc: number, r: number): void {
    m.prepare()
    const slow = `${m.flush(false)}${callHandler(op, pc, r, m.h)}`
    const off = m.pop()
    const size = op === 0x53 ? 1 : 32
    const on = off.k === 'c' ? (off.v < 0x100000000n ? String(off.v) : '-1') : m.local(`${m.expr(off)} < ${MEM_LIMIT} ? Number(${m.expr(off)}) : -1`)
    const fast = `${on} >= 0 && ${on} + ${size} <= f.memSize`
    if (op === 0x51) {
      const t = m.local('0n')
      m.emit(`if (${fast}) ${t} = readWord(f.memView, ${on}); else { ${slow}; ${t} = s[sp + ${m.h}] }`)
      m.push({ k: 't', n: t })
    } else {
      const v = m.expr(m.pop())
      const write = op === 0x52 ? `writeWord(f.memView, ${on}, ${v})` : `f.mem[${on}] = Number(${v} & 0xffn)`
      m.emit(`if (${fast}) ${write}; else { ${slow} }`)
    }
  }
}

function allConst(m: StackModel, n: number): boolean {
  for (let i = 1; i <= n; i++) if (m.peek(i).k !== 'c') return false
  return true
}

/** The handler call at `pc` with the stack handed over at relative height `h`. */
function callHandler(op: number, pc: number, r: number, h: number): string {
  const give = r > 0 ? `f.gas += ${r}; ` : ''
  const take = r > 0 ? `; if (f.gas < ${r}) @BACK; f.gas -= ${r}` : ''
  return `f.sp = sp + ${h}; f.pc = ${pc + 1}; ${give}H[${op}](f); if (f.status !== 0) @DONE${take}`
}

function fallThrough(ctx: EmitContext, b: Block): string {
  return b.end < ctx.code.length ? `@GO(${ctx.blockAt[b.end]})` : `f.status = ${S.Stop}; @DONE`
}

/** A JUMP/JUMPI's destination when a PUSH right before it gives it. */
function staticTarget(ctx: EmitContext, b: Block): number {
  const n = b.pcs.length
  if (n < 2) return -1
  const p = b.pcs[n - 2]!, op = ctx.code[p]!
  if (op < 0x60 || op > 0x7f) return -1
  const v = op === 0x60 ? BigInt(ctx.code[p + 1] ?? 0) : ctx.pushes[p + 1]!
  return v < MAX_DEST ? Number(v) : -1
}
