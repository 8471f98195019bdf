/**
 * RLP at the level of encoded items: the raw bytes of each element of a list (so a header or a
 * legacy transaction inside a block hashes without re-encoding), and a list built from items
 * that are already encoded. Inputs here were checked by `decodeRlp` first.
 */
import { decodeRlpHeader, RlpError } from '../primitives/index.ts'

/** The encoded bytes of each item of the RLP list that spans all of `input` (views, no copies). */
export function rlpListItems(input: Uint8Array): Uint8Array[] {
  const h = decodeRlpHeader(input, 0, input.length)
  if (!h.list) throw new RlpError('unexpected-string', 'expected a list')
  const end = h.start + h.length
  const out: Uint8Array[] = []
  let p = h.start
  while (p < end) {
    const item = decodeRlpHeader(input, p, end)
    const stop = item.start + item.length
    out.push(input.subarray(p, stop))
    p = stop
  }
  return out
}

/** Payload of the RLP byte string that spans all of `input` (a view). */
export function rlpStringPayload(input: Uint8Array): Uint8Array {
  const h = decodeRlpHeader(input, 0, input.length)
  if (h.list) throw new RlpError('unexpected-list', 'expected a byte string')
  if (h.start + h.length !== input.length) throw new RlpError('trailing-bytes', `${input.length - h.start - h.length} bytes after the item`)
  return input.subarray(h.start, h.start + h.length)
}

function lengthOfLength(n: number): number {
  let k = 0
  for (; n > 0; n = Math.floor(n / 256)) k++
  return k
}

function writeHeader(out: Uint8Array, len: number, short: number): number {
  if (len < 56) {
    out[0] = short + len
    return 1
  }
  const k = lengthOfLength(len)
  out[0] = short + 55 + k
  for (let i = k, n = len; i >= 1; i--, n = Math.floor(n / 256)) out[i] = n & 0xff
  return 1 + k
}

/** The RLP list whose items are the already-encoded `items`. */
export function rlpListFromEncoded(items: readonly Uint8Array[]): Uint8Array {
  let len = 0
  for (const it of items) len += it.length
  const head = new Uint8Array(9)
  const hl = writeHeader(head, len, 0xc0)
  const out = new Uint8Array(hl + len)
  out.set(head.subarray(0, hl))
  let o = hl
  for (const it of items) {
    out.set(it, o)
    o += it.length
  }
  return out
}

/** `bytes` as an RLP byte string (the block-body form of a typed transaction or receipt). */
export function rlpWrapBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes.slice()
  const head = new Uint8Array(9)
  const hl = writeHeader(head, bytes.length, 0x80)
  const out = new Uint8Array(hl + bytes.length)
  out.set(head.subarray(0, hl))
  out.set(bytes, hl)
  return out
}
