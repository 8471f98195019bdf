/**
 * The compile-time stack of one block: which value each stack position holds, so that PUSH,
 * DUP, SWAP and POP emit no code and results live in locals. Positions are relative to the
 * block's entry height `sp` (position -1 is the entry top). The frame's stack array is written
 * only where the generated code must hand it over (a handler call, a block's end); a value is
 * either a constant, a local, a boolean expression over locals (a comparison whose 0n/1n is
 * only made when needed), or "what array slot i held at entry or at the last hand-over".
 */

export type Val =
  | { k: 'c'; v: bigint }
  | { k: 's'; i: number }
  | { k: 't'; n: string }
  | { k: 'b'; code: string }

interface Pos {
  v: Val
  /** The array slot of this position already holds `v`. */
  synced: boolean
}

const slotExpr = (i: number): string => (i === 0 ? 's[sp]' : i > 0 ? `s[sp + ${i}]` : `s[sp - ${-i}]`)
export const lit = (v: bigint): string => (v < 0x10000n ? `${v}n` : `0x${v.toString(16)}n`)

export class StackModel {
  /** Height relative to the entry; `vs` holds positions low..h-1, positions below `low` are untouched slots. */
  h = 0
  low = 0
  vs: Pos[] = []
  lines: string[] = []
  private temps = 0

  emit(line: string): void {
    this.lines.push(line)
  }

  expr(v: Val): string {
    switch (v.k) {
      case 'c':
        return lit(v.v)
      case 's':
        return slotExpr(v.i)
      case 't':
        return v.n
      case 'b':
        return `(${v.code} ? 1n : 0n)`
    }
  }

  /** A JS boolean: the value is not zero. */
  cond(v: Val): string {
    if (v.k === 'b') return v.code
    if (v.k === 'c') return v.v !== 0n ? 'true' : 'false'
    return `${this.expr(v)} !== 0n`
  }

  /** A new local initialised with `code`, then `fix` statements ($ names the local); its name. */
  local(code: string, fix = ''): string {
    const n = `t${this.temps++}`
    this.emit(`let ${n} = ${code}${fix.replaceAll('$', n)}`)
    return n
  }

  temp(code: string, fix = ''): Val {
    return { k: 't', n: this.local(code, fix) }
  }

  /** A value that stays valid across array writes: a slot's goes to a local (a boolean
   *  expression is over locals and constants only). */
  stable(v: Val): Val {
    return v.k === 's' ? this.temp(this.expr(v)) : v
  }

  push(v: Val): void {
    this.vs.push({ v, synced: false })
    this.h++
  }

  pop(): Val {
    this.h--
    if (this.h >= this.low) return this.vs.pop()!.v
    this.low = this.h
    return { k: 's', i: this.h }
  }

  /** The n-th value from the top (1 = top). */
  peek(n: number): Val {
    const p = this.h - n
    return p >= this.low ? this.vs[p - this.low]!.v : { k: 's', i: p }
  }

  swap(n: number): void {
    const a = this.h - 1, b = this.h - 1 - n
    while (this.low > b) {
      this.low--
      this.vs.unshift({ v: { k: 's', i: this.low }, synced: true })
    }
    const pa = this.vs[a - this.low]!, pb = this.vs[b - this.low]!
    this.vs[a - this.low] = { v: pb.v, synced: false }
    this.vs[b - this.low] = { v: pa.v, synced: false }
  }

  private inPlace(p: Pos, at: number): boolean {
    return p.synced || (p.v.k === 's' && p.v.i === at)
  }

  /** Moves every slot value not at its own position into a local, so that array writes
   *  (a hand-over, possibly on one branch only) cannot clobber a value still needed. */
  prepare(): void {
    for (let j = 0; j < this.vs.length; j++) {
      const p = this.vs[j]!
      if (p.v.k === 's' && p.v.i !== this.low + j) this.vs[j] = { v: this.temp(this.expr(p.v)), synced: p.synced }
    }
  }

  /** Writes the positions whose slot does not hold their value (after `prepare`); `mark`
   *  records them as written (not when the writes happen on one branch only). */
  flush(mark: boolean): string {
    let out = ''
    for (let j = 0; j < this.vs.length; j++) {
      const p = this.vs[j]!
      if (this.inPlace(p, this.low + j)) continue
      out += `${slotExpr(this.low + j)} = ${this.expr(p.v)}; `
      if (mark) p.synced = true
    }
    return out
  }

  /** The stack after a handler wrote `pushes` results at the top of the array. */
  handed(pops: number, pushes: number): void {
    for (let i = 0; i < pops; i++) this.pop()
    for (let i = 0; i < pushes; i++) {
      this.vs.push({ v: { k: 's', i: this.h }, synced: true })
      this.h++
    }
  }
}
