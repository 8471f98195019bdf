/** 0x10–0x15: LT, GT, SLT, SGT, EQ, ISZERO. */
import type { Frame } from '../frame.ts'

const SIGN = 1n << 255n

export function lt(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] < s[sp - 1] ? 1n : 0n
}

export function gt(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] > s[sp - 1] ? 1n : 0n
}

/** Signed compare: flipping the sign bit maps two's complement order onto unsigned order. */
export function slt(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = (s[sp] ^ SIGN) < (s[sp - 1] ^ SIGN) ? 1n : 0n
}

export function sgt(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = (s[sp] ^ SIGN) > (s[sp - 1] ^ SIGN) ? 1n : 0n
}

export function eq(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] === s[sp - 1] ? 1n : 0n
}

export function iszero(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  s[i] = s[i] === 0n ? 1n : 0n
}
