/** 0x16–0x1e: AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR (EIP-145), CLZ (EIP-7939). */
import type { Frame } from '../frame.ts'

const M = (1n << 256n) - 1n
const SIGN = 1n << 255n

export function and(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] & s[sp - 1]
}

export function or(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] | s[sp - 1]
}

export function xor(f: Frame): void {
  const s = f.stack, sp = --f.sp
  s[sp - 1] = s[sp] ^ s[sp - 1]
}

export function not(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  s[i] = M ^ s[i]
}

/** BYTE(i, x): the i-th byte of x, counting from the most significant. */
export function byte(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const i = s[sp]
  s[sp - 1] = i < 32n ? (s[sp - 1] >> (248n - i * 8n)) & 0xffn : 0n
}

export function shl(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const shift = s[sp]
  s[sp - 1] = shift < 256n ? (s[sp - 1] << shift) & M : 0n
}

export function shr(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const shift = s[sp]
  s[sp - 1] = shift < 256n ? s[sp - 1] >> shift : 0n
}

export function sar(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const shift = s[sp]
  const v = s[sp - 1]
  const neg = v >= SIGN
  if (shift >= 256n) s[sp - 1] = neg ? M : 0n
  else s[sp - 1] = neg ? ((v - (1n << 256n)) >> shift) & M : v >> shift
}

/** EIP-7939: number of leading zero bits; 256 for zero. */
export function clz(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const x = s[i]
  s[i] = x === 0n ? 256n : BigInt(256 - bitLength(x))
}

export function bitLength(x: bigint): number {
  let n = 0
  while (x >= 0x100000000n) {
    x >>= 32n
    n += 32
  }
  return n + (32 - Math.clz32(Number(x)))
}
