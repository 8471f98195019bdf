/** keccak256, single and batched. */
import { keccak_256 } from '@noble/hashes/sha3.js'

// TEMPORARY backend until the native addon is wired in (src/crypto/native.ts).
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data)
}

/** Hashes many inputs in one crossing into native code. */
export function keccak256Batch(items: readonly Uint8Array[]): Uint8Array[] {
  return items.map((d) => keccak_256(d))
}
