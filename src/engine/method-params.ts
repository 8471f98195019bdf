/**
 * The parameters of each Engine API method, decoded and checked against the method version and
 * the chain's forks, in the spec's order (versions.ts): what a handler receives is well-formed
 * and of its fork, or the call has already failed with -32602, -38003 or -38005.
 *
 * Payload attributes are checked apart from the forkchoice state: paris.md forkchoiceUpdatedV1
 * 8 processes them only after the forkchoice state has been applied, and their failure must not
 * roll it back. So `forkchoiceUpdatedParams` returns them still raw and the handler calls
 * `payloadAttributesParams` once the head is updated (then checks timestamp > head's, -38003).
 */
import type { ChainSpec } from '../chainspec/index.ts'
import type { Hash } from '../primitives/index.ts'
import { EngineInvalidParamsError, InvalidPayloadAttributesError, TooLargeRequestError } from './errors.ts'
import { attributes, params, positional } from './fields.ts'
import { parseExecutionPayload, parseWithdrawals, payloadShape } from './payload-codec.ts'
import type { EngineFork, ExecutionPayload, ForkchoiceState, PayloadAttributes } from './types.ts'
import {
  attributesShapeOf,
  attributesShapes,
  engineFork,
  FORKCHOICE_ATTRIBUTES_FORKS,
  NEW_PAYLOAD_FORKS,
  newPayloadShapes,
  payloadShapeOf,
  requireFork,
} from './versions.ts'

export interface NewPayloadParams {
  version: 1 | 2 | 3 | 4
  fork: EngineFork
  payload: ExecutionPayload
  /** V3+. */
  expectedBlobVersionedHashes?: Hash[]
  /** V3+. */
  parentBeaconBlockRoot?: Hash
  /** V4+: `type || data`, strictly ascending types, each with data. */
  executionRequests?: Uint8Array[]
}

const hashList = (v: unknown, at: string): Hash[] => params.list(v, at).map((h, i) => params.data(h, `${at}[${i}]`, { length: 32 }))

/** engine_newPayloadV1–V4's parameters. */
export function newPayloadParams(version: 1 | 2 | 3 | 4, raw: unknown, spec: ChainSpec): NewPayloadParams {
  const method = `engine_newPayloadV${version}`
  const count = version === 1 || version === 2 ? 1 : version === 3 ? 3 : 4
  const a = positional(raw, count)
  // cancun.md newPayloadV3 1: structure first (-32602)
  const payload = parseExecutionPayload(a[0], newPayloadShapes(version))
  const out: NewPayloadParams = { version, fork: 'paris', payload }
  if (version >= 3) {
    out.expectedBlobVersionedHashes = hashList(a[1], 'expectedBlobVersionedHashes')
    out.parentBeaconBlockRoot = params.data(a[2], 'parentBeaconBlockRoot', { length: 32 })
  }
  if (version >= 4) out.executionRequests = executionRequests(a[3])
  // then the fork (-38005), then the shape of that fork (-32602, shanghai.md newPayloadV2)
  out.fork = engineFork(spec, payload.timestamp)
  requireFork(method, NEW_PAYLOAD_FORKS[version], out.fork)
  const want = payloadShapeOf(out.fork)
  if (payloadShape(payload) !== want) throw new EngineInvalidParamsError(`${method}: a payload at this timestamp must be ExecutionPayloadV${want}`)
  return out
}

/**
 * prague.md newPayloadV4 `executionRequests`: each element longer than one byte, types strictly
 * ascending (ordered and unique); `null` or a violation is -32602.
 */
export function executionRequests(v: unknown, at = 'executionRequests'): Uint8Array[] {
  if (v === undefined || v === null) params.fail(at, 'missing')
  const list = params.list(v, at).map((r, i) => params.data(r, `${at}[${i}]`))
  list.forEach((r, i) => {
    if (r.length <= 1) params.fail(`${at}[${i}]`, 'a request is its type byte and non-empty data')
    if (i > 0 && r[0]! <= list[i - 1]![0]!) params.fail(`${at}[${i}]`, `request type 0x${r[0]!.toString(16).padStart(2, '0')} after 0x${list[i - 1]![0]!.toString(16).padStart(2, '0')}: types must be unique and ascending`)
  })
  return list
}

/** ForkchoiceStateV1 (-32602 on any mismatch: cancun.md forkchoiceUpdatedV3 1). */
export function forkchoiceState(v: unknown, at = 'forkchoiceState'): ForkchoiceState {
  const o = params.object(v, at, ['headBlockHash', 'safeBlockHash', 'finalizedBlockHash'])
  const h = (k: string) => params.data(o[k], `${at}.${k}`, { length: 32 })
  return { headBlockHash: h('headBlockHash'), safeBlockHash: h('safeBlockHash'), finalizedBlockHash: h('finalizedBlockHash') }
}

