/** Sender recovery per second: native single, native batch (threads), @noble/curves. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bigintToWord } from '../src/primitives/index.ts'
import { requireNative } from '../src/crypto/native.ts'
import { sign } from '../src/crypto/index.ts'
import { measure, report } from './harness.ts'
import { cpus } from 'node:os'

export async function run(): Promise<void> {
  const native = requireNative()
  const n = 1000
  const hashes = new Uint8Array(32 * n)
  const sigs = new Uint8Array(64 * n)
  const recids = new Uint8Array(n)
  const compact: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const key = secp256k1.utils.randomSecretKey()
    const hash = crypto.getRandomValues(new Uint8Array(32))
    const sig = sign(hash, key)
    hashes.set(hash, 32 * i)
    sigs.set(bigintToWord(sig.r), 64 * i)
    sigs.set(bigintToWord(sig.s), 64 * i + 32)
    recids[i] = sig.yParity
    const c = new Uint8Array(65)
    c[0] = sig.yParity
    c.set(sigs.subarray(64 * i, 64 * i + 64), 1)
    compact.push(c)
  }
  let i = 0
  const noble = measure('@noble/curves recoverPublicKey', () => {
    const k = i++ % n
    secp256k1.recoverPublicKey(compact[k]!, hashes.subarray(32 * k, 32 * k + 32), { prehash: false } as never)
  })
  let j = 0
  const single = measure('mosaic native ecrecover', () => {
    const k = j++ % n
    native.ecrecover(hashes.subarray(32 * k, 32 * k + 32), sigs.subarray(64 * k, 64 * k + 64), recids[k]!)
  })
  const batch = measure(`mosaic native ecrecoverBatch (${n}/call, ${cpus().length} cores)`, () => native.ecrecoverBatch(hashes, sigs, recids), { opsPerCall: n })
  report('secp256k1 sender recovery', [noble, single, batch], noble)
  console.log(`  batch per core vs noble: ${(batch.opsPerSec / cpus().length / noble.opsPerSec).toFixed(1)}x`)
}

if (import.meta.main) await run()
