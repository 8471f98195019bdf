/** 0x10 BLS12_MAP_FP_TO_G1 (EIP-2537): 5500 gas; SWU map plus cofactor clearing. */
import { BLS12_MAP_FP_TO_G1_GAS, G1, decodeFp, encodeG1, runBls, type G1P } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsMapFpToG1: Precompile = (input, gasLimit) => {
  if (input.length !== 64) return failure(gasLimit)
  return runBls(gasLimit, BLS12_MAP_FP_TO_G1_GAS, () => {
    const u = decodeFp(input)
    return u === undefined ? undefined : encodeG1(G1.mapToCurve(u as never) as unknown as G1P)
  })
}
