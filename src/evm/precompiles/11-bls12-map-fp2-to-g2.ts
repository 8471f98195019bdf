/** 0x11 BLS12_MAP_FP2_TO_G2 (EIP-2537): 23800 gas; SWU map plus cofactor clearing. */
import { BLS12_MAP_FP2_TO_G2_GAS, G2, decodeFp2, encodeG2, runBls, type G2P } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsMapFp2ToG2: Precompile = (input, gasLimit) => {
  if (input.length !== 128) return failure(gasLimit)
  return runBls(gasLimit, BLS12_MAP_FP2_TO_G2_GAS, () => {
    const u = decodeFp2(input)
    return u === undefined ? undefined : encodeG2(G2.mapToCurve([u.c0, u.c1]) as unknown as G2P)
  })
}
