/**
 * EIP-2124 fork identifiers: FORK_HASH = CRC32 of the genesis hash updated with each passed fork
 * activation (block numbers, then timestamps, as 8-byte big-endian), FORK_NEXT = the next one.
 * Validation follows the EIP's rules 1, 1a, 2, 3, 4 (as geth's forkid filter does, including the
 * block-to-timestamp transition).
 *
 * Callers: the eth Status handshake (src/p2p/eth: our id, the remote's checked; its RLP form is
 * there) and eth_config (EIP-7910), so the id lives with the chain spec and not in p2p.
 */
import { bytesToBigint } from '../primitives/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { ChainSpec } from './types.ts'
import { forkPoints } from './forks.ts'

export interface ForkId {
  /** 4-byte CRC32 checksum. */
  hash: Uint8Array
  /** Next fork activation (block or timestamp), 0 when none is known. */
  next: bigint
}

export interface ForkSchedule {
  genesisHash: Uint8Array
  /** Timestamp of the genesis block: time forks at or before it are part of the genesis rules. */
  genesisTime?: bigint
  /** Activation blocks of block-based forks (any order, duplicates and 0 allowed). */
  blockForks: readonly bigint[]
  /** Activation timestamps of time-based forks. */
  timeForks: readonly bigint[]
}

export interface ChainHead {
  number: bigint
  time: bigint
}

export type ForkIdVerdict = 'ok' | 'remote-stale' | 'local-incompatible-or-stale'

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC32 (IEEE) of `data`, continuing from `crc` (0 for a fresh checksum). */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

function u64(n: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n))
  return out
}

/** CRC32 checksum `crc` extended with fork activation `fork`. */
export function checksumUpdate(crc: number, fork: bigint): number {
  return crc32(u64(fork), crc)
}

export function checksumToBytes(crc: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, crc >>> 0)
  return out
}

function gather(s: ForkSchedule): { blocks: bigint[]; times: bigint[] } {
  const uniq = (xs: readonly bigint[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const genesisTime = s.genesisTime ?? 0n
  return { blocks: uniq(s.blockForks).filter((b) => b > 0n), times: uniq(s.timeForks).filter((t) => t > genesisTime) }
}

/** Fork id of a node whose head is at `head`. */
export function computeForkId(s: ForkSchedule, head: ChainHead): ForkId {
  const { blocks, times } = gather(s)
  let crc = crc32(s.genesisHash)
  for (const f of blocks) {
    if (f > head.number) return { hash: checksumToBytes(crc), next: f }
    crc = checksumUpdate(crc, f)
  }
  for (const f of times) {
    if (f > head.time) return { hash: checksumToBytes(crc), next: f }
    crc = checksumUpdate(crc, f)
  }
  return { hash: checksumToBytes(crc), next: 0n }
}

/** Fork ids at or past this value are timestamps (mainnet Frontier launch time, as geth). */
const TIMESTAMP_THRESHOLD = 1438269973n
const MAX_U64 = (1n << 64n) - 1n

/** Checks a remote fork id against our schedule and head (EIP-2124 "Validation rules"). */
export function validateForkId(s: ForkSchedule, head: ChainHead, remote: ForkId): ForkIdVerdict {
  const { blocks, times } = gather(s)
  const forks = [...blocks, ...times]
  const sums: number[] = [crc32(s.genesisHash)]
  for (const f of forks) sums.push(checksumUpdate(sums[sums.length - 1]!, f))
  const remoteHash = bytesToBigint(remote.hash)
  const withSentinel = [...forks, MAX_U64]
  for (let i = 0; i < withSentinel.length; i++) {
    const fork = withSentinel[i]!
    const h = i >= blocks.length ? head.time : head.number
    if (h >= fork) continue
    // Rule 1: same checksum as our current state.
    if (BigInt(sums[i]!) === remoteHash) {
      // Rule 1a: the remote's announced next fork has already passed locally.
      if (remote.next > 0n && (head.number >= remote.next || (remote.next > TIMESTAMP_THRESHOLD && head.time >= remote.next)))
        return 'local-incompatible-or-stale'
      return 'ok'
    }
    // Rule 2: remote is on one of our past forks; it must know the fork that followed.
    for (let j = 0; j < i; j++) {
      if (BigInt(sums[j]!) === remoteHash) return forks[j] === remote.next ? 'ok' : 'remote-stale'
    }
    // Rule 3: remote is ahead of us on our known forks.
    for (let j = i + 1; j < sums.length; j++) if (BigInt(sums[j]!) === remoteHash) return 'ok'
    // Rule 4
    return 'local-incompatible-or-stale'
  }
  return 'local-incompatible-or-stale'
}

/** The spec's fork schedule for fork ids. */
export function forkScheduleOf(spec: ChainSpec, genesisHash: Hash): ForkSchedule {
  const { blockForks, timeForks } = forkPoints(spec)
  return { genesisHash, genesisTime: spec.genesis.timestamp, blockForks, timeForks }
}
