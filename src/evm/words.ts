/** 256-bit words ↔ memory, bytes and addresses, with fast paths for words within ±2^53. */
import type { Address } from '../primitives/index.ts'

const SAFE = 0x1fffffffffffffn
const WORD_MAX = (1n << 256n) - 1n
/** Words from here up are -2^53..-1 in two's complement. */
const NEG_SMALL = WORD_MAX - SAFE
const TWO32 = 0x100000000

/** Reads a 32-byte big-endian word at a (validated) memory offset. Words below 2^53 (the
 *  usual pointers, lengths and counters) take a fast path without 256-bit arithmetic. */
export function readWord(view: DataView, offset: number): bigint {
  const a = view.getUint32(offset + 24)
  if (
    a < 0x200000 &&
    (view.getUint32(offset) | view.getUint32(offset + 4) | view.getUint32(offset + 8) | view.getUint32(offset + 12) | view.getUint32(offset + 16) | view.getUint32(offset + 20)) === 0
  ) {
    return BigInt(a * TWO32 + view.getUint32(offset + 28))
  }
  if (
    a >= 0xffe00000 &&
    (view.getUint32(offset) & view.getUint32(offset + 4) & view.getUint32(offset + 8) & view.getUint32(offset + 12) & view.getUint32(offset + 16) & view.getUint32(offset + 20)) === -1
  ) {
    // a small negative number: 2^256-1 minus the complement of the low 53 bits
    return WORD_MAX - BigInt((~a >>> 0) * TWO32 + (~view.getUint32(offset + 28) >>> 0))
  }
  // addresses and other words with zero high bytes: fewer 64-bit parts, each a BigInt to combine
  if ((view.getUint32(offset) | view.getUint32(offset + 4)) === 0) {
    if ((view.getUint32(offset + 8) | view.getUint32(offset + 12)) === 0) return (view.getBigUint64(offset + 16) << 64n) | view.getBigUint64(offset + 24)
    return (view.getBigUint64(offset + 8) << 128n) | (view.getBigUint64(offset + 16) << 64n) | view.getBigUint64(offset + 24)
  }
  return (
    (view.getBigUint64(offset) << 192n) |
    (view.getBigUint64(offset + 8) << 128n) |
    (view.getBigUint64(offset + 16) << 64n) |
    view.getBigUint64(offset + 24)
  )
}

/** Six 32-bit `fill` words, then `hi` and `lo`: a word whose top 24 bytes are all 0x00 or all 0xff. */
function writeSmallWord(view: DataView, offset: number, fill: number, hi: number, lo: number): void {
  view.setUint32(offset, fill)
  view.setUint32(offset + 4, fill)
  view.setUint32(offset + 8, fill)
  view.setUint32(offset + 12, fill)
  view.setUint32(offset + 16, fill)
  view.setUint32(offset + 20, fill)
  view.setUint32(offset + 24, hi)
  view.setUint32(offset + 28, lo)
}

/** Writes `v` as a 32-byte big-endian word at a (validated) memory offset; words below 2^53
 *  are written as two 32-bit halves after 24 zero bytes. */
export function writeWord(view: DataView, offset: number, v: bigint): void {
  if (v <= SAFE) {
    const n = Number(v)
    return writeSmallWord(view, offset, 0, Math.floor(n / TWO32), n >>> 0)
  }
  if (v >= NEG_SMALL) {
    // two's complement of a small negative number: 24 bytes of 0xff, then ~(2^256-1 - v)
    const j = Number(WORD_MAX - v)
    return writeSmallWord(view, offset, 0xffffffff, ~Math.floor(j / TWO32) >>> 0, ~j >>> 0)
  }
  // setBigUint64 stores its argument modulo 2^64 (ToBigUint64), so no masking is needed
  view.setBigUint64(offset + 24, v)
  view.setBigUint64(offset + 16, v >> 64n)
  view.setBigUint64(offset + 8, v >> 128n)
  view.setBigUint64(offset, v >> 192n)
}

export const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Big-endian bytes → bigint (fast path for addresses and words). */
export function bytesToWord(b: Uint8Array, start = 0, end = b.length): bigint {
  if (end - start === 32) return readWord(new DataView(b.buffer, b.byteOffset, b.byteLength), start)
  if (end <= start) return 0n
  let hex = '0x'
  for (let i = start; i < end; i++) hex += HEX[b[i]!]
  return BigInt(hex)
}

// Scratch for word → address: a fresh small Uint8Array has no ArrayBuffer until `.buffer` is
// read, and creating one (or a subarray) costs more than the conversion itself.
const scratch = new DataView(new ArrayBuffer(24))
const scratchBytes = new Uint8Array(scratch.buffer)

/** The low 20 bytes of a word as an address (setBigUint64 keeps the low 64 bits of each part). */
export function wordToAddress(v: bigint): Address {
  scratch.setBigUint64(0, v >> 128n)
  scratch.setBigUint64(8, v >> 64n)
  scratch.setBigUint64(16, v)
  const out = new Uint8Array(20)
  for (let i = 0; i < 20; i++) out[i] = scratchBytes[i + 4]!
  return out
}

export function addressToWord(a: Address): bigint {
  const dv = new DataView(a.buffer, a.byteOffset, 20)
  return (BigInt(dv.getUint32(0)) << 128n) | (dv.getBigUint64(4) << 64n) | dv.getBigUint64(12)
}
