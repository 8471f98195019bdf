/**
 * Edge-case inputs per precompile for the differential fuzzer: empty, short, long and random
 * inputs for every address, plus well-formed ones (valid signatures and points, modexp headers
 * at the size bounds, blake2f round counts and final flags, KZG proofs) so that the success
 * paths and their gas are compared too.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { p256 } from '@noble/curves/nist.js'
import { blobToKzgCommitment, computeKzgProof, sha256, sign } from '../../src/crypto/index.ts'
import { bigintToWord, concatBytes } from '../../src/primitives/index.ts'
import { fp, g1, g2 } from '../../src/evm/testing/bls-encoding.ts'
import type { Rng } from './rng.ts'

const word = (v: bigint | number) => bigintToWord(BigInt(v))
const BN_G1 = concatBytes(word(1), word(2))
const BN_G2 = concatBytes(
  word(0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2n),
  word(0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6edn),
  word(0x090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975bn),
  word(0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daan),
)
const BLS_G1 = g1(bls12_381.G1.Point.BASE)
const BLS_G2 = g2(bls12_381.G2.Point.BASE)
const BLS_G1_ZERO = new Uint8Array(128)
const BLS_G2_ZERO = new Uint8Array(256)

let kzgInput: Uint8Array | undefined
/** A valid EIP-4844 point evaluation input (zero blob, z = 1). */
function pointEvaluation(): Uint8Array {
  if (kzgInput) return kzgInput
  const blob = new Uint8Array(131_072)
  const commitment = blobToKzgCommitment(blob)
  const z = word(1)
  const { proof, y } = computeKzgProof(blob, z)
  const hash = sha256(commitment)
  hash[0] = 1
  return (kzgInput = concatBytes(hash, z, y, commitment, proof))
}

function modexp(rng: Rng): Uint8Array {
  const len = () => rng.pick([0, 1, 2, 31, 32, 33, 64, 128, 1024, 1025])
  const b = len(), e = rng.chance(0.3) ? rng.pick([0, 1, 32, 33, 1024, 1025]) : rng.int(8), m = len()
  const body = rng.bytes(Math.min(b + e + m, 3000))
  return concatBytes(word(b), word(e), word(m), rng.chance(0.8) ? body : body.subarray(0, rng.int(body.length + 1)))
}

function blake2f(rng: Rng): Uint8Array {
  const rounds = rng.pick([0, 1, 12, 100, 0xffffffff])
  const input = concatBytes(Uint8Array.of(rounds >>> 24, (rounds >>> 16) & 0xff, (rounds >>> 8) & 0xff, rounds & 0xff), rng.bytes(208), Uint8Array.of(rng.pick([0, 1, 2])))
  return rng.chance(0.9) ? input : input.subarray(0, rng.int(213))
}

function ecrecover(rng: Rng): Uint8Array {
  const hash = rng.bytes(32)
  const sig = sign(hash, concatBytes(new Uint8Array(31), Uint8Array.of(7)))
  const v = rng.chance(0.8) ? 27 + sig.yParity : rng.pick([0, 1, 26, 29, 256 + 27])
  return concatBytes(hash, word(v), word(rng.chance(0.9) ? sig.r : 0n), word(sig.s))
}

function p256verify(rng: Rng): Uint8Array {
  const priv = p256.utils.randomSecretKey(rng.bytes(48))
  const hash = rng.bytes(32)
  const sig = p256.sign(hash, priv, { prehash: false, format: 'compact' })
  const pub = p256.getPublicKey(priv, false).subarray(1)
  const input = concatBytes(hash, sig, pub)
  if (rng.chance(0.2)) input[rng.int(160)]! ^= 1
  return input
}

/** One input for the precompile at `address` (low two bytes). */
export function precompileInput(rng: Rng, address: number): Uint8Array {
  if (rng.chance(0.15)) return rng.chance(0.3) ? new Uint8Array(0) : rng.bytes(rng.int(300))
  const n = () => 1 + rng.int(3)
  switch (address) {
    case 0x01: return ecrecover(rng)
    case 0x02: case 0x03: case 0x04: return rng.bytes(rng.pick([0, 1, 31, 32, 33, 64, 65, 200]))
    case 0x05: return modexp(rng)
    case 0x06: return concatBytes(rng.pick([BN_G1, new Uint8Array(64)]), rng.pick([BN_G1, new Uint8Array(64), concatBytes(word(1), word(3))]))
    case 0x07: return concatBytes(rng.pick([BN_G1, new Uint8Array(64)]), word(rng.pick([0n, 1n, 2n, (1n << 256n) - 1n])))
    case 0x08: return concatBytes(...Array.from({ length: rng.int(3) }, () => concatBytes(rng.pick([BN_G1, new Uint8Array(64)]), rng.pick([BN_G2, new Uint8Array(128)]))))
    case 0x09: return blake2f(rng)
    case 0x0a: { const x = pointEvaluation().slice(); if (rng.chance(0.3)) x[rng.int(192)]! ^= 1; return x }
    case 0x0b: return concatBytes(rng.pick([BLS_G1, BLS_G1_ZERO]), rng.pick([BLS_G1, BLS_G1_ZERO]))
    case 0x0c: return concatBytes(...Array.from({ length: n() }, () => concatBytes(rng.pick([BLS_G1, BLS_G1_ZERO]), word(rng.pick([0n, 1n, 2n, (1n << 256n) - 1n])))))
    case 0x0d: return concatBytes(rng.pick([BLS_G2, BLS_G2_ZERO]), rng.pick([BLS_G2, BLS_G2_ZERO]))
    case 0x0e: return concatBytes(...Array.from({ length: n() }, () => concatBytes(rng.pick([BLS_G2, BLS_G2_ZERO]), word(rng.pick([0n, 1n, 3n])))))
    case 0x0f: return concatBytes(...Array.from({ length: n() }, () => concatBytes(rng.pick([BLS_G1, BLS_G1_ZERO]), rng.pick([BLS_G2, BLS_G2_ZERO]))))
    case 0x10: return fp(rng.pick([0n, 1n, rng.word() >> 200n]))
    case 0x11: return concatBytes(fp(rng.pick([0n, 1n])), fp(rng.word() >> 200n))
    case 0x100: return p256verify(rng)
  }
  return rng.bytes(rng.int(200))
}
