/** Hex encoding. Mosaic's hex strings are `0x`-prefixed, lowercase on output, either case on input. */
import { HexError } from './errors.ts'

export type Hex = `0x${string}`

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48 // 0-9
  if (c >= 97 && c <= 102) return c - 87 // a-f
  if (c >= 65 && c <= 70) return c - 55 // A-F
  return -1
}

export function bytesToHex(b: Uint8Array): Hex {
  return `0x${b.toHex()}`
}

/**
 * Parses hex with or without `0x`. Odd length or a non-hex character throws `HexError`.
 * (Uint8Array.fromHex and toHex are native in Bun: several times faster than a JS loop.)
 */
export function hexToBytes(hex: string): Uint8Array {
  const body = hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) | 32) === 120 ? hex.slice(2) : hex // 0x or 0X
  try {
    return Uint8Array.fromHex(body)
  } catch {
    throw new HexError(body.length % 2 !== 0 ? `odd number of digits in ${preview(hex)}` : `non-hex character in ${preview(hex)}`)
  }
}

export function isHex(s: unknown, opts: { strict?: boolean } = {}): s is Hex {
  if (typeof s !== 'string' || !s.startsWith('0x')) return false
  if (opts.strict && s.length % 2 !== 0) return false
  for (let i = 2; i < s.length; i++) if (nibble(s.charCodeAt(i)) < 0) return false
  return true
}

/** A quantity as JSON-RPC writes it: `0x0`, `0x1f`, no leading zeros. */
export function bigintToHex(n: bigint | number): Hex {
  // an argument outside the function's domain, not input: callers validate input first
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
