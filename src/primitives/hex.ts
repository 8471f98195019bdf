/** Hex encoding. Mosaic's hex strings are `0x`-prefixed, lowercase on output, either case on input. */
import { HexError } from './errors.ts'

export type Hex = `0x${string}`

const HEX_CHARS = '0123456789abcdef'
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!)

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48 // 0-9
  if (c >= 97 && c <= 102) return c - 87 // a-f
  if (c >= 65 && c <= 70) return c - 55 // A-F
  return -1
}

export function bytesToHex(b: Uint8Array): Hex {
  let s = '0x'
  for (let i = 0; i < b.length; i++) s += BYTE_TO_HEX[b[i]!]
  return s as Hex
}

/**
 * Parses hex with or without `0x`. Odd length or a non-hex character throws `HexError`.
 * `ownBuffer`: on an ArrayBuffer of its own, for bytes that will be read through a DataView
 * (asking a small typed array for its `.buffer` makes JavaScriptCore move it out of the heap).
 */
export function hexToBytes(hex: string, ownBuffer = false): Uint8Array {
  const start = hex.startsWith('0x') || hex.startsWith('0X') ? 2 : 0
  const len = hex.length - start
  if (len % 2 !== 0) throw new HexError(`odd number of digits in ${preview(hex)}`)
  const out = ownBuffer ? new Uint8Array(new ArrayBuffer(len / 2)) : new Uint8Array(len / 2)
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(start + 2 * i))
    const lo = nibble(hex.charCodeAt(start + 2 * i + 1))
    if (hi < 0 || lo < 0) throw new HexError(`non-hex character in ${preview(hex)}`)
    out[i] = (hi << 4) | lo
  }
  return out
}

export function isHex(s: unknown, opts: { strict?: boolean } = {}): s is Hex {
  if (typeof s !== 'string' || !s.startsWith('0x')) return false
  if (opts.strict && s.length % 2 !== 0) return false
  for (let i = 2; i < s.length; i++) if (nibble(s.charCodeAt(i)) < 0) return false
  return true
}

/** A quantity as JSON-RPC writes it: `0x0`, `0x1f`, no leading zeros. */
export function bigintToHex(n: bigint | number): Hex {
  if (n < 0) throw new RangeError(`negative quantity ${n}`)
  return `0x${n.toString(16)}` as Hex
}

/** Parses a `0x` quantity (any number of digits; `0x` alone is zero). */
export function hexToBigint(hex: string): bigint {
  if (!isHex(hex)) throw new HexError(`not a 0x-prefixed hex quantity: ${preview(hex)}`)
  return hex.length === 2 ? 0n : BigInt(hex)
}

function preview(s: string): string {
  return JSON.stringify(s.length > 42 ? `${s.slice(0, 40)}…` : s)
}
