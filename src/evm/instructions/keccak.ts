/** 0x20 KECCAK256: 30 + 6 per word, plus memory. */
import { keccak256At } from '../../crypto/index.ts'
import type { Frame } from '../frame.ts'
import { useMemory, words } from '../frame-memory.ts'
import { charge } from '../gas-meter.ts'
import { readWord } from '../words.ts'
import { G_KECCAK_WORD } from '../gas.ts'

export function keccak(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const off = s[sp], size = s[sp - 1]
  if (!useMemory(f, off, size)) return
  const n = Number(size)
  if (!charge(f, G_KECCAK_WORD * words(n))) return
  // hashed straight out of memory into a scratch word (no view object per call)
  keccak256At(f.mem, n === 0 ? 0 : Number(off), n, out, 0)
  s[sp - 1] = readWord(outView, 0)
}

const out = new Uint8Array(32)
const outView = new DataView(out.buffer)
