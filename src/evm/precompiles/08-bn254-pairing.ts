/** 0x08 pairing check on alt_bn128 (EIP-197): 45000 + 34000 per pair (EIP-1108). */
import { bn254Fp12, bn254Pairing, decodeG1, decodeG2 } from './bn254.ts'
import { failure, ok, outOfGas, type Precompile } from './types.ts'

export const BN254_PAIRING_BASE_GAS = 45000
export const BN254_PAIRING_PAIR_GAS = 34000

export const bn254PairingCheck: Precompile = (input, gasLimit) => {
  if (input.length % 192 !== 0) return failure(gasLimit)
  const k = input.length / 192
  const gas = BN254_PAIRING_BASE_GAS + BN254_PAIRING_PAIR_GAS * k
  if (gasLimit < gas) return outOfGas(gasLimit)
  const pairs: { g1: NonNullable<ReturnType<typeof decodeG1>>; g2: NonNullable<ReturnType<typeof decodeG2>> }[] = []
  for (let i = 0; i < k; i++) {
    const g1 = decodeG1(input.subarray(i * 192, i * 192 + 64))
    const g2 = decodeG2(input.subarray(i * 192 + 64, i * 192 + 192))
    if (!g1 || !g2) return failure(gasLimit)
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 })
  }
  const out = new Uint8Array(32)
  if (pairs.length === 0 || bn254Fp12.eql(bn254Pairing(pairs), bn254Fp12.ONE)) out[31] = 1
  return ok(gas, out)
}
