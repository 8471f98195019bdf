import type { Address } from '../primitives/index.ts'

// The same address objects come back again and again (precompiles, a call's frames, sender and
// coinbase), so each object's key is remembered. Addresses are values: no code writes into an
// address array after making it (decoders, wordToAddress and keccak slices all return fresh
// arrays); the conformance suites would show a stale key as a wrong state root.
const keys = new WeakMap<Uint8Array, string>()

/** Map key of an address: lower-case hex without 0x. */
export function addressKey(a: Address): string {
  let s = keys.get(a)
  if (s !== undefined) return s
  s = a.toHex()
  keys.set(a, s)
  return s
}

export function keyToAddress(k: string): Address {
  return Uint8Array.fromHex(k)
}
