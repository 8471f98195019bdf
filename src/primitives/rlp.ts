/**
 * Recursive Length Prefix (RLP) encoding, as in the Yellow Paper, appendix B.
 *
 * The decoder is strict: it accepts only the canonical encoding of a value and fails with a
 * typed `RlpError` on anything else (non-minimal length prefixes, a single byte < 0x80 wrapped
 * in a prefix, lengths past the input, trailing bytes, oversize or too-deep input). Decoded
 * byte strings are views (`subarray`) into the input: copy them if the input will be reused.
 */
import { MosaicError } from './errors.ts'
import { bigintToBytes, bytesToBigint } from './word.ts'

export type RlpItem = Uint8Array | RlpItem[]
/** What `encodeRlp` accepts: bytes, unsigned integers (minimal big-endian), lists of these. */
export type RlpInput = Uint8Array | bigint | number | readonly RlpInput[]

export type RlpErrorKind =
  | 'truncated'
  | 'trailing-bytes'
  | 'non-canonical-size'
  | 'non-canonical-single-byte'
  | 'leading-zeros'
  | 'oversize'
  | 'too-deep'
  | 'unexpected-list'
  | 'unexpected-string'
  | 'wrong-shape'

export class RlpError extends MosaicError {
  override name = 'RlpError'
  constructor(readonly kind: RlpErrorKind, details: string) {
    super(`RLP_${kind.toUpperCase().replaceAll('-', '_')}`, 'invalid RLP', { details })
  }
}

/** Default limits; callers decoding network input may pass tighter ones. */
export const RLP_MAX_DEPTH = 1024
export const RLP_MAX_INPUT = 64 * 1024 * 1024

// ---- encoding -------------------------------------------------------------------------------

/**
 * Encodes `input`: one pass measures (converting each integer to bytes once, and noting each
 * list's payload length in pre-order), then one allocation, then one pass writes.
 */
export function encodeRlp(input: RlpInput): Uint8Array {
  scalars.length = 0
  listLengths.length = 0
  const out = new Uint8Array(measure(input))
  scalarAt = 0
  listAt = 0
  const end = write(input, out, 0)
  scalars.length = 0 // hold no caller's bytes
  // an internal invariant: measure and write disagree only through a bug here
  if (end !== out.length) throw new Error('rlp: length mismatch (bug)')
  return out
}

// Scratch of the measure pass, read back in the same order by the write pass. Encoding calls
// nothing outside this file, so one encoding never interleaves with another.
const scalars: Uint8Array[] = []
const listLengths: number[] = []
let scalarAt = 0
let listAt = 0

function lengthOfLength(n: number): number {
  let k = 0
  while (n > 0) {
    k++
    n = Math.floor(n / 256)
  }
  return k
}

/** Bytes of the prefix of an RLP item whose payload is `len` bytes (a single byte < 0x80 aside). */
export const rlpHeaderLength = (len: number): number => (len < 56 ? 1 : 1 + lengthOfLength(len))

/** Encoded length of the byte string `b`. */
export const rlpStringLength = (b: Uint8Array): number => (b.length === 1 && b[0]! < 0x80 ? 1 : rlpHeaderLength(b.length) + b.length)

function measure(input: RlpInput): number {
  if (Array.isArray(input)) {
    const at = listLengths.length
    listLengths.push(0)
    let len = 0
    for (const item of input as readonly RlpInput[]) len += measure(item)
    listLengths[at] = len
    return rlpHeaderLength(len) + len
  }
  const b = input instanceof Uint8Array ? input : bigintToBytes(input as bigint | number)
  scalars.push(b)
  return rlpStringLength(b)
}

/**
 * Writes the prefix of a list (`list`) or string whose payload is `len` bytes at `out[o]`;
 * returns the offset after it. For writers that lay out RLP themselves (trie nodes).
 */
export function writeRlpHeader(out: Uint8Array, o: number, len: number, list: boolean): number {
  const short = list ? 0xc0 : 0x80
  if (len < 56) {
    out[o] = short + len
    return o + 1
  }
  const k = lengthOfLength(len)
  out[o] = short + 55 + k
  for (let i = k; i >= 1; i--) {
    out[o + i] = len & 0xff
    len = Math.floor(len / 256)
  }
  return o + 1 + k
}

/** Writes the byte string `b` as RLP at `out[o]`; returns the offset after it. */
export function writeRlpString(out: Uint8Array, o: number, b: Uint8Array): number {
  if (b.length === 1 && b[0]! < 0x80) {
    out[o] = b[0]!
    return o + 1
  }
  o = writeRlpHeader(out, o, b.length, false)
  out.set(b, o)
  return o + b.length
}

function write(input: RlpInput, out: Uint8Array, o: number): number {
  if (Array.isArray(input)) {
    o = writeRlpHeader(out, o, listLengths[listAt++]!, true)
    for (const item of input as readonly RlpInput[]) o = write(item, out, o)
    return o
  }
  return writeRlpString(out, o, scalars[scalarAt++]!)
}

// ---- decoding -------------------------------------------------------------------------------

export interface RlpDecodeOptions {
  maxDepth?: number
  maxInput?: number
}

