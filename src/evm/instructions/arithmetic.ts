/** 0x01–0x0b: ADD … SIGNEXTEND. Stack top is `s[sp]` after the pop. */
import type { Frame } from '../frame.ts'
import { charge } from '../gas-meter.ts'
import { G_EXP_BYTE } from '../gas.ts'

const M = (1n << 256n) - 1n
const W = 1n << 256n
const SIGN = 1n << 255n
const signed = (x: bigint): bigint => (x >= SIGN ? x - (1n << 256n) : x)

export function add(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const r = s[sp] + s[sp - 1]
  s[sp - 1] = r > M ? r - W : r
}

export function mul(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const r = s[sp] * s[sp - 1]
  s[sp - 1] = r > M ? r & M : r
}

export function sub(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const r = s[sp] - s[sp - 1]
  s[sp - 1] = r < 0n ? r + W : r
}

export function div(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const b = s[sp - 1]
  s[sp - 1] = b === 0n ? 0n : s[sp] / b
}

/** Truncating signed division; -2^255 / -1 wraps to -2^255. */
export function sdiv(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const b = s[sp - 1]
  s[sp - 1] = b === 0n ? 0n : (signed(s[sp]) / signed(b)) & M
}

export function mod(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const b = s[sp - 1]
  s[sp - 1] = b === 0n ? 0n : s[sp] % b
}

/** The result takes the dividend's sign (as BigInt % does). */
export function smod(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const b = s[sp - 1]
  s[sp - 1] = b === 0n ? 0n : (signed(s[sp]) % signed(b)) & M
}

export function addmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  const n = s[sp - 1]
  s[sp - 1] = n === 0n ? 0n : (s[sp + 1] + s[sp]) % n
}

export function mulmod(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  const n = s[sp - 1]
  s[sp - 1] = n === 0n ? 0n : (s[sp + 1] * s[sp]) % n
}

/** Dynamic gas: 50 per byte of the exponent (EIP-160). */
export function exp(f: Frame): void {
  const s = f.stack, sp = --f.sp
  let base = s[sp]
  let e = s[sp - 1]
  if (e !== 0n && !charge(f, G_EXP_BYTE * byteLength(e))) return
  s[sp - 1] = powMod256(base, e)
}

export function powMod256(base: bigint, e: bigint): bigint {
  if (e === 0n) return 1n
  if (base === 2n) return e < 256n ? 1n << e : 0n
  let r = 1n
  while (e > 0n) {
    if (e & 1n) r = (r * base) & M
    e >>= 1n
    if (e > 0n) base = (base * base) & M
  }
  return r
}

export function byteLength(x: bigint): number {
  let n = 0
  while (x > 0n) {
    x >>= 8n
    n++
  }
  return n
}

/** SIGNEXTEND(b, x): extends the sign bit of byte b (counting from the right). */
export function signextend(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const b = s[sp]
  if (b >= 31n) return
  const x = s[sp - 1]
  const bit = b * 8n + 7n
  const lowMask = (1n << (bit + 1n)) - 1n
  s[sp - 1] = (x >> bit) & 1n ? (x | (M ^ lowMask)) : x & lowMask
}
