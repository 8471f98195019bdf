/** Key order and range bounds shared by the backends. */
import { compareBytes } from '../primitives/index.ts'
import type { KeyRange } from './types.ts'

export { compareBytes }

/** A range reduced to at most one lower and one upper bound. */
export interface Bounds {
  lower?: Uint8Array
  /** `lower` itself is excluded (`gt`). */
  lowerExclusive: boolean
  upper?: Uint8Array
  /** `upper` itself is excluded (`lt`). */
  upperExclusive: boolean
}

/**
 * The smallest key greater than every key that starts with `prefix`, or `undefined` when there is
 * none (the prefix is empty or all 0xff).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1)
      end[i]!++
      return end
    }
  }
  return undefined
}

/** Intersects `gt`/`gte`, `lt`/`lte` and `prefix` into one pair of bounds. */
export function toBounds(range: KeyRange): Bounds {
  const b: Bounds = { lowerExclusive: false, upperExclusive: false }
  const lower = (key: Uint8Array, exclusive: boolean) => {
    const c = b.lower === undefined ? 1 : compareBytes(key, b.lower)
    if (c > 0 || (c === 0 && exclusive)) {
      b.lower = key
      b.lowerExclusive = exclusive
    }
  }
  const upper = (key: Uint8Array, exclusive: boolean) => {
    const c = b.upper === undefined ? -1 : compareBytes(key, b.upper)
    if (c < 0 || (c === 0 && exclusive)) {
      b.upper = key
      b.upperExclusive = exclusive
    }
  }
  if (range.gte) lower(range.gte, false)
  if (range.gt) lower(range.gt, true)
  if (range.lte) upper(range.lte, false)
  if (range.lt) upper(range.lt, true)
  if (range.prefix && range.prefix.length > 0) {
    lower(range.prefix, false)
    const end = prefixEnd(range.prefix)
    if (end) upper(end, true)
  }
  return b
}

/** `key` is not below the lower bound. */
export function aboveLower(b: Bounds, key: Uint8Array): boolean {
  if (b.lower === undefined) return true
  const c = compareBytes(key, b.lower)
  return b.lowerExclusive ? c > 0 : c >= 0
}

/** `key` is not above the upper bound. */
export function belowUpper(b: Bounds, key: Uint8Array): boolean {
  if (b.upper === undefined) return true
  const c = compareBytes(key, b.upper)
  return b.upperExclusive ? c < 0 : c <= 0
}
