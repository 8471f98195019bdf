/**
 * Which fork rules apply at a block, which blob parameters, and the fork schedule that EIP-2124
 * fork ids are computed from.
 */
import { FORKS, type ForkName } from '../types/index.ts'
import type { BlobParams, ChainSpec, ScheduledFork } from './types.ts'

const EVM_FORKS: ReadonlySet<string> = new Set(FORKS)

function active(a: ChainSpec['forks'][number], number: bigint, timestamp: bigint): boolean {
  return 'block' in a ? number >= a.block : timestamp >= a.timestamp
}

/** The EVM fork in force at (number, timestamp): the last activated fork that changes rules. */
export function forkAt(spec: ChainSpec, number: bigint, timestamp: bigint): ForkName {
  let fork: ForkName = 'frontier'
  for (const a of spec.forks) if (EVM_FORKS.has(a.fork) && active(a, number, timestamp)) fork = a.fork as ForkName
  return fork
}

/** Blob parameters at `timestamp`, or undefined before Cancun. */
export function blobParamsAt(spec: ChainSpec, timestamp: bigint): BlobParams | undefined {
  let params: BlobParams | undefined
  for (const a of spec.forks) {
    if ('timestamp' in a && timestamp >= a.timestamp && spec.blobSchedule[a.fork]) params = spec.blobSchedule[a.fork]
  }
  return params
}

/** Whether `fork` is active at (number, timestamp). */
export function isActive(spec: ChainSpec, fork: ScheduledFork, number: bigint, timestamp: bigint): boolean {
  const a = spec.forks.find((f) => f.fork === fork)
  return a !== undefined && active(a, number, timestamp)
}

/** Block and time fork points for EIP-2124 fork ids: distinct, non-zero, after genesis. */
export function forkPoints(spec: ChainSpec): { blockForks: bigint[]; timeForks: bigint[] } {
  const blocks = new Set<bigint>()
  const times = new Set<bigint>()
  for (const a of spec.forks) {
    if (a.inForkId === false) continue
    if ('block' in a) {
      if (a.block > 0n) blocks.add(a.block)
    } else if (a.timestamp > spec.genesis.timestamp) times.add(a.timestamp)
  }
  const sort = (s: Set<bigint>) => [...s].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
  return { blockForks: sort(blocks), timeForks: sort(times) }
}
