import { describe, expect, test } from 'bun:test'
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bigintToWord, bytesToHex, concatBytes, hexToBytes } from '../../primitives/index.ts'
import { getFork } from '../forks.ts'
import { G1_MSM_DISCOUNT, msmGas } from './bls12-381.ts'
import { blsG1Add } from './0b-bls12-g1add.ts'
import { blsG1Msm } from './0c-bls12-g1msm.ts'
import { blsG2Add } from './0d-bls12-g2add.ts'
import { blsG2Msm } from './0e-bls12-g2msm.ts'
import { blsPairing } from './0f-bls12-pairing.ts'
import { blsMapFpToG1 } from './10-bls12-map-fp-to-g1.ts'
import { blsMapFp2ToG2 } from './11-bls12-map-fp2-to-g2.ts'
import { fp, g1, g2 } from '../testing/bls-encoding.ts'

const prague = getFork('prague')
const G = bls12_381.G1.Point.BASE
const H = bls12_381.G2.Point.BASE
const scalar = (n: bigint) => bigintToWord(n)

describe('EIP-2537 BLS12-381', () => {
  test('G1ADD: G + G = 2G (known x), 375 gas; infinity is the identity', () => {
    const r = blsG1Add(concatBytes(g1(G), g1(G)), 1000, prague)
    expect(r.gasUsed).toBe(375)
    expect(bytesToHex(r.output.subarray(16, 64))).toBe('0x0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e')
    expect(blsG1Add(concatBytes(g1(G), new Uint8Array(128)), 1000, prague).output).toEqual(g1(G))
  })
  test('G1ADD rejects bad lengths, non-zero padding and points off the curve', () => {
    expect(blsG1Add(new Uint8Array(255), 1000, prague).status).toBe('error')
    const badPad = concatBytes(g1(G), g1(G))
    badPad[0] = 1
    expect(blsG1Add(badPad, 1000, prague).status).toBe('error')
    const off = concatBytes(fp(1n), fp(1n), g1(G))
    expect(blsG1Add(off, 1000, prague).status).toBe('error')
  })
  test('G2ADD and G2MSM agree', () => {
    const add = blsG2Add(concatBytes(g2(H), g2(H)), 1000, prague)
    expect(add.gasUsed).toBe(600)
    const msm = blsG2Msm(concatBytes(g2(H), scalar(2n)), 100_000, prague)
    expect(msm.gasUsed).toBe(22500)
    expect(msm.output).toEqual(add.output)
  })
  test('G1MSM: 2·G + 3·G = 5·G with the k=2 discount', () => {
    const r = blsG1Msm(concatBytes(g1(G), scalar(2n), g1(G), scalar(3n)), 100_000, prague)
    expect(r.gasUsed).toBe(Math.floor((2 * 12000 * 949) / 1000))
    expect(r.output).toEqual(g1(G.multiply(5n)))
    expect(msmGas(200, 12000, G1_MSM_DISCOUNT)).toBe(Math.floor((200 * 12000 * 519) / 1000))
  })
  test('MSM with several pairs, zero scalars, infinity and scalars ≥ r', () => {
    const r = bls12_381.fields.Fr.ORDER
    const g1in = concatBytes(g1(G), scalar(r + 3n), new Uint8Array(128), scalar(9n), g1(G.double()), scalar(0n), g1(G), scalar(4n))
    expect(blsG1Msm(g1in, 1_000_000, prague).output).toEqual(g1(G.multiply(7n)))
    const g2in = concatBytes(g2(H), scalar(5n), g2(H.double()), scalar(6n), g2(H), scalar(r - 1n))
    expect(blsG2Msm(g2in, 1_000_000, prague).output).toEqual(g2(H.multiply(16n)))
  })
  test('pairing check: e(G, H) · e(-G, H) = 1', () => {
    const r = blsPairing(concatBytes(g1(G), g2(H), g1(G.negate()), g2(H)), 200_000, prague)
    expect(r.gasUsed).toBe(37700 + 2 * 32600)
    expect(r.output[31]).toBe(1)
    expect(blsPairing(concatBytes(g1(G), g2(H)), 200_000, prague).output[31]).toBe(0)
  })
  test('MAP_FP_TO_G1 official vector', () => {
    const r = blsMapFpToG1(hexToBytes('0x00000000000000000000000000000000156c8a6a2c184569d69a76be144b5cdc5141d2d2ca4fe341f011e25e3969c55ad9e9b9ce2eb833c81a908e5fa4ac5f03'), 10_000, prague)
    expect(r.gasUsed).toBe(5500)
    expect(bytesToHex(r.output)).toBe('0x00000000000000000000000000000000184bb665c37ff561a89ec2122dd343f20e0f4cbcaec84e3c3052ea81d1834e192c426074b02ed3dca4e7676ce4ce48ba0000000000000000000000000000000004407b8d35af4dacc809927071fc0405218f1401a6d15af775810e4e460064bcc9468beeba82fdc751be70476c888bf3')
  })
  test('MAP_FP2_TO_G2 gives a subgroup point; field elements ≥ p fail', () => {
    const r = blsMapFp2ToG2(concatBytes(fp(1n), fp(2n)), 30_000, prague)
    expect(r.gasUsed).toBe(23800)
    expect(r.output.length).toBe(256)
    const p = bls12_381.fields.Fp.ORDER
    expect(blsMapFpToG1(fp(p), 10_000, prague).status).toBe('error')
  })
})
