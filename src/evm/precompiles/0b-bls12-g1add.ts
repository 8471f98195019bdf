/** 0x0b BLS12_G1ADD (EIP-2537): 375 gas; points must be on the curve (no subgroup check). */
import { BLS12_G1ADD_GAS, decodeG1, encodeG1, runBls } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsG1Add: Precompile = (input, gasLimit) => {
  if (input.length !== 256) return failure(gasLimit)
  return runBls(gasLimit, BLS12_G1ADD_GAS, () => {
    const a = decodeG1(input.subarray(0, 128), false), b = decodeG1(input.subarray(128, 256), false)
    return a && b ? encodeG1(a.add(b)) : undefined
  })
}
