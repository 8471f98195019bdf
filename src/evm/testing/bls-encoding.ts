/** Test helper: EIP-2537 encodings of BLS12-381 field elements and points from @noble/curves. */
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bigintToWord, concatBytes } from '../../primitives/index.ts'

/** A base-field element: 16 zero bytes, then 48 big-endian bytes. */
export const fp = (v: bigint): Uint8Array => concatBytes(new Uint8Array(16), bigintToWord(v, 48))

/** A G1 point: x ‖ y (128 bytes). */
export function g1(p: typeof bls12_381.G1.Point.BASE): Uint8Array {
  const a = p.toAffine()
  return concatBytes(fp(a.x), fp(a.y))
}

/** A G2 point: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1 (256 bytes). */
export function g2(p: typeof bls12_381.G2.Point.BASE): Uint8Array {
  const a = p.toAffine()
  return concatBytes(fp(a.x.c0), fp(a.x.c1), fp(a.y.c0), fp(a.y.c1))
}
