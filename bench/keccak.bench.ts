/** keccak256 of 32 and 1024 bytes: native addon (single and batched) vs @noble/hashes. */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { requireNative } from '../src/crypto/native.ts'
import { measure, report } from './harness.ts'

export async function run(): Promise<void> {
  const native = requireNative()
  for (const size of [32, 1024]) {
    const input = crypto.getRandomValues(new Uint8Array(size))
    const batchN = 1000
    const batchData = crypto.getRandomValues(new Uint8Array(size * batchN))
    const offsets = Uint32Array.from({ length: batchN + 1 }, (_, i) => i * size)
    const noble = measure('@noble/hashes keccak_256', () => keccak_256(input))
    const single = measure('mosaic native keccak256', () => native.keccak256(input))
    const batch = measure(`mosaic native keccak256Batch (${batchN}/call)`, () => native.keccak256Batch(batchData, offsets), { opsPerCall: batchN })
    report(`keccak256, ${size} bytes`, [noble, single, batch], noble)
  }
}

if (import.meta.main) await run()
