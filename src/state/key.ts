import type { Address } from '../primitives/index.ts'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

// The same address objects come back again and again (precompiles, a call's frames, sender and
// coinbase), so each object's key is remembered. Addresses are values: no code writes into an
// address array after making it (decoders, wordToAddress and keccak slices all return fresh
// arrays); the conformance suites would show a stale key as a wrong state root.
const keys = new WeakMap<Uint8Array, string>()

/** Map key of an address: lower-case hex without 0x. */
export function addressKey(a: Address): string {
  let s = keys.get(a)
  if (s !== undefined) return s
  s = ''
  for (let i = 0; i < a.length; i++) s += HEX[a[i]!]
  keys.set(a, s)
  return s
}

export function keyToAddress(k: string): Address {
  const out = new Uint8Array(20)
  for (let i = 0; i < 20; i++) out[i] = parseInt(k.slice(2 * i, 2 * i + 2), 16)
  return out
}
