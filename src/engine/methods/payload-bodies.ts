/**
 * engine_getPayloadBodiesByHashV1 and ByRangeV1 (shanghai.md): bodies of held blocks in the
 * order asked, `null` for a block not held; by range along the canonical chain the latest
 * forkchoiceUpdated chose, with no trailing `null`s past the head. At most `max` per call
 * (-38004; the spec asks for at least 32, geth serves 1024).
 */
import type { Hash } from '../../primitives/index.ts'
import type { BlockBody } from '../../types/index.ts'
import { payloadBodiesByHashParams, payloadBodiesByRangeParams } from '../method-params.ts'
import { formatPayloadBody } from '../payload-codec.ts'
import type { EngineHandler } from '../types.ts'

/** What the bodies methods read. Consumer: the Engine API. */
export interface BodyReader {
  bodyByHash(hash: Hash): BlockBody | undefined
  /** The canonical block's body at `number`. */
  canonicalBody(number: bigint): BlockBody | undefined
  headNumber(): bigint
}

export const MAX_PAYLOAD_BODIES = 1024

export function getPayloadBodiesByHashV1(chain: BodyReader, max = MAX_PAYLOAD_BODIES): EngineHandler {
  return (raw) => payloadBodiesByHashParams(raw, max).map((h) => formatPayloadBody(chain.bodyByHash(h)))
}

export function getPayloadBodiesByRangeV1(chain: BodyReader, max = MAX_PAYLOAD_BODIES): EngineHandler {
  return (raw) => {
    const { start, count } = payloadBodiesByRangeParams(raw, max)
    const last = start + BigInt(count) - 1n
    const head = chain.headNumber()
    const out: (Record<string, unknown> | null)[] = []
    for (let n = start; n <= last && n <= head; n++) out.push(formatPayloadBody(chain.canonicalBody(n)))
    return out
  }
}
