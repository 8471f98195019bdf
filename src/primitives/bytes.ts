/** Byte-array helpers. Bytes are plain `Uint8Array`s everywhere in Mosaic. */

export type Bytes = Uint8Array

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0)

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Lexicographic order, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
export const utf8ToBytes = (s: string): Uint8Array => encoder.encode(s)
export const bytesToUtf8 = (b: Uint8Array): string => decoder.decode(b)

/** Left-pads to `len` bytes; throws when `b` is already longer. */
export function padLeft(b: Uint8Array, len: number): Uint8Array {
  if (b.length === len) return b
  // an argument outside the function's domain, not input: callers validate input first
  if (b.length > len) throw new RangeError(`${b.length} bytes do not fit in ${len}`)
  const out = new Uint8Array(len)
  out.set(b, len - b.length)
  return out
}

/** Drops leading zero bytes (minimal big-endian form). */
export function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0
  while (i < b.length && b[i] === 0) i++
  return i === 0 ? b : b.subarray(i)
}