/** engine_forkchoiceUpdatedV1–V3: the state, and the attributes still undecoded (null: none). */
export function forkchoiceUpdatedParams(raw: unknown): { state: ForkchoiceState; attributes: unknown } {
  const a = positional(raw, 2, 1)
  return { state: forkchoiceState(a[0]), attributes: a[1] ?? null }
}

const ATTRIBUTE_FIELDS = {
  1: ['timestamp', 'prevRandao', 'suggestedFeeRecipient'],
  2: ['timestamp', 'prevRandao', 'suggestedFeeRecipient', 'withdrawals'],
  3: ['timestamp', 'prevRandao', 'suggestedFeeRecipient', 'withdrawals', 'parentBeaconBlockRoot'],
} as const

/**
 * PayloadAttributesV1–V3 for forkchoiceUpdated `version`: structure (-38003), fork (-38005),
 * structure of that fork (-38003; shanghai.md forkchoiceUpdatedV2, cancun.md V3 2).
 */
export function payloadAttributesParams(version: 1 | 2 | 3, v: unknown, spec: ChainSpec, at = 'payloadAttributes'): PayloadAttributes {
  const shapes = attributesShapes(version)
  const o = attributes.object(v, at, ATTRIBUTE_FIELDS[Math.min(...shapes) as 1 | 2 | 3], ATTRIBUTE_FIELDS[Math.max(...shapes) as 1 | 2 | 3])
  const out: PayloadAttributes = {
    timestamp: attributes.quantity(o.timestamp, `${at}.timestamp`, 64),
    prevRandao: attributes.data(o.prevRandao, `${at}.prevRandao`, { length: 32 }),
    suggestedFeeRecipient: attributes.data(o.suggestedFeeRecipient, `${at}.suggestedFeeRecipient`, { length: 20 }),
  }
  if (o.withdrawals !== undefined) out.withdrawals = parseWithdrawals(attributes, o.withdrawals, `${at}.withdrawals`)
  if (o.parentBeaconBlockRoot !== undefined) out.parentBeaconBlockRoot = attributes.data(o.parentBeaconBlockRoot, `${at}.parentBeaconBlockRoot`, { length: 32 })
  const method = `engine_forkchoiceUpdatedV${version}`
  const fork = engineFork(spec, out.timestamp)
  requireFork(method, FORKCHOICE_ATTRIBUTES_FORKS[version], fork)
  const want = attributesShapeOf(fork)
  const have = out.parentBeaconBlockRoot ? 3 : out.withdrawals ? 2 : 1
  if (have !== want) throw new InvalidPayloadAttributesError(`${method}: attributes at this timestamp must be PayloadAttributesV${want}`)
  return out
}

/** engine_getPayloadV1–V5: the 8-byte payloadId. */
export function getPayloadParams(raw: unknown): Uint8Array {
  return params.data(positional(raw, 1)[0], 'payloadId', { length: 8 })
}

/** engine_getPayloadBodiesByHashV1: at most `max` hashes (-38004 beyond; shanghai.md: at least 32 served). */
export function payloadBodiesByHashParams(raw: unknown, max: number): Hash[] {
  const list = params.list(positional(raw, 1)[0], 'blockHashes')
  if (list.length > max) throw new TooLargeRequestError(`${list.length} block hashes, at most ${max} per call`)
  return list.map((h, i) => params.data(h, `blockHashes[${i}]`, { length: 32 }))
}

/** engine_getPayloadBodiesByRangeV1: start and count ≥ 1 (-32602), count ≤ `max` (-38004). */
export function payloadBodiesByRangeParams(raw: unknown, max: number): { start: bigint; count: number } {
  const a = positional(raw, 2)
  const start = params.quantity(a[0], 'start', 64)
  const count = params.quantity(a[1], 'count', 64)
  if (start < 1n) params.fail('start', 'must be at least 1')
  if (count < 1n) params.fail('count', 'must be at least 1')
  if (count > BigInt(max)) throw new TooLargeRequestError(`${count} blocks, at most ${max} per call`)
  return { start, count: Number(count) }
}

/** engine_getBlobsV1/V2: at most `max` versioned hashes (-38004 beyond; cancun.md: at least 128 served). */
export function getBlobsParams(raw: unknown, max: number): Hash[] {
  const list = params.list(positional(raw, 1)[0], 'blobVersionedHashes')
  if (list.length > max) throw new TooLargeRequestError(`${list.length} versioned hashes, at most ${max} per call`)
  return list.map((h, i) => params.data(h, `blobVersionedHashes[${i}]`, { length: 32 }))
}
