/** Precompiles are pure functions of (input, gas limit, fork rules). */

/** The fork rules a precompile reads (a `Fork` is one). */
export interface PrecompileRules {
  /** EIP-7823 modexp input bounds and EIP-7883 modexp pricing. */
  readonly eip7883: boolean
}

export interface PrecompileResult {
  /** 'outOfGas' and 'error' consume all gas given to the call. */
  status: 'success' | 'outOfGas' | 'error'
  gasUsed: number
  output: Uint8Array
}

export type Precompile = (input: Uint8Array, gasLimit: number, fork: PrecompileRules) => PrecompileResult

const EMPTY = new Uint8Array(0)
export const ok = (gasUsed: number, output: Uint8Array): PrecompileResult => ({ status: 'success', gasUsed, output })
export const outOfGas = (gasLimit: number): PrecompileResult => ({ status: 'outOfGas', gasUsed: gasLimit, output: EMPTY })
export const failure = (gasLimit: number): PrecompileResult => ({ status: 'error', gasUsed: gasLimit, output: EMPTY })

/** Input bytes [start, start+len), zero-padded past the end. */
export function padded(input: Uint8Array, start: number, len: number): Uint8Array {
  const out = new Uint8Array(len)
  if (start < input.length) out.set(input.subarray(start, Math.min(input.length, start + len)))
  return out
}

export const wordCount = (len: number): number => Math.ceil(len / 32)