/** Decodes exactly one item spanning all of `input`. */
export function decodeRlp(input: Uint8Array, opts: RlpDecodeOptions = {}): RlpItem {
  const maxInput = opts.maxInput ?? RLP_MAX_INPUT
  if (input.length > maxInput) throw new RlpError('oversize', `input of ${input.length} bytes exceeds ${maxInput}`)
  if (input.length === 0) throw new RlpError('truncated', 'empty input')
  const [item, end] = decodeAt(input, 0, input.length, opts.maxDepth ?? RLP_MAX_DEPTH)
  if (end !== input.length) throw new RlpError('trailing-bytes', `${input.length - end} bytes after the item`)
  return item
}

/** Reads the prefix at `o`: where the payload starts, its length, and whether it is a list. */
export function decodeRlpHeader(
  input: Uint8Array,
  o: number,
  end: number,
): { list: boolean; start: number; length: number } {
  if (o >= end) throw new RlpError('truncated', `no item at offset ${o}`)
  const b = input[o]!
  if (b < 0x80) return { list: false, start: o, length: 1 }
  if (b < 0xb8) {
    const length = b - 0x80
    if (o + 1 + length > end) throw new RlpError('truncated', `string of ${length} bytes at offset ${o} runs past the end`)
    if (length === 1 && input[o + 1]! < 0x80)
      throw new RlpError('non-canonical-single-byte', `byte 0x${input[o + 1]!.toString(16)} at offset ${o} must not be prefixed`)
    return { list: false, start: o + 1, length }
  }
  if (b < 0xc0) return longHeader(input, o, end, b - 0xb7, false)
  if (b < 0xf8) {
    const length = b - 0xc0
    if (o + 1 + length > end) throw new RlpError('truncated', `list of ${length} bytes at offset ${o} runs past the end`)
    return { list: true, start: o + 1, length }
  }
  return longHeader(input, o, end, b - 0xf7, true)
}

function longHeader(input: Uint8Array, o: number, end: number, k: number, list: boolean) {
  if (o + 1 + k > end) throw new RlpError('truncated', `length prefix at offset ${o} runs past the end`)
  if (input[o + 1] === 0) throw new RlpError('non-canonical-size', `length prefix at offset ${o} has leading zeros`)
  if (k > 4) throw new RlpError('oversize', `length of ${k} bytes at offset ${o}`)
  let length = 0
  for (let i = 0; i < k; i++) length = length * 256 + input[o + 1 + i]!
  if (length < 56) throw new RlpError('non-canonical-size', `long form for a length of ${length} at offset ${o}`)
  const start = o + 1 + k
  if (start + length > end)
    throw new RlpError('truncated', `${list ? 'list' : 'string'} of ${length} bytes at offset ${o} runs past the end`)
  return { list, start, length }
}

function decodeAt(input: Uint8Array, o: number, end: number, depth: number): [RlpItem, number] {
  const h = decodeRlpHeader(input, o, end)
  const stop = h.start + h.length
  if (!h.list) return [input.subarray(h.start, stop), stop]
  if (depth <= 0) throw new RlpError('too-deep', `nesting deeper than the limit at offset ${o}`)
  const items: RlpItem[] = []
  let p = h.start
  while (p < stop) {
    const [item, next] = decodeAt(input, p, stop, depth - 1)
    items.push(item)
    p = next
  }
  return [items, stop]
}

// ---- typed accessors used by decoders of protocol structures ---------------------------------

export function rlpBytes(item: RlpItem | undefined, what: string): Uint8Array {
  if (item === undefined) throw new RlpError('wrong-shape', `missing ${what}`)
  if (Array.isArray(item)) throw new RlpError('unexpected-list', `${what} must be a byte string`)
  return item
}

export function rlpList(item: RlpItem | undefined, what: string): RlpItem[] {
  if (item === undefined) throw new RlpError('wrong-shape', `missing ${what}`)
  if (!Array.isArray(item)) throw new RlpError('unexpected-string', `${what} must be a list`)
  return item
}

/** A canonical unsigned integer of at most `maxBytes` bytes: no leading zeros. */
export function rlpUint(item: RlpItem | undefined, what: string, maxBytes = 32): bigint {
  const b = rlpBytes(item, what)
  if (b.length > 0 && b[0] === 0) throw new RlpError('leading-zeros', `${what} has leading zeros`)
  if (b.length > maxBytes) throw new RlpError('oversize', `${what} is ${b.length} bytes, more than ${maxBytes}`)
  return bytesToBigint(b)
}

/** As `rlpUint` for values that fit a JS number (at most 2^53 - 1). */
export function rlpNumber(item: RlpItem | undefined, what: string): number {
  const n = rlpUint(item, what, 8)
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RlpError('oversize', `${what} exceeds 2^53-1`)
  return Number(n)
}

/** A byte string of exactly `len` bytes. */
export function rlpFixed(item: RlpItem | undefined, what: string, len: number): Uint8Array {
  const b = rlpBytes(item, what)
  if (b.length !== len) throw new RlpError('wrong-shape', `${what} must be ${len} bytes, got ${b.length}`)
  return b
}
