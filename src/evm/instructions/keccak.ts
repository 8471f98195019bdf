/** 0x20 KECCAK256: 30 + 6 per word, plus memory. */
import { keccak256Into } from '../../crypto/index.ts'
import type { Frame } from '../frame.ts'
import { charge, readWord, useMemory, words } from '../frame.ts'
import { G_KECCAK_WORD } from '../gas.ts'

export function keccak(f: Frame): void {
  const s = f.stack, sp = --f.sp
  const off = s[sp], size = s[sp - 1]
  if (!useMemory(f, off, size)) return
  const n = Number(size)
  if (!charge(f, G_KECCAK_WORD * words(n))) return
  const mem = f.mem
  // a view over memory (cheaper than subarray), hashed into a scratch word
  keccak256Into(n === 0 ? EMPTY : new Uint8Array(mem.buffer, mem.byteOffset + Number(off), n), out, 0)
  s[sp - 1] = readWord(outView, 0)
}

const EMPTY = new Uint8Array(0)
const out = new Uint8Array(32)
const outView = new DataView(out.buffer)
