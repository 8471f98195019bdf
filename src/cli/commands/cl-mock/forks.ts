/**
 * Which Engine API versions cl-mock calls for a fork, and how it learns the target's fork
 * schedule.
 *
 * The Engine API never states forks: engine_exchangeCapabilities lists methods, not the fork of
 * a timestamp. cl-mock has two sources:
 *
 * - `--chain NAME|GENESIS`: the schedule itself; the fork at each timestamp is read from it.
 * - without it, the target's own answers. Each slot first tries the fork the last slot ran on;
 *   `-38005 Unsupported fork` (and `-38003` from forkchoiceUpdatedV2, which is how it refuses
 *   Shanghai attributes at a Paris timestamp), or `-32601 Method not found` from a client that
 *   never implemented that fork's version, moves on to the next candidate, newer forks first
 *   (forks only advance with time), then older ones. The getPayload version that answers names
 *   the fork. This is the error the spec gives a consensus client that picked the wrong version,
 *   so it works against any client, at the cost of a refused call or two when a fork activates.
 *
 * The versions themselves come from the Engine API's own tables (src/engine/versions.ts): for
 * each method, the newest version that serves the fork.
 */
import type { ChainSpec } from '../../../chainspec/index.ts'
import {
  ENGINE_FORKS,
  engineFork,
  FORKCHOICE_ATTRIBUTES_FORKS,
  GET_PAYLOAD_FORKS,
  NEW_PAYLOAD_FORKS,
  payloadShapeOf,
  type EngineFork,
  type PayloadShape,
} from '../../../engine/index.ts'

export interface ForkVersions {
  fork: EngineFork
  forkchoice: 1 | 2 | 3
  getPayload: 1 | 2 | 3 | 4 | 5
  newPayload: 1 | 2 | 3 | 4
  /** The PayloadAttributes structure: V1, V2 (+ withdrawals), V3 (+ parentBeaconBlockRoot). */
  attributes: PayloadShape
}

function newest<V extends number>(table: Readonly<Record<V, readonly EngineFork[]>>, fork: EngineFork): V {
  const served = (Object.keys(table).map(Number) as V[]).filter((v) => table[v].includes(fork))
  return Math.max(...served) as V
}

export function versionsOf(fork: EngineFork): ForkVersions {
  return {
    fork,
    forkchoice: newest(FORKCHOICE_ATTRIBUTES_FORKS, fork),
    getPayload: newest(GET_PAYLOAD_FORKS, fork),
    newPayload: newest(NEW_PAYLOAD_FORKS, fork),
    attributes: payloadShapeOf(fork),
  }
}

/** The forks to try in order: `first`, then the newer ones, then the older ones (nearest first). */
export function candidates(first: EngineFork): EngineFork[] {
  const i = ENGINE_FORKS.indexOf(first)
  return [first, ...ENGINE_FORKS.slice(i + 1), ...ENGINE_FORKS.slice(0, i).reverse()]
}

/** Where the fork of a slot comes from. */
export interface ForkSchedule {
  /** Whether the schedule is known (`--chain`): then `candidatesAt` is one fork, never wrong. */
  readonly known: boolean
  /** The forks to try for a build at `timestamp`, the likeliest first. */
  candidatesAt(timestamp: bigint): EngineFork[]
  /** The fork a slot turned out to run on (the next slot starts from it). */
  learn(fork: EngineFork): void
}

export function knownSchedule(spec: ChainSpec): ForkSchedule {
  return { known: true, candidatesAt: (t) => [engineFork(spec, t)], learn: () => {} }
}

/** Learned from the target's answers, starting from the newest fork. */
export function probedSchedule(): ForkSchedule {
  let last: EngineFork = ENGINE_FORKS[ENGINE_FORKS.length - 1]!
  return {
    known: false,
    candidatesAt: () => candidates(last),
    learn: (fork) => {
      last = fork
    },
  }
}

/** The newPayload and forkchoiceUpdated versions of a block by its structure (a followed block: no guessing). */
export function versionsOfHeader(h: { withdrawalsRoot?: unknown; parentBeaconBlockRoot?: unknown; requestsHash?: unknown }): { newPayload: 1 | 2 | 3 | 4; forkchoice: 1 | 2 | 3 } {
  if (h.requestsHash !== undefined) return { newPayload: 4, forkchoice: 3 }
  if (h.parentBeaconBlockRoot !== undefined) return { newPayload: 3, forkchoice: 3 }
  return h.withdrawalsRoot !== undefined ? { newPayload: 2, forkchoice: 2 } : { newPayload: 1, forkchoice: 1 }
}
