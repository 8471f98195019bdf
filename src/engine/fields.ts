/**
 * Strict readers for Engine API JSON (common.md, "Encoding"): `DATA` is `0x` and whole bytes of
 * an exact or bounded length, `QUANTITY` is `0x` without leading zeros within a bit width,
 * objects have exactly their fields. A `null` field counts as absent (cancun.md, newPayloadV3 1).
 *
 * One reader per error kind: parameters fail with -32602, payload attributes with -38003
 * (shanghai.md, forkchoiceUpdatedV2). Every message names the path of the failing value.
 */
import { EngineInvalidParamsError, InvalidPayloadAttributesError } from './errors.ts'

export interface Reader {
  fail(at: string, reason: string): never
  /** An object whose keys are all in `required` or `optional`; null values dropped. */
  object(v: unknown, at: string, required: readonly string[], optional?: readonly string[]): Record<string, unknown>
  /** `DATA` of exactly `length` bytes, or at most `max` bytes. */
  data(v: unknown, at: string, size?: { length?: number; max?: number }): Uint8Array
  /** `QUANTITY` of at most `bits` bits. */
  quantity(v: unknown, at: string, bits: number): bigint
  list(v: unknown, at: string): unknown[]
}

const QUANTITY = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]*)$/

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

/** A reader whose failures are `makeError("<path>: <reason>")` (the ones below, or a caller's own: a client checking answers). */
export function createReader(makeError: (message: string) => Error): Reader {
  const fail = (at: string, reason: string): never => {
    throw makeError(`${at}: ${reason}`)
  }
  return {
    fail,
    object(v, at, required, optional = []) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, `expected an object, got ${typeName(v)}`)
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === null) continue
        if (!required.includes(k) && !optional.includes(k)) fail(at, `unknown field ${JSON.stringify(k)}`)
        out[k] = x
      }
      for (const k of required) if (!(k in out)) fail(at, `missing field ${JSON.stringify(k)}`)
      return out
    },
    data(v, at, size = {}) {
      if (typeof v !== 'string') fail(at, `expected a hex string, got ${typeName(v)}`)
      const s = v as string
      if (!s.startsWith('0x')) fail(at, 'hex string without 0x prefix')
      if (s.length % 2 !== 0) fail(at, 'not whole bytes of hex: odd number of digits')
      const n = (s.length - 2) / 2
      if (size.length !== undefined && n !== size.length) fail(at, `${n} bytes, expected ${size.length}`)
      if (size.max !== undefined && n > size.max) fail(at, `${n} bytes, at most ${size.max} allowed`)
      // native decoding checks the digits: a regex over a multi-MB transaction takes a second
      try {
        return Uint8Array.fromHex(s.slice(2))
      } catch {
        return fail(at, 'not whole bytes of hex: a non-hex digit')
      }
    },
    quantity(v, at, bits) {
      if (typeof v !== 'string') fail(at, `expected a hex quantity, got ${typeName(v)}`)
      const s = v as string
      // the width first, so the pattern only ever sees a short string
      if (s.length - 2 > bits / 4) fail(at, `quantity above ${bits} bits`)
      if (!QUANTITY.test(s)) fail(at, s === '0x' || /^0x0[0-9a-fA-F]/.test(s) ? 'quantity with leading zeros or no digits' : 'not a 0x hex quantity')
      return BigInt(s)
    },
    list(v, at) {
      if (!Array.isArray(v)) fail(at, `expected an array, got ${typeName(v)}`)
      return v as unknown[]
    },
  }
}

/** Parameter readers: each failure is -32602 Invalid params. */
export const params: Reader = createReader((m) => new EngineInvalidParamsError(m))

/** Payload attribute readers: each failure is -38003 Invalid payload attributes. */
export const attributes: Reader = createReader((m) => new InvalidPayloadAttributesError(m))

/**
 * The positional arguments of a method: exactly `count` (trailing nulls are absent ones, and
 * absent required ones are -32602), so an extra argument is refused rather than ignored.
 */
export function positional(v: unknown, count: number, required = count): unknown[] {
  const list = v === undefined || v === null ? [] : params.list(v, 'params')
  let n = list.length
  while (n > 0 && list[n - 1] === null) n--
  if (n > count) params.fail('params', `${list.length} arguments, expected ${count === required ? count : `at most ${count}`}`)
  for (let i = 0; i < required; i++) if (list[i] === undefined || list[i] === null) params.fail('params', `missing argument ${i + 1} of ${count}`)
  return list
}
