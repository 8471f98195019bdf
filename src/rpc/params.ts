/**
 * Parameter validation. Every outside value passes through one of these; a bad one is an
 * `InvalidParamsError` (-32602) whose message names the argument (and field) and says what is
 * wrong in geth's words ("hex number with leading zero digits", "hex string without 0x prefix").
 */
import { hexToBytes, type Address, type Hash } from '../primitives/index.ts'
import { InvalidParamsError } from './errors.ts'

/** Where a value sits: argument index plus an optional field path, for error messages. */
export type At = number | string

export function fail(at: At, reason: string): never {
  throw new InvalidParamsError(`invalid argument ${at}: ${reason}`)
}

/** `at` extended by a field name or index: 0 + "gas" → "0.gas". */
export function field(at: At, name: string | number): string {
  return `${at}.${name}`
}

/** The positional arguments: an array, or nothing (absent/null = no arguments). */
export function args(params: unknown, max: number, required = 0): unknown[] {
  if (params === undefined || params === null) params = []
  if (!Array.isArray(params)) throw new InvalidParamsError('non-array args')
  if (params.length > max) throw new InvalidParamsError(`too many arguments, want at most ${max}`)
  // trailing nulls count as missing optional arguments, as in geth
  for (let i = 0; i < required; i++) if (params[i] === undefined || params[i] === null) throw new InvalidParamsError(`missing value for required argument ${i}`)
  return params
}

const HEX_DIGITS = /^[0-9a-fA-F]*$/

function hexString(v: unknown, at: At): string {
  if (typeof v !== 'string') fail(at, `expected a hex string, got ${typeName(v)}`)
  if (v.length === 0) fail(at, 'empty hex string')
  if (!v.startsWith('0x') && !v.startsWith('0X')) fail(at, 'hex string without 0x prefix')
  const body = v.slice(2)
  if (!HEX_DIGITS.test(body)) fail(at, 'invalid hex string')
  return body
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

/** A quantity: 0x-prefixed, no leading zeros ("0x0" for zero), at most `bits` bits. */
export function quantity(v: unknown, at: At, bits = 256): bigint {
  const body = hexString(v, at)
  if (body.length === 0) fail(at, 'hex string "0x"')
  if (body.length > 1 && body[0] === '0') fail(at, 'hex number with leading zero digits')
  if (body.length > bits / 4) fail(at, `hex number > ${bits} bits`)
  return BigInt(`0x${body}`)
}

/** A 64-bit quantity as a bigint. */
export const uint64 = (v: unknown, at: At): bigint => quantity(v, at, 64)

/** A quantity that must fit a JS number (counts, indices). */
export function smallNumber(v: unknown, at: At, max = Number.MAX_SAFE_INTEGER): number {
  const n = quantity(v, at, 64)
  if (n > BigInt(max)) fail(at, `number ${n} above the limit of ${max}`)
  return Number(n)
}

/**
 * Well-formed 0x hex (`length` characters after the prefix when given) decoded in one pass, or
 * undefined: the checks below then name what is wrong, in their order.
 */
function quickBytes(v: unknown, length?: number): Uint8Array | undefined {
  if (typeof v !== 'string' || v.charCodeAt(0) !== 48 || (v.charCodeAt(1) | 32) !== 120) return undefined
  if (length !== undefined && v.length !== length + 2) return undefined
  try {
    return hexToBytes(v)
  } catch {
    return undefined
  }
}

/** Arbitrary bytes: 0x-prefixed, even length ("0x" is empty). */
export function data(v: unknown, at: At): Uint8Array {
  const quick = quickBytes(v)
  if (quick !== undefined) return quick
  const body = hexString(v, at)
  if (body.length % 2 !== 0) fail(at, 'hex string of odd length')
  return hexToBytes(body)
}

function fixed(v: unknown, at: At, size: number, what: string): Uint8Array {
  const quick = quickBytes(v, size * 2)
  if (quick !== undefined) return quick
  const body = hexString(v, at)
  if (body.length !== size * 2) fail(at, `hex string has length ${body.length}, want ${size * 2} for ${what}`)
  return hexToBytes(body)
}

/**
 * A 20-byte address in any letter case. Like geth and anvil, the EIP-55 checksum is not
 * enforced here (it protects typing, not the wire), which also keeps a keccak off every read.
 */
export function address(v: unknown, at: At): Address {
  return fixed(v, at, 20, 'common.Address')
}

export const hash = (v: unknown, at: At): Hash => fixed(v, at, 32, 'common.Hash')

/** A storage slot: any 0x hex up to 32 bytes (geth accepts short and padded forms). */
export function storageKey(v: unknown, at: At): bigint {
  const body = hexString(v, at)
  if (body.length > 64) fail(at, 'hex string too long, want at most 32 bytes')
  return body.length === 0 ? 0n : BigInt(`0x${body}`)
}

export function bool(v: unknown, at: At): boolean {
  if (typeof v !== 'boolean') fail(at, `expected a boolean, got ${typeName(v)}`)
  return v
}

export function object(v: unknown, at: At): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, `expected an object, got ${typeName(v)}`)
  return v as Record<string, unknown>
}

