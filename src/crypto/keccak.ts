/** keccak256, single and batched, in the native addon. */
import { keccakAt, requireNative } from './native.ts'

const native = requireNative()
const scratch = new Uint8Array(32)
const ffi = keccakAt

function checkRange(data: Uint8Array, start: number, len: number, out: Uint8Array, offset: number): void {
  // the callers' contract (the EVM passes validated memory ranges); RangeError like the addon's own checks
  if (!(start >= 0 && len >= 0 && start + len <= data.length && offset >= 0 && offset + 32 <= out.length && Number.isInteger(start + len + offset)))
    throw new RangeError(`keccak256 range ${start}+${len} of ${data.length} bytes into ${offset}+32 of ${out.length}`)
}

export const keccak256: (data: Uint8Array) => Uint8Array = ffi
  ? (data) => {
      ffi!(data, 0, data.length, scratch, 0)
      return scratch.slice()
    }
  : native.keccak256

/** Writes keccak256(data) into out[offset..offset+32] without allocating. */
export const keccak256Into: (data: Uint8Array, out: Uint8Array, offset?: number) => void = ffi
  ? (data, out, offset = 0) => {
      checkRange(data, 0, data.length, out, offset)
      ffi!(data, 0, data.length, out, offset)
    }
  : native.keccak256Into

/** keccak256 of data[start..start+len] into out[offset..offset+32]: no view of `data` is made. */
export function keccak256At(data: Uint8Array, start: number, len: number, out: Uint8Array, offset = 0): void {
  checkRange(data, start, len, out, offset)
  if (ffi) ffi(data, start, len, out, offset)
  else native.keccak256Into(new Uint8Array(data.buffer, data.byteOffset + start, len), out, offset)
}

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
