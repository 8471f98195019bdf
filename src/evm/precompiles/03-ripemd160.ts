/** 0x03 RIPEMD160: 600 + 120 per word; the 20-byte digest left-padded to 32. */
import { ripemd160 as hash } from '../../crypto/index.ts'
import { ok, outOfGas, wordCount, type Precompile } from './types.ts'

export const RIPEMD160_BASE_GAS = 600
export const RIPEMD160_WORD_GAS = 120

export const ripemd160: Precompile = (input, gasLimit) => {
  const gas = RIPEMD160_BASE_GAS + RIPEMD160_WORD_GAS * wordCount(input.length)
  if (gasLimit < gas) return outOfGas(gasLimit)
  const out = new Uint8Array(32)
  out.set(hash(input), 12)
  return ok(gas, out)
}
