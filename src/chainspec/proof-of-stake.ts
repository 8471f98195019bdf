/**
 * Mosaic is a proof-of-stake client: it neither mines nor validates proof-of-work, and its
 * pool and block builder assume London fees. A chain qualifies when Paris rules hold from its
 * genesis block (a genesis.json with "terminalTotalDifficulty": 0), or when its spec names the
 * block it merged at (the built-in networks). Anything else would mine pre-London blocks and
 * sign transactions its own pool rejects.
 */
import { isForkAtLeast } from '../types/index.ts'
import { forkAt } from './forks.ts'
import type { ChainSpec } from './types.ts'

/** Why `spec` is not a proof-of-stake chain Mosaic can run, in one phrase; undefined when it is. */
export function proofOfStakeProblem(spec: ChainSpec): string | undefined {
  if (isForkAtLeast(forkAt(spec, 0n, spec.genesis.timestamp), 'paris')) return undefined
  if (spec.forks.some((f) => f.fork === 'paris' && 'block' in f)) return undefined
  if (spec.terminalTotalDifficulty === undefined)
    return 'its config has no terminalTotalDifficulty, and Mosaic runs proof-of-stake chains only; set "terminalTotalDifficulty": 0 (merged from genesis)'
  return `its terminalTotalDifficulty is ${spec.terminalTotalDifficulty}, not 0: Mosaic knows the merge block only of the built-in networks; set it to 0 (merged from genesis)`
}
