/**
 * Our eth Status and EIP-2124 fork schedule from a chain spec and a head. A node that holds only
 * the genesis (the txpool profile) announces the genesis as its head: its fork id is the
 * genesis checksum with the first fork as `next`, which synced peers accept (EIP-2124 rule 2:
 * a peer on one of our past forks that knows the fork that followed), and it accepts theirs
 * (rule 3: the remote is ahead on our known forks).
 *
 * Callers: the transaction gossip and, later, sync.
 */
import { forkPoints, type ChainSpec } from '../../chainspec/index.ts'
import type { Hash } from '../../primitives/index.ts'
import { computeForkId, type ChainHead, type ForkSchedule } from './forkid.ts'
import type { EthVersion, Status } from './messages.ts'

export interface StatusHead {
  number: bigint
  time: bigint
  hash: Hash
  /** Total difficulty (eth/68 only; the genesis difficulty for a node at genesis). */
  td: bigint
}

export function forkScheduleOf(spec: ChainSpec, genesisHash: Hash): ForkSchedule {
  const { blockForks, timeForks } = forkPoints(spec)
  return { genesisHash, genesisTime: spec.genesis.timestamp, blockForks, timeForks }
}

/** Our Status for the negotiated eth version. */
export function chainStatus(spec: ChainSpec, genesisHash: Hash, head: StatusHead, version: EthVersion): Status {
  const forkId = computeForkId(forkScheduleOf(spec, genesisHash), { number: head.number, time: head.time } satisfies ChainHead)
  if (version === 68) return { kind: 'Status', version, networkId: spec.networkId, td: head.td, bestHash: head.hash, genesisHash, forkId }
  return { kind: 'Status', version, networkId: spec.networkId, genesisHash, forkId, earliestBlock: 0n, latestBlock: head.number, latestBlockHash: head.hash }
}
