/**
 * engine_getBlobsV1 (cancun.md) and V2 (osaka.md): blobs of the pool's blob transactions by
 * versioned hash. V1 answers each hash with a blob and its KZG proof or `null`, and is -38005
 * once Osaka is active; V2 answers with every blob and its CELLS_PER_EXT_BLOB cell proofs, or
 * `null` when any is missing, held only with a V1 proof, or the node is syncing. At most `max`
 * hashes per call (-38004; the spec asks for at least 128).
 */
import type { ChainSpec } from '../../chainspec/index.ts'
import { bytesToHex, type Hash, type Hex } from '../../primitives/index.ts'
import { getBlobsParams } from '../method-params.ts'
import type { EngineHandler } from '../types.ts'
import { requireGetBlobsFork } from '../versions.ts'

import type { PooledBlob } from '../../txpool/index.ts'

/** One pooled blob and its proofs (src/txpool's blob pool answers with it). */
export type { PooledBlob }

/** What the blobs methods read. Consumer: the Engine API; provider: the blob pool. */
export interface BlobReader {
  blobByVersionedHash(hash: Hash): PooledBlob | undefined
}

export interface BlobMethodDeps {
  spec: ChainSpec
  blobs: BlobReader
  /** The timestamp that decides whether Osaka is active (the head's). */
  timestamp(): bigint
  /** True while the node cannot serve pool data (V2 answers null). */
  syncing?(): boolean
}

export const MAX_BLOBS_REQUEST = 128

export function getBlobsV1(deps: BlobMethodDeps, max = MAX_BLOBS_REQUEST): EngineHandler {
  return (raw) => {
    const hashes = getBlobsParams(raw, max)
    requireGetBlobsFork(1, deps.spec, deps.timestamp())
    return hashes.map((h): { blob: Hex; proof: Hex } | null => {
      const b = deps.blobs.blobByVersionedHash(h)
      return b && b.wrapperVersion === 0 ? { blob: bytesToHex(b.blob), proof: bytesToHex(b.proofs[0]!) } : null
    })
  }
}

export function getBlobsV2(deps: BlobMethodDeps, max = MAX_BLOBS_REQUEST): EngineHandler {
  return (raw) => {
    const hashes = getBlobsParams(raw, max)
    requireGetBlobsFork(2, deps.spec, deps.timestamp())
    if (deps.syncing?.()) return null
    const out: { blob: Hex; proofs: Hex[] }[] = []
    for (const h of hashes) {
      const b = deps.blobs.blobByVersionedHash(h)
      if (!b || b.wrapperVersion !== 1) return null
      out.push({ blob: bytesToHex(b.blob), proofs: b.proofs.map(bytesToHex) })
    }
    return out
  }
}
