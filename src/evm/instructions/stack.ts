/** 0x50 POP, 0x5f PUSH0 (EIP-3855), 0x60–0x7f PUSH1–32, 0x80–0x8f DUP, 0x90–0x9f SWAP. */
import type { Frame } from '../frame.ts'

/** BigInts 0..255, so PUSH1 allocates nothing. */
export const SMALL: bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i))

export function pop(f: Frame): void {
  f.sp--
}

export function push0(f: Frame): void {
  f.stack[f.sp++] = 0n
}

export function push1(f: Frame): void {
  const pc = f.pc
  f.stack[f.sp++] = SMALL[f.code[pc] ?? 0]!
  f.pc = pc + 1
}

/** PUSH2–PUSH32: the immediate was decoded by code analysis (zero-padded past the code's end). */
export function makePush(n: number): (f: Frame) => void {
  return (f) => {
    const pc = f.pc
    f.stack[f.sp++] = f.pushes[pc]!
    f.pc = pc + n
  }
}

export function makeDup(n: number): (f: Frame) => void {
  return (f) => {
    const s = f.stack
    s[f.sp] = s[f.sp - n]!
    f.sp++
  }
}

export function makeSwap(n: number): (f: Frame) => void {
  return (f) => {
    const s = f.stack, top = f.sp - 1
    const t = s[top]!
    s[top] = s[top - n]!
    s[top - n] = t
  }
}
