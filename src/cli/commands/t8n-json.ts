/**
 * Readers for the t8n input JSON. Every value is checked where it is read and a bad one is a
 * T8nError('json') naming its path (`txs[2].gas`). Quantities are accepted as geth's
 * HexOrDecimal types accept them: a 0x hex string, a decimal string, or a JSON number.
 */
import { hexToBytes, isHex, TWO_POW_256, UINT64_MAX } from '../../primitives/index.ts'
import { T8nError } from './t8n-errors.ts'

export type Obj = Record<string, unknown>

function fail(path: string, what: string, v: unknown): never {
  const shown = JSON.stringify(v)
  throw new T8nError('json', `${path}: expected ${what}, got ${shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`)
}

export function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v)
  return v as Obj
}

export function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', v)
  return v
}

/** A non-negative integer below 2^bits. */
export function quantity(v: unknown, path: string, bits: 64 | 256 = 256): bigint {
  let n: bigint | undefined
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) n = BigInt(v)
  else if (typeof v === 'string') {
    if (isHex(v) && v.length <= 66) n = v.length === 2 ? 0n : BigInt(v)
    else if (/^[0-9]{1,78}$/.test(v)) n = BigInt(v)
  }
  if (n === undefined) fail(path, 'a quantity (0x hex, decimal string or number)', v)
  if (n >= (bits === 64 ? UINT64_MAX + 1n : TWO_POW_256)) fail(path, `a quantity below 2^${bits}`, v)
  return n
}

export function optQuantity(v: unknown, path: string, bits: 64 | 256 = 256): bigint | undefined {
  return v === undefined || v === null ? undefined : quantity(v, path, bits)
}

/** Hex bytes, `0x` optional (geth's unprefixed forms are accepted too). */
export function bytes(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string') fail(path, 'hex bytes', v)
  const s = v.startsWith('0x') || v.startsWith('0X') ? v : `0x${v}`
  if (!isHex(s, { strict: true })) fail(path, 'hex bytes (an even number of hex digits)', v)
  return hexToBytes(s)
}

export function fixed(v: unknown, path: string, len: number, what: string): Uint8Array {
  const b = bytes(v, path)
  if (b.length !== len) fail(path, what, v)
  return b
}

export const address = (v: unknown, path: string): Uint8Array => fixed(v, path, 20, 'a 20-byte address')
export const hash = (v: unknown, path: string): Uint8Array => fixed(v, path, 32, 'a 32-byte hash')

/** A storage key or value: up to 32 bytes of hex, as a number. */
export function word(v: unknown, path: string): bigint {
  const b = bytes(v, path)
  if (b.length > 32) fail(path, 'at most 32 bytes', v)
  let n = 0n
  for (const x of b) n = (n << 8n) | BigInt(x)
  return n
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v)
  return v
}

/** Parses JSON text; bad JSON is a T8nError('json') naming the source. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new T8nError('json', `failed unmarshalling ${source}: ${e instanceof Error ? e.message : String(e)}`)
  }
}
