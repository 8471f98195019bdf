/**
 * Code analysis, done once per code object: the valid JUMPDEST map (a JUMPDEST byte that is
 * not inside PUSH data). Cached by code identity, so hosts that hand out the same Uint8Array
 * for the same code (as state caches do) analyse each contract once.
 */
const cache = new WeakMap<Uint8Array, Uint8Array>()

/** Byte i is 1 when code[i] is a valid jump destination. */
export function jumpdestMap(code: Uint8Array): Uint8Array {
  let map = cache.get(code)
  if (map !== undefined) return map
  map = new Uint8Array(code.length)
  for (let i = 0; i < code.length; i++) {
    const op = code[i]!
    if (op === 0x5b) map[i] = 1
    else if (op >= 0x60 && op <= 0x7f) i += op - 0x5f
  }
  cache.set(code, map)
  return map
}
