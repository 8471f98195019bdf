/**
 * Method versions and forks: which forks each version of newPayload, forkchoiceUpdated (its
 * payload attributes), getPayload and getBlobs serves, which structure each fork's payloads and
 * attributes take, and the spec's answer to a mismatch. The rules differ between versions; each
 * line cites the spec file (ethereum/execution-apis src/engine/) it comes from.
 *
 * The fork is the one in force at the payload's (or attributes') timestamp: every fork since the
 * merge activates by timestamp, so the block number plays no part once Paris is reached.
 *
 * Order of checks, where the spec fixes one (cancun.md, newPayloadV3 1–2 and
 * forkchoiceUpdatedV3 2): first the structure against every shape the method accepts (-32602,
 * or -38003 for attributes), then the fork (-38005), then that the shape is the fork's (-32602
 * or -38003, shanghai.md). hive's engine-cancun suite expects this order (forkchoiceUpdatedV3
 * at a Shanghai time: -38003 without a beacon root, -38005 with one). The V1 methods have no fork rule in paris.md (written before
 * -38005 existed); they answer -38005 for timestamps from Shanghai on, as their structures
 * cannot carry a Shanghai block (geth does the same for getPayloadV1; it leaves
 * newPayloadV1 and forkchoiceUpdatedV1 unchecked or answers -32602).
 */
import { forkAt, isActive, type ChainSpec } from '../chainspec/index.ts'
import { UINT64_MAX } from '../primitives/index.ts'
import { isForkAtLeast } from '../types/index.ts'
import { UnsupportedForkError } from './errors.ts'
import type { EngineFork, PayloadShape } from './types.ts'

export const ENGINE_FORKS: readonly EngineFork[] = ['paris', 'shanghai', 'cancun', 'prague', 'osaka']

/**
 * The fork at `timestamp`. Post-merge block forks are all active (any number past them), and a
 * chain that never merged still reads as Paris: the Engine API only carries post-merge blocks.
 */
export function engineFork(spec: ChainSpec, timestamp: bigint): EngineFork {
  const fork = forkAt(spec, UINT64_MAX, timestamp)
  for (let i = ENGINE_FORKS.length - 1; i > 0; i--) if (isForkAtLeast(fork, ENGINE_FORKS[i]!)) return ENGINE_FORKS[i]!
  return 'paris'
}

/** The forks each `engine_newPayloadVn` serves. */
export const NEW_PAYLOAD_FORKS: Readonly<Record<1 | 2 | 3 | 4, readonly EngineFork[]>> = {
  // paris.md (no fork rule; see the header)
  1: ['paris'],
  // shanghai.md: V1 structure before Shanghai, V2 from it; cancun.md ("Update the methods of
  // previous forks"): -38005 from Cancun
  2: ['paris', 'shanghai'],
  // cancun.md newPayloadV3 2; prague.md ("Update the methods of previous forks"): -38005 from Prague
  3: ['cancun'],
  // prague.md newPayloadV4 1. Osaka adds no newPayload version (osaka.md), and amsterdam.md
  // bounds V4 only at Amsterdam: V4 serves Osaka too.
  4: ['prague', 'osaka'],
}

/** The forks whose payload attributes each `engine_forkchoiceUpdatedVn` takes. */
export const FORKCHOICE_ATTRIBUTES_FORKS: Readonly<Record<1 | 2 | 3, readonly EngineFork[]>> = {
  // paris.md (no fork rule; see the header)
  1: ['paris'],
  // shanghai.md: PayloadAttributesV1 before Shanghai, V2 from it; cancun.md: -38005 from Cancun
  2: ['paris', 'shanghai'],
  // cancun.md forkchoiceUpdatedV3 2.2, widened to Prague by prague.md; osaka.md adds no
  // version and amsterdam.md bounds V3 only at Amsterdam: Osaka too.
  3: ['cancun', 'prague', 'osaka'],
}

/** The forks whose built payloads each `engine_getPayloadVn` returns. */
export const GET_PAYLOAD_FORKS: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly EngineFork[]>> = {
  // paris.md (no fork rule; geth answers -38005 from Shanghai, as here)
  1: ['paris'],
  // shanghai.md: V1 or V2 payload by timestamp; cancun.md: -38005 from Cancun
  2: ['paris', 'shanghai'],
  // cancun.md getPayloadV3 1; prague.md: -38005 from Prague
  3: ['cancun'],
  // prague.md getPayloadV4 1; osaka.md ("Prague API"): -38005 from Osaka
  4: ['prague'],
  // osaka.md getPayloadV5 1
  5: ['osaka'],
}

/** The ExecutionPayload structure of a fork's blocks (shanghai.md, cancun.md). */
export function payloadShapeOf(fork: EngineFork): PayloadShape {
  return fork === 'paris' ? 1 : fork === 'shanghai' ? 2 : 3
}

/** The PayloadAttributes structure of a fork's builds (shanghai.md, cancun.md). */
export const attributesShapeOf: (fork: EngineFork) => PayloadShape = payloadShapeOf

/** The payload structures a newPayload version accepts at all (before the fork is known). */
export function newPayloadShapes(version: 1 | 2 | 3 | 4): readonly PayloadShape[] {
  return version === 1 ? [1] : version === 2 ? [1, 2] : [3]
}

/** The attribute structures a forkchoiceUpdated version accepts at all. */
export function attributesShapes(version: 1 | 2 | 3): readonly PayloadShape[] {
  return version === 1 ? [1] : version === 2 ? [1, 2] : [3]
}

const FORK_NAMES: Record<EngineFork, string> = { paris: 'Paris', shanghai: 'Shanghai', cancun: 'Cancun', prague: 'Prague', osaka: 'Osaka' }

/** Throws -38005 unless `fork` is one of `forks`; `method` names the call in the message. */
export function requireFork(method: string, forks: readonly EngineFork[], fork: EngineFork): void {
  if (forks.includes(fork)) return
  const served = forks.map((f) => FORK_NAMES[f]).join(' or ')
  throw new UnsupportedForkError(`${method} serves ${served} payloads, this timestamp is in ${FORK_NAMES[fork]}`)
}

/**
 * getBlobsV1 and V2 by the fork active now (`timestamp`: the head's or the wall clock's).
 * osaka.md ("Cancun API"): V1 is -38005 once Osaka is active. No rule bounds V2 before Osaka;
 * it answers from v1 cell-proof sidecars only, which the pool holds from Osaka.
 */
export function requireGetBlobsFork(version: 1 | 2, spec: ChainSpec, timestamp: bigint): void {
  if (version === 1 && isActive(spec, 'osaka', UINT64_MAX, timestamp)) throw new UnsupportedForkError('engine_getBlobsV1 is not served once Osaka is active: use engine_getBlobsV2')
}
