/** 0x20 KECCAK256: 30 + 6 per word, plus memory. */
import { keccak256 } from '../../crypto/index.ts'
import type { Frame } from '../frame.ts'
import { bytesToWord, charge, useMemory, words } from '../frame.ts'
import { G_KECCAK_WORD } from '../gas.ts'

export function keccak(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const off = s[sp], size = s[sp - 1]
  if (!useMemory(f, off, size)) return
  const n = Number(size)
  if (!charge(f, G_KECCAK_WORD * words(n))) return
  const start = n === 0 ? 0 : Number(off)
  s[sp - 1] = bytesToWord(keccak256(f.mem.subarray(start, start + n)))
}
