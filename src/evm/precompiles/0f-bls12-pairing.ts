/** 0x0f BLS12_PAIRING_CHECK (EIP-2537): 37700 + 32600·k gas; 32-byte 1 if the product of pairings is 1. */
import { BLS12_PAIRING_BASE_GAS, BLS12_PAIRING_PAIR_GAS, Fp12, decodeG1, decodeG2, pairingBatch, runBls, type G1P, type G2P } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsPairing: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % 384 !== 0) return failure(gasLimit)
  const k = input.length / 384
  return runBls(gasLimit, BLS12_PAIRING_BASE_GAS + BLS12_PAIRING_PAIR_GAS * k, () => {
    const pairs: { g1: G1P; g2: G2P }[] = []
    for (let i = 0; i < k; i++) {
      const g1 = decodeG1(input.subarray(i * 384, i * 384 + 128), true)
      const g2 = decodeG2(input.subarray(i * 384 + 128, i * 384 + 384), true)
      if (!g1 || !g2) return undefined
      if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 })
    }
    const out = new Uint8Array(32)
    if (pairs.length === 0 || Fp12.eql(pairingBatch(pairs), Fp12.ONE)) out[31] = 1
    return out
  })
}
