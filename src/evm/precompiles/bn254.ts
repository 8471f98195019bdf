/**
 * alt_bn128 (bn254) point codec for EIP-196/197, over @noble/curves. Coordinates are 32-byte
 * big-endian; (0, 0) is the point at infinity; Fp2 elements are encoded imaginary part first.
 * Move to src/crypto once it grows a bn254 module.
 */
import { bn254 } from '../../crypto/index.ts'
import { bigintToWord, bytesToBigint } from '../../primitives/index.ts'

const { G1, G2, fields } = bn254
const P = fields.Fp.ORDER
export const BN254_ORDER = fields.Fr.ORDER

export type G1Point = InstanceType<typeof G1.Point>
export type G2Point = InstanceType<typeof G2.Point>

/** Decodes a G1 point from 64 bytes; undefined if a coordinate ≥ p or it is not on the curve. */
export function decodeG1(b: Uint8Array): G1Point | undefined {
  const x = bytesToBigint(b.subarray(0, 32)), y = bytesToBigint(b.subarray(32, 64))
  if (x >= P || y >= P) return undefined
  if (x === 0n && y === 0n) return G1.Point.ZERO
  try {
    const p = G1.Point.fromAffine({ x, y })
    p.assertValidity()
    return p
  } catch {
    return undefined
  }
}

/** Decodes a G2 point from 128 bytes (x_im, x_re, y_im, y_re); checks curve and subgroup. */
export function decodeG2(b: Uint8Array): G2Point | undefined {
  const xi = bytesToBigint(b.subarray(0, 32)), xr = bytesToBigint(b.subarray(32, 64))
  const yi = bytesToBigint(b.subarray(64, 96)), yr = bytesToBigint(b.subarray(96, 128))
  if (xi >= P || xr >= P || yi >= P || yr >= P) return undefined
  if (xi === 0n && xr === 0n && yi === 0n && yr === 0n) return G2.Point.ZERO
  try {
    const p = G2.Point.fromAffine({ x: fields.Fp2.create({ c0: xr, c1: xi }), y: fields.Fp2.create({ c0: yr, c1: yi }) })
    p.assertValidity()
    // subgroup check: n·P = 0 (computed as (n-1)·P + P; noble rejects the scalar n itself)
    if (!p.multiplyUnsafe(BN254_ORDER - 1n).add(p).is0()) return undefined
    return p
  } catch {
    return undefined
  }
}

export function encodeG1(p: G1Point): Uint8Array {
  const out = new Uint8Array(64)
  if (p.is0()) return out
  const a = p.toAffine()
  out.set(bigintToWord(a.x), 0)
  out.set(bigintToWord(a.y), 32)
  return out
}

export const bn254Pairing = bn254.pairingBatch
export const bn254Fp12 = fields.Fp12
