/** 0x51 MLOAD, 0x52 MSTORE, 0x53 MSTORE8, 0x59 MSIZE, 0x5e MCOPY (EIP-5656). */
import type { Frame } from '../frame.ts'
import { useBytes, useMemory, words } from '../frame-memory.ts'
import { charge } from '../gas-meter.ts'
import { readWord, writeWord } from '../words.ts'
import { G_COPY_WORD } from '../gas.ts'

export function mload(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const o = useBytes(f, s[i], 32)
  if (o < 0) return
  s[i] = readWord(f.memView, o)
}

export function mstore(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  const o = useBytes(f, s[sp + 1], 32)
  if (o < 0) return
  writeWord(f.memView, o, s[sp])
}

export function mstore8(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  const o = useBytes(f, s[sp + 1], 1)
  if (o < 0) return
  f.mem[o] = Number(s[sp] & 0xffn)
}

export function msize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.memSize)
}

/** MCOPY(dst, src, size): 3 gas per word plus expansion over both ranges. */
export function mcopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3)
  const dst = s[sp + 2], src = s[sp + 1], size = s[sp]
  if (size === 0n) return
  if (!useMemory(f, src, size) || !useMemory(f, dst, size)) return
  const n = Number(size)
  if (!charge(f, G_COPY_WORD * words(n))) return
  f.mem.copyWithin(Number(dst), Number(src), Number(src) + n)
}
