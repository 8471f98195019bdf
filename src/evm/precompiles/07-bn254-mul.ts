/** 0x07 ECMUL on alt_bn128 (EIP-196), 6000 gas (EIP-1108). Any 256-bit scalar. */
import { bytesToBigint } from '../../primitives/index.ts'
import { BN254_ORDER, decodeG1, encodeG1 } from './bn254.ts'
import { failure, ok, outOfGas, padded, type Precompile } from './types.ts'

export const BN254_MUL_GAS = 6000

export const bn254Mul: Precompile = (input, gasLimit) => {
  if (gasLimit < BN254_MUL_GAS) return outOfGas(gasLimit)
  const d = padded(input, 0, 96)
  const p = decodeG1(d.subarray(0, 64))
  if (!p) return failure(gasLimit)
  const k = bytesToBigint(d.subarray(64, 96)) % BN254_ORDER
  return ok(BN254_MUL_GAS, encodeG1(k === 0n || p.is0() ? p.multiplyUnsafe(0n) : p.multiplyUnsafe(k)))
}
