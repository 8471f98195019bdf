/**
 * Code analysis, done once per code object: the valid JUMPDEST map (a JUMPDEST byte that is
 * not inside PUSH data) and the value of every PUSH2–PUSH32 immediate, decoded to a bigint once
 * instead of on every execution. Cached by code identity, so hosts that hand out the same
 * Uint8Array for the same code (as state caches do) analyse each contract once.
 */
import { HEX } from './words.ts'

export interface CodeAnalysis {
  /** Byte i is 1 when code[i] is a valid jump destination. */
  jumpdests: Uint8Array
  /** pushes[i + 1] is the immediate of the PUSH2–PUSH32 at i (zero-padded past the code's end). */
  pushes: bigint[]
}

const cache = new WeakMap<Uint8Array, CodeAnalysis>()

export function analyze(code: Uint8Array): CodeAnalysis {
  let a = cache.get(code)
  if (a !== undefined) return a
  const jumpdests = new Uint8Array(code.length)
  const pushes: bigint[] = new Array(code.length + 1)
  for (let i = 0; i < code.length; i++) {
    const op = code[i]!
    if (op === 0x5b) jumpdests[i] = 1
    else if (op >= 0x60 && op <= 0x7f) {
      const n = op - 0x5f
      if (n >= 2) pushes[i + 1] = immediate(code, i + 1, n)
      i += n
    }
  }
  a = { jumpdests, pushes }
  cache.set(code, a)
  return a
}

/** Byte i is 1 when code[i] is a valid jump destination. */
export const jumpdestMap = (code: Uint8Array): Uint8Array => analyze(code).jumpdests

function immediate(code: Uint8Array, start: number, n: number): bigint {
  if (n <= 6) {
    let x = 0
    for (let i = 0; i < n; i++) x = x * 256 + (code[start + i] ?? 0)
    return BigInt(x)
  }
  let hex = '0x'
  for (let i = 0; i < n; i++) hex += HEX[code[start + i] ?? 0]
  return BigInt(hex)
}
