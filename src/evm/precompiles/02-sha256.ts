/** 0x02 SHA256: 60 + 12 per word. */
import { sha256 as hash } from '../../crypto/index.ts'
import { ok, outOfGas, wordCount, type Precompile } from './types.ts'

export const SHA256_BASE_GAS = 60
export const SHA256_WORD_GAS = 12

export const sha256: Precompile = (input, gasLimit) => {
  const gas = SHA256_BASE_GAS + SHA256_WORD_GAS * wordCount(input.length)
  if (gasLimit < gas) return outOfGas(gasLimit)
  return ok(gas, hash(input))
}
