/** 0x0d BLS12_G2ADD (EIP-2537): 600 gas; points must be on the curve (no subgroup check). */
import { BLS12_G2ADD_GAS, decodeG2, encodeG2, runBls } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsG2Add: Precompile = (input, gasLimit) => {
  if (input.length !== 512) return failure(gasLimit)
  return runBls(gasLimit, BLS12_G2ADD_GAS, () => {
    const a = decodeG2(input.subarray(0, 256), false), b = decodeG2(input.subarray(256, 512), false)
    return a && b ? encodeG2(a.add(b)) : undefined
  })
}
