/**
 * What a workload is: `generate:KEY=VALUE,...` parsed into a `WorkloadSpec`, and the genesis of
 * its chain (a geth genesis.json, so the chain can be written out and read back with
 * `--chain FILE`): funded senders, the token contracts holding each sender's balance, the
 * storage churner.
 */
import { keccak256, privateKeyToAddress } from '../../crypto/index.ts'
import { bigintToHex, bigintToWord, bytesToHex, utf8ToBytes, type Address } from '../../primitives/index.ts'
import { StateDiffError } from '../errors.ts'
import { CHURN_RUNTIME, TOKEN_RUNTIME } from './contracts.ts'

export interface WorkloadSpec {
  /** Height of the final head. */
  blocks: number
  /** Accounts the state grows to (about; genesis ones included). */
  accounts: number
  /** Non-zero storage slots the state grows to (about). */
  slots: number
  seed: number
  /** `shanghai` (self-destruct removes accounts and storage) or `cancun` (EIP-6780). */
  fork: 'shanghai' | 'cancun'
  /** A reorg (1 to 3 blocks deep) every this many blocks; 0: none. */
  reorgs: number
  senders: number
  tokens: number
}

export const DEFAULT_WORKLOAD: WorkloadSpec = { blocks: 100, accounts: 1000, slots: 5000, seed: 1, fork: 'shanghai', reorgs: 0, senders: 16, tokens: 2 }

const NUMBER_KEYS = ['blocks', 'accounts', 'slots', 'seed', 'reorgs', 'senders', 'tokens'] as const

/** Parses `generate:blocks=200,accounts=5000,...` (or the part after the colon); unknown keys are errors. */
export function parseWorkloadSpec(text: string): WorkloadSpec {
  const body = text.startsWith('generate:') ? text.slice('generate:'.length) : text === 'generate' ? '' : text
  const spec: WorkloadSpec = { ...DEFAULT_WORKLOAD }
  for (const part of body.split(',').filter((p) => p.length > 0)) {
    const [key, value, extra] = part.split('=')
    if (value === undefined || extra !== undefined) throw new StateDiffError('MALFORMED', `workload: ${JSON.stringify(part)} is not KEY=VALUE`)
    if (key === 'fork') {
      if (value !== 'shanghai' && value !== 'cancun') throw new StateDiffError('MALFORMED', `workload: fork must be shanghai or cancun, got ${JSON.stringify(value)}`)
      spec.fork = value
    } else if ((NUMBER_KEYS as readonly string[]).includes(key!)) {
      if (!/^[0-9]+$/.test(value)) throw new StateDiffError('MALFORMED', `workload: ${key} must be a whole number, got ${JSON.stringify(value)}`)
      spec[key as (typeof NUMBER_KEYS)[number]] = Number(value)
    } else {
      throw new StateDiffError('MALFORMED', `workload: unknown key ${JSON.stringify(key)}`, { details: `keys: ${[...NUMBER_KEYS, 'fork'].join(', ')}` })
    }
  }
  if (spec.blocks < 1) throw new StateDiffError('MALFORMED', 'workload: blocks must be at least 1')
  if (spec.senders < 1 || spec.senders > 10_000) throw new StateDiffError('MALFORMED', 'workload: senders must be 1 to 10000')
  if (spec.tokens < 1 || spec.tokens > 100) throw new StateDiffError('MALFORMED', 'workload: tokens must be 1 to 100')
  return spec
}

export const formatWorkloadSpec = (s: WorkloadSpec): string =>
  `generate:blocks=${s.blocks},accounts=${s.accounts},slots=${s.slots},seed=${s.seed},fork=${s.fork},reorgs=${s.reorgs},senders=${s.senders},tokens=${s.tokens}`

/** keccak256 of `label` under the seed: the workload's deterministic bytes. */
export const seeded = (seed: number, label: string): Uint8Array => keccak256(utf8ToBytes(`mosaic statesync workload ${seed} ${label}`))

export interface WorkloadSender {
  key: Uint8Array
  address: Address
}

export const workloadSenders = (s: WorkloadSpec): WorkloadSender[] =>
  Array.from({ length: s.senders }, (_, i) => {
    const key = seeded(s.seed, `sender ${i}`)
    return { key, address: privateKeyToAddress(key) }
  })

export const tokenAddress = (s: WorkloadSpec, i: number): Address => seeded(s.seed, `token ${i}`).subarray(12)
export const churnAddress = (s: WorkloadSpec): Address => seeded(s.seed, 'churn').subarray(12)
export const WORKLOAD_CHAIN_ID = 381_337n
export const SENDER_BALANCE = 10n ** 30n
export const GAS_LIMIT = 100_000_000n

/** The workload chain's genesis.json (geth's format). */
export function workloadGenesis(s: WorkloadSpec): Record<string, unknown> {
  const senders = workloadSenders(s)
  const alloc: Record<string, Record<string, unknown>> = {}
  for (const x of senders) alloc[bytesToHex(x.address)] = { balance: bigintToHex(SENDER_BALANCE) }
  const holdings = Object.fromEntries(senders.map((x) => [bytesToHex(bigintToWord(BigInt(bytesToHex(x.address)))), bytesToHex(bigintToWord(SENDER_BALANCE))]))
  for (let i = 0; i < s.tokens; i++) alloc[bytesToHex(tokenAddress(s, i))] = { balance: '0x0', nonce: '0x1', code: bytesToHex(TOKEN_RUNTIME), storage: holdings }
  alloc[bytesToHex(churnAddress(s))] = { balance: '0x0', nonce: '0x1', code: bytesToHex(CHURN_RUNTIME) }
  const atBlock0 = ['homestead', 'eip150', 'eip155', 'eip158', 'byzantium', 'constantinople', 'petersburg', 'istanbul', 'berlin', 'london']
  return {
    config: {
      chainId: Number(WORKLOAD_CHAIN_ID),
      ...Object.fromEntries(atBlock0.map((f) => [`${f}Block`, 0])),
      mergeNetsplitBlock: 0,
      terminalTotalDifficulty: 0,
      shanghaiTime: 0,
      ...(s.fork === 'cancun' ? { cancunTime: 0 } : {}),
    },
    alloc,
    gasLimit: bigintToHex(GAS_LIMIT),
    difficulty: '0x0',
    timestamp: '0x0',
  }
}
