/** 0x09 BLAKE2 F compression (EIP-152): 213-byte input, 1 gas per round; F runs natively. */
import { blake2f as compress } from '../../crypto/index.ts'
import { failure, ok, outOfGas, type Precompile } from './types.ts'

export const BLAKE2F_ROUND_GAS = 1
export const BLAKE2F_INPUT_LENGTH = 213

export const blake2f: Precompile = (input, gasLimit) => {
  if (input.length !== BLAKE2F_INPUT_LENGTH) return failure(gasLimit)
  const rounds = new DataView(input.buffer, input.byteOffset, 4).getUint32(0, false)
  const gas = BLAKE2F_ROUND_GAS * rounds
  if (gasLimit < gas) return outOfGas(gasLimit)
  const flag = input[212]
  if (flag !== 0 && flag !== 1) return failure(gasLimit)
  return ok(gas, compress(input))
}
