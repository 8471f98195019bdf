/**
 * EIP-2537 (Prague) BLS12-381 shared codec and gas for the precompiles 0x0b–0x11 (one file
 * each), over @noble/curves: encoding, validation and gas. Fp elements are 64 bytes (16 zero bytes, then 48 big-endian, value < p); Fp2 is
 * c0 ‖ c1; points are x ‖ y, all-zero for infinity. ADD checks only that points are on the
 * curve; MSM and pairing also check the prime-order subgroup.
 * Move the curve part to src/crypto once it has a bls12-381 module.
 */
import { bls12_381 } from '../../crypto/index.ts'
import { bigintToWord, bytesToBigint } from '../../primitives/index.ts'
import { failure, ok, outOfGas, type PrecompileResult } from './types.ts'

export const BLS12_G1ADD_GAS = 375
export const BLS12_G2ADD_GAS = 600
export const BLS12_G1MSM_MUL_GAS = 12000
export const BLS12_G2MSM_MUL_GAS = 22500
export const BLS12_MSM_MULTIPLIER = 1000
export const BLS12_PAIRING_BASE_GAS = 37700
export const BLS12_PAIRING_PAIR_GAS = 32600
export const BLS12_MAP_FP_TO_G1_GAS = 5500
export const BLS12_MAP_FP2_TO_G2_GAS = 23800

/** Discount per k (index k-1) for G1MSM; k > 128 uses the last entry. */
export const G1_MSM_DISCOUNT = [
  1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665, 661, 658, 654, 651,
  648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615, 613, 611, 609, 608, 606, 604, 603, 601,
  599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585, 584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570,
  569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547,
  547, 546, 545, 544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529, 528,
  528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
]
/** Discount per k (index k-1) for G2MSM; k > 128 uses the last entry. */
export const G2_MSM_DISCOUNT = [
  1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699, 693, 688, 683, 679,
  674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629, 627, 624, 622, 620, 618, 615, 613, 611,
  609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575,
  574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551,
  550, 549, 548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534, 533, 532,
  532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
]

export const { G1, G2, fields } = bls12_381
const { Fp, Fp2 } = fields
export const Fp12 = fields.Fp12
export const pairingBatch = bls12_381.pairingBatch
const P = Fp.ORDER
export const R = fields.Fr.ORDER
type Fp2 = { c0: bigint; c1: bigint }
export type G1P = ReturnType<typeof G1.Point.fromAffine>
export type G2P = ReturnType<typeof G2.Point.fromAffine>

const B1 = 4n
const B2: Fp2 = Fp2.create({ c0: 4n, c1: 4n })

/** Decodes a 64-byte field element; undefined if the padding is non-zero or value ≥ p. */
export function decodeFp(b: Uint8Array): bigint | undefined {
  for (let i = 0; i < 16; i++) if (b[i] !== 0) return undefined
  const v = bytesToBigint(b.subarray(16, 64))
  return v < P ? v : undefined
}

export function decodeFp2(b: Uint8Array): Fp2 | undefined {
  const c0 = decodeFp(b.subarray(0, 64)), c1 = decodeFp(b.subarray(64, 128))
  return c0 === undefined || c1 === undefined ? undefined : Fp2.create({ c0, c1 })
}

/** G1 point (128 bytes) on the curve; with `subgroup`, also in G1. */
export function decodeG1(b: Uint8Array, subgroup: boolean): G1P | undefined {
  const x = decodeFp(b.subarray(0, 64)), y = decodeFp(b.subarray(64, 128))
  if (x === undefined || y === undefined) return undefined
  if (x === 0n && y === 0n) return G1.Point.ZERO
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), B1)) return undefined
  const p = G1.Point.fromAffine({ x, y })
  return subgroup && !p.isTorsionFree() ? undefined : p
}

export function decodeG2(b: Uint8Array, subgroup: boolean): G2P | undefined {
  const x = decodeFp2(b.subarray(0, 128)), y = decodeFp2(b.subarray(128, 256))
  if (x === undefined || y === undefined) return undefined
  if (Fp2.is0(x) && Fp2.is0(y)) return G2.Point.ZERO
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2))) return undefined
  const p = G2.Point.fromAffine({ x, y })
  return subgroup && !p.isTorsionFree() ? undefined : p
}

function encodeFp(out: Uint8Array, offset: number, v: bigint): void {
  out.set(bigintToWord(v, 48), offset + 16)
}

export function encodeG1(p: G1P): Uint8Array {
  const out = new Uint8Array(128)
  if (p.is0()) return out
  const a = p.toAffine()
  encodeFp(out, 0, a.x)
  encodeFp(out, 64, a.y)
  return out
}

export function encodeG2(p: G2P): Uint8Array {
  const out = new Uint8Array(256)
  if (p.is0()) return out
  const a = p.toAffine()
  encodeFp(out, 0, a.x.c0)
  encodeFp(out, 64, a.x.c1)
  encodeFp(out, 128, a.y.c0)
  encodeFp(out, 192, a.y.c1)
  return out
}

/** k · multiplication cost · discount(k) / 1000. */
export function msmGas(k: number, mulGas: number, discount: readonly number[]): number {
  if (k === 0) return 0
  return Math.floor((k * mulGas * discount[Math.min(k, discount.length) - 1]!) / BLS12_MSM_MULTIPLIER)
}

/** Gas first, then the computation; any invalid input consumes all gas. */
export function runBls(gasLimit: number, gas: number, f: () => Uint8Array | undefined): PrecompileResult {
  if (gasLimit < gas) return outOfGas(gasLimit)
  try {
    const out = f()
    return out === undefined ? failure(gasLimit) : ok(gas, out)
  } catch {
    return failure(gasLimit)
  }
}

