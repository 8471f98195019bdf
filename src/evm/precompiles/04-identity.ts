/** 0x04 IDENTITY: 15 + 3 per word; returns a copy of the input. */
import { ok, outOfGas, wordCount, type Precompile } from './types.ts'

export const IDENTITY_BASE_GAS = 15
export const IDENTITY_WORD_GAS = 3

export const identity: Precompile = (input, gasLimit) => {
  const gas = IDENTITY_BASE_GAS + IDENTITY_WORD_GAS * wordCount(input.length)
  if (gasLimit < gas) return outOfGas(gasLimit)
  return ok(gas, input.slice())
}
