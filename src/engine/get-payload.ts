/**
 * engine_getPayloadV1–V5 (paris.md, shanghai.md, cancun.md, prague.md, osaka.md): the best
 * payload of a build so far. An id with no build is -38001 (paris.md getPayloadV1 2); a build
 * of a fork the version does not serve is -38005 (cancun.md getPayloadV3 1 and later), checked
 * before the build is stopped so that the right version can still fetch it. Serving the call
 * stops the build's updates (paris.md getPayloadV1 3).
 */
import type { ChainSpec } from '../chainspec/index.ts'
import { bytesToHex } from '../primitives/index.ts'
import type { PayloadBuilder } from './builder.ts'
import { UnknownPayloadError } from './errors.ts'
import { getPayloadParams } from './method-params.ts'
import { formatGetPayload } from './responses.ts'
import type { EngineHandler } from './types.ts'
import { GET_PAYLOAD_FORKS, requireFork } from './versions.ts'

export interface GetPayloadDeps {
  spec: ChainSpec
  builder: Pick<PayloadBuilder, 'forkOf' | 'resolve'>
}

export function getPayload(version: 1 | 2 | 3 | 4 | 5, deps: GetPayloadDeps): EngineHandler {
  const method = `engine_getPayloadV${version}`
  return (raw) => {
    const id = getPayloadParams(raw)
    const fork = deps.builder.forkOf(id)
    if (!fork) throw new UnknownPayloadError(`no build process with id ${bytesToHex(id)}`)
    requireFork(method, GET_PAYLOAD_FORKS[version], fork)
    return formatGetPayload(version, deps.builder.resolve(id)!)
  }
}
