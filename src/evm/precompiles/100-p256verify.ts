/**
 * 0x100 P256VERIFY (EIP-7951, Osaka): secp256r1 ECDSA verification. 160-byte input
 * (hash, r, s, qx, qy); 32-byte 1 on success, empty output on any failure (gas still charged).
 */
import { p256 } from '../../crypto/index.ts'
import { bytesToBigint } from '../../primitives/index.ts'
import { ok, outOfGas, type Precompile } from './types.ts'

export const P256VERIFY_GAS = 6900
const N = p256.Point.CURVE().n
const P = p256.Point.CURVE().p
const EMPTY = new Uint8Array(0)

export const p256verify: Precompile = (input, gasLimit) => {
  if (gasLimit < P256VERIFY_GAS) return outOfGas(gasLimit)
  if (input.length !== 160) return ok(P256VERIFY_GAS, EMPTY)
  const r = bytesToBigint(input.subarray(32, 64)), s = bytesToBigint(input.subarray(64, 96))
  const qx = bytesToBigint(input.subarray(96, 128)), qy = bytesToBigint(input.subarray(128, 160))
  if (r === 0n || r >= N || s === 0n || s >= N || qx >= P || qy >= P) return ok(P256VERIFY_GAS, EMPTY)
  try {
    const q = p256.Point.fromAffine({ x: qx, y: qy })
    q.assertValidity()
    const pub = new Uint8Array(65)
    pub[0] = 4
    pub.set(input.subarray(96, 160), 1)
    const valid = p256.verify(input.subarray(32, 96), input.subarray(0, 32), pub, { prehash: false, lowS: false })
    if (!valid) return ok(P256VERIFY_GAS, EMPTY)
  } catch {
    return ok(P256VERIFY_GAS, EMPTY)
  }
  const out = new Uint8Array(32)
  out[31] = 1
  return ok(P256VERIFY_GAS, out)
}