export function array(v: unknown, at: At, max: number): unknown[] {
  if (!Array.isArray(v)) fail(at, `expected an array, got ${typeName(v)}`)
  if (v.length > max) fail(at, `array of ${v.length} items above the limit of ${max}`)
  return v
}

/** Rejects keys outside `known` (a typo in a field name is an error, not silently ignored). */
export function knownFields(o: Record<string, unknown>, at: At, known: readonly string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) fail(at, `unknown field ${JSON.stringify(k)}`)
}

export type BlockTag = 'latest' | 'earliest' | 'pending' | 'safe' | 'finalized'
const TAGS: readonly string[] = ['latest', 'earliest', 'pending', 'safe', 'finalized']
const INT64_MAX = (1n << 63n) - 1n

/** Which block a method reads: a tag, a number, or (EIP-1898) a hash. */
export type BlockSelector = { tag: BlockTag } | { number: bigint } | { hash: Hash; requireCanonical: boolean }

/** A block number or tag (eth_getBlockByNumber, filters). */
export function blockNumber(v: unknown, at: At): { tag: BlockTag } | { number: bigint } {
  if (typeof v === 'string' && TAGS.includes(v)) return { tag: v as BlockTag }
  const n = quantity(v, at, 64)
  if (n > INT64_MAX) fail(at, 'block number larger than int64')
  return { number: n }
}

/** A block number, tag, hash, or EIP-1898 object `{blockNumber}` / `{blockHash, requireCanonical}`. */
export function blockSelector(v: unknown, at: At): BlockSelector {
  if (typeof v === 'string' && v.length === 66) return { hash: hash(v, at), requireCanonical: false }
  if (typeof v !== 'object' || v === null) return blockNumber(v, at)
  const o = object(v, at)
  knownFields(o, at, ['blockNumber', 'blockHash', 'requireCanonical'])
  if (o.blockHash !== undefined && o.blockNumber !== undefined) fail(at, 'cannot specify both BlockHash and BlockNumber, choose one or the other')
  if (o.blockHash !== undefined) {
    const requireCanonical = o.requireCanonical === undefined ? false : bool(o.requireCanonical, field(at, 'requireCanonical'))
    return { hash: hash(o.blockHash, field(at, 'blockHash')), requireCanonical }
  }
  if (o.blockNumber !== undefined) return blockNumber(o.blockNumber, field(at, 'blockNumber'))
  fail(at, 'missing blockNumber or blockHash')
}

/** The optional block argument: absent means `latest` (geth's default for state reads). */
export function optionalBlock(v: unknown, at: At): BlockSelector {
  return v === undefined || v === null ? { tag: 'latest' } : blockSelector(v, at)
}
