/**
 * The JSON answers of newPayload, forkchoiceUpdated and getPayload, per version:
 *
 * | getPayload | result                                                                      |
 * | ---------- | --------------------------------------------------------------------------- |
 * | V1         | ExecutionPayloadV1 itself (paris.md)                                        |
 * | V2         | { executionPayload V1 or V2 by fork, blockValue } (shanghai.md)             |
 * | V3         | + blobsBundle (BlobsBundleV1), shouldOverrideBuilder, payload V3 (cancun.md) |
 * | V4         | + executionRequests (prague.md)                                             |
 * | V5         | the same with BlobsBundleV2: 128 cell proofs per blob (osaka.md)            |
 *
 * Blobs bundles come from the pool's sidecars of the payload's blob transactions, in block
 * order: their commitments then match the versioned hashes (cancun.md getPayloadV3 3–4).
 */
import { bigintToHex, bytesToHex, type Hash, type Hex } from '../primitives/index.ts'
import { CELLS_PER_EXT_BLOB, type BlobTransactionNetwork, type Block } from '../types/index.ts'
import { EngineInternalError } from './errors.ts'
import { formatExecutionPayload } from './payload-codec.ts'
import type { PayloadStatus } from './types.ts'

export interface PayloadStatusJson {
  status: PayloadStatus['status']
  latestValidHash: Hex | null
  validationError: string | null
}

export function formatPayloadStatus(s: PayloadStatus): PayloadStatusJson {
  return { status: s.status, latestValidHash: s.latestValidHash ? bytesToHex(s.latestValidHash) : null, validationError: s.validationError }
}

/** forkchoiceUpdated's result: the head's status and the build's 8-byte id (or null). */
export function formatForkchoiceUpdated(s: PayloadStatus, payloadId: Uint8Array | null): { payloadStatus: PayloadStatusJson; payloadId: Hex | null } {
  return { payloadStatus: formatPayloadStatus(s), payloadId: payloadId ? bytesToHex(payloadId) : null }
}

/** A finished (or best so far) build, as the payload builder hands it over. */
export interface BuiltPayload {
  block: Block
  blockHash: Hash
  /** The fee recipient's gain in wei. */
  blockValue: bigint
  /** Sidecars of the block's blob transactions, in block order. */
  sidecars: readonly BlobTransactionNetwork[]
  /** Prague: type-ordered `type || data`, empty ones left out. */
  executionRequests?: readonly Uint8Array[]
}

/**
 * BlobsBundleV1 (one proof per blob, wrapper version 0) or V2 (CELLS_PER_EXT_BLOB cell proofs
 * per blob, wrapper version 1). A sidecar of the other kind is the builder's error (-32603).
 */
export function formatBlobsBundle(sidecars: readonly BlobTransactionNetwork[], version: 1 | 2): { commitments: Hex[]; proofs: Hex[]; blobs: Hex[] } {
  const out = { commitments: [] as Hex[], proofs: [] as Hex[], blobs: [] as Hex[] }
  const perBlob = version === 1 ? 1 : CELLS_PER_EXT_BLOB
  for (const s of sidecars) {
    if (s.wrapperVersion !== version - 1 || s.proofs.length !== s.blobs.length * perBlob || s.commitments.length !== s.blobs.length)
      throw new EngineInternalError(`a blob sidecar of wrapper version ${s.wrapperVersion} cannot fill a BlobsBundleV${version}`)
    for (const c of s.commitments) out.commitments.push(bytesToHex(c))
    for (const p of s.proofs) out.proofs.push(bytesToHex(p))
    for (const b of s.blobs) out.blobs.push(bytesToHex(b))
  }
  return out
}

/** getPayloadV`version`'s result. The fork check (GET_PAYLOAD_FORKS) comes first. */
export function formatGetPayload(version: 1 | 2 | 3 | 4 | 5, built: BuiltPayload): unknown {
  if (version === 1) return formatExecutionPayload(built.block, built.blockHash, 1)
  const shape = version >= 3 ? 3 : built.block.header.withdrawalsRoot !== undefined ? 2 : 1
  const out: Record<string, unknown> = { executionPayload: formatExecutionPayload(built.block, built.blockHash, shape), blockValue: bigintToHex(built.blockValue) }
  if (version >= 3) {
    out.blobsBundle = formatBlobsBundle(built.sidecars, version === 5 ? 2 : 1)
    // cancun.md getPayloadV3 5: no heuristic here, so false
    out.shouldOverrideBuilder = false
  }
  if (version >= 4) out.executionRequests = (built.executionRequests ?? []).map(bytesToHex)
  return out
}
