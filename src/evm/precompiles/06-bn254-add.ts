/** 0x06 ECADD on alt_bn128 (EIP-196), 150 gas (EIP-1108). */
import { decodeG1, encodeG1 } from './bn254.ts'
import { failure, ok, outOfGas, padded, type Precompile } from './types.ts'

export const BN254_ADD_GAS = 150

export const bn254Add: Precompile = (input, gasLimit) => {
  if (gasLimit < BN254_ADD_GAS) return outOfGas(gasLimit)
  const d = padded(input, 0, 128)
  const a = decodeG1(d.subarray(0, 64)), b = decodeG1(d.subarray(64, 128))
  if (!a || !b) return failure(gasLimit)
  return ok(BN254_ADD_GAS, encodeG1(a.add(b)))
}
