/**
 * Our eth Status and EIP-2124 fork schedule from a chain spec and a head. A node that holds only
 * the genesis (the txpool profile) announces the genesis as its head: its fork id is the
 * genesis checksum with the first fork as `next`, which synced peers accept (EIP-2124 rule 2:
 * a peer on one of our past forks that knows the fork that followed), and it accepts theirs
 * (rule 3: the remote is ahead on our known forks).
 *
 * Callers: the eth service, which follows the chain head with it.
 */
import { forkPoints, type ChainSpec } from '../../chainspec/index.ts'
import type { Hash } from '../../primitives/index.ts'
import { headerHash, type Header } from '../../types/index.ts'
import { computeForkId, forkScheduleOf, type ChainHead, type ForkSchedule } from '../../chainspec/index.ts'
import type { EthVersion, Status } from './messages.ts'

export interface StatusHead {
  number: bigint
  time: bigint
  hash: Hash
  /** Total difficulty (eth/68 only; the genesis difficulty for a node at genesis). */
  td: bigint
}

/**
 * The Status head of a chain header. The chain keeps no total difficulty: the genesis carries its
 * own, and past it the terminal total difficulty stands in (eth/68 only; since the merge no
 * client acts on it, and eth/69 dropped it, EIP-7642).
 */
export function statusHeadOf(spec: ChainSpec, h: Header): StatusHead {
  const td = h.number === 0n ? h.difficulty : (spec.terminalTotalDifficulty ?? h.difficulty)
  return { number: h.number, time: h.timestamp, hash: headerHash(h), td }
}

/** Our Status for the negotiated eth version. */
export function chainStatus(spec: ChainSpec, genesisHash: Hash, head: StatusHead, version: EthVersion): Status {
  const forkId = computeForkId(forkScheduleOf(spec, genesisHash), { number: head.number, time: head.time } satisfies ChainHead)
  if (version === 68) return { kind: 'Status', version, networkId: spec.networkId, td: head.td, bestHash: head.hash, genesisHash, forkId }
  return { kind: 'Status', version, networkId: spec.networkId, genesisHash, forkId, earliestBlock: 0n, latestBlock: head.number, latestBlockHash: head.hash }
}
