/**
 * 0x0a KZG point evaluation (EIP-4844): 50000 gas. Checks that `commitment` hashes to
 * `versionedHash` and that the KZG proof shows p(z) = y, via one pairing check with the
 * ceremony's [τ]G₂ (the only trusted-setup value verification needs):
 *   e(C − [y]G₁, −G₂) · e(π, [τ]G₂ − [z]G₂) = 1
 * c-kzg (src/crypto/kzg.ts) checks it, 12× faster than the same check over @noble/curves
 * (bench/kzg.bench.ts); the @noble/curves one stays for builds without c-kzg and as the bench's
 * baseline.
 */
import { bls12_381, loadKzg, sha256, verifyKzgProof } from '../../crypto/index.ts'
import { bigintToWord, bytesToBigint, concatBytes, equalBytes, hexToBytes } from '../../primitives/index.ts'
import { failure, ok, outOfGas, type Precompile } from './types.ts'

export const POINT_EVALUATION_GAS = 50000
export const VERSIONED_HASH_VERSION_KZG = 0x01
export const FIELD_ELEMENTS_PER_BLOB = 4096n
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n

/** [τ]G₂ from the Ethereum KZG ceremony (trusted_setup.txt, g2_monomial[1]), compressed. */
const TAU_G2 = hexToBytes(
  '0xb5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2',
)
const SUCCESS_OUTPUT = concatBytes(bigintToWord(FIELD_ELEMENTS_PER_BLOB), bigintToWord(BLS_MODULUS))

const { G1, G2 } = bls12_381
let tauG2: ReturnType<typeof G2.Point.fromBytes> | undefined

/** verify_kzg_proof from the deneb polynomial-commitments spec, over @noble/curves. */
export function verifyKzgProofNoble(commitment: Uint8Array, z: bigint, y: bigint, proof: Uint8Array): boolean {
  if (z >= BLS_MODULUS || y >= BLS_MODULUS) return false
  let c, pi
  try {
    c = G1.Point.fromBytes(commitment) // checks the encoding, the curve and the subgroup
    pi = G1.Point.fromBytes(proof)
  } catch {
    return false
  }
  tauG2 ??= G2.Point.fromBytes(TAU_G2)
  const xMinusZ = z === 0n ? tauG2 : tauG2.subtract(G2.Point.BASE.multiply(z))
  const pMinusY = y === 0n ? c : c.subtract(G1.Point.BASE.multiply(y))
  const pairs = [
    { g1: pMinusY, g2: G2.Point.BASE.negate() },
    { g1: pi, g2: xMinusZ },
  ].filter((p) => !p.g1.is0() && !p.g2.is0())
  if (pairs.length === 0) return true
  return bls12_381.fields.Fp12.eql(bls12_381.pairingBatch(pairs), bls12_381.fields.Fp12.ONE)
}

/** Whether c-kzg loaded (decided on the first call). */
let useCKzg: boolean | undefined

export const pointEvaluation: Precompile = (input, gasLimit) => {
  if (gasLimit < POINT_EVALUATION_GAS) return outOfGas(gasLimit)
  if (input.length !== 192) return failure(gasLimit)
  const commitment = input.subarray(96, 144)
  const versioned = sha256(commitment)
  versioned[0] = VERSIONED_HASH_VERSION_KZG
  if (!equalBytes(versioned, input.subarray(0, 32))) return failure(gasLimit)
  const z = input.subarray(32, 64), y = input.subarray(64, 96), proof = input.subarray(144, 192)
  const valid = (useCKzg ??= loadKzg().loaded)
    ? verifyKzgProof(commitment, z, y, proof)
    : verifyKzgProofNoble(commitment, bytesToBigint(z), bytesToBigint(y), proof)
  if (!valid) return failure(gasLimit)
  return ok(POINT_EVALUATION_GAS, SUCCESS_OUTPUT.slice())
}
