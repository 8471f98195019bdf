/**
 * `--state.fork` names as geth's t8n and execution-spec-tests spell them: `Merge` (or `Paris`),
 * `Shanghai`, `Cancun`, `Prague`, `Osaka`, and the transition forks `XToYAtTime15k` (Y from
 * timestamp 15,000 on). Mosaic's EVM starts at Paris, so earlier forks are a configuration error,
 * as are geth's `Fork+EIP` extra-EIP names.
 */
import { isForkAtLeast, parseForkName, type ForkName } from '../../types/index.ts'
import { T8nError } from './t8n-errors.ts'

export interface T8nFork {
  /** The name as given. */
  name: string
  /** The fork whose rules apply to a block at `timestamp`. */
  at(timestamp: bigint): ForkName
}

const TRANSITION_TIME = 15_000n

/** The names `--help` lists (EEST checks a fork's name against the help text). */
export const T8N_FORK_NAMES = [
  'Merge',
  'Paris',
  'Shanghai',
  'Cancun',
  'Prague',
  'Osaka',
  'ParisToShanghaiAtTime15k',
  'MergeToShanghaiAtTime15k',
  'ShanghaiToCancunAtTime15k',
  'CancunToPragueAtTime15k',
  'PragueToOsakaAtTime15k',
] as const

const NEXT: Partial<Record<ForkName, ForkName>> = { paris: 'shanghai', shanghai: 'cancun', cancun: 'prague', prague: 'osaka' }

function single(name: string, whole: string): ForkName {
  const fork = parseForkName(name)
  if (!fork) throw new T8nError('config', `unknown fork ${JSON.stringify(whole)}; available: ${T8N_FORK_NAMES.join(', ')}`)
  if (!isForkAtLeast(fork, 'paris')) throw new T8nError('config', `fork ${JSON.stringify(whole)} is before Paris: Mosaic's EVM implements Paris (Merge) and later`)
  return fork
}

export function parseT8nFork(name: string): T8nFork {
  if (name.includes('+')) throw new T8nError('config', `extra EIPs (${JSON.stringify(name)}) are not supported; give a fork name: ${T8N_FORK_NAMES.join(', ')}`)
  const m = /^([A-Za-z]+)To([A-Za-z]+)AtTime15k$/.exec(name)
  if (m) {
    const from = single(m[1]!, name)
    const to = single(m[2]!, name)
    if (NEXT[from] !== to) throw new T8nError('config', `unknown transition ${JSON.stringify(name)}; available: ${T8N_FORK_NAMES.filter((n) => n.includes('To')).join(', ')}`)
    return { name, at: (t) => (t >= TRANSITION_TIME ? to : from) }
  }
  const fork = single(name, name)
  return { name, at: () => fork }
}
