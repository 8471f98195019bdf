/** keccak256, single and batched, in the native addon. */
import { requireNative } from './native.ts'

const native = requireNative()

export const keccak256: (data: Uint8Array) => Uint8Array = native.keccak256

/** Writes keccak256(data) into out[offset..offset+32] without allocating. */
export const keccak256Into: (data: Uint8Array, out: Uint8Array, offset?: number) => void = native.keccak256Into

/** Hashes many inputs in one crossing into native code (threads for large batches). */
export function keccak256Batch(items: readonly Uint8Array[]): Uint8Array[] {
  const offsets = new Uint32Array(items.length + 1)
  let total = 0
  for (let i = 0; i < items.length; i++) {
    total += items[i]!.length
    offsets[i + 1] = total
  }
  const data = new Uint8Array(total)
  for (let i = 0; i < items.length; i++) data.set(items[i]!, offsets[i]!)
  const out = native.keccak256Batch(data, offsets)
  return Array.from({ length: items.length }, (_, i) => out.subarray(32 * i, 32 * i + 32))
}
