import type { Address } from '../primitives/index.ts'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** Map key of an address: lower-case hex without 0x. */
export function addressKey(a: Address): string {
  let s = ''
  for (let i = 0; i < a.length; i++) s += HEX[a[i]!]
  return s
}

export function keyToAddress(k: string): Address {
  const out = new Uint8Array(20)
  for (let i = 0; i < 20; i++) out[i] = parseInt(k.slice(2 * i, 2 * i + 2), 16)
  return out
}
