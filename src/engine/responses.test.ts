import { describe, expect, test } from 'bun:test'
import { RpcError } from '../rpc/index.ts'
import { sampleBlock } from '../types/testing/samples.ts'
import { CELLS_PER_EXT_BLOB, headerHash, type BlobTransaction, type BlobTransactionNetwork, type Block } from '../types/index.ts'
import { formatBlobsBundle, formatForkchoiceUpdated, formatGetPayload, formatPayloadStatus, PAYLOAD_FIELDS } from './index.ts'

const bytes = (n: number, b: number) => new Uint8Array(n).fill(b)
const block: Block = sampleBlock()
const blockHash = headerHash(block.header)
const tx = block.transactions.find((t) => t.type === 3) as BlobTransaction

function sidecar(wrapperVersion: 0 | 1, blobs: number): BlobTransactionNetwork {
  return {
    tx,
    wrapperVersion,
    blobs: Array.from({ length: blobs }, (_, i) => bytes(8, i)),
    commitments: Array.from({ length: blobs }, (_, i) => bytes(48, 0x10 + i)),
    proofs: Array.from({ length: blobs * (wrapperVersion === 0 ? 1 : CELLS_PER_EXT_BLOB) }, (_, i) => bytes(48, i % 256)),
  }
}

describe('Engine API responses', () => {
  test('statuses and forkchoiceUpdated results', () => {
    expect(formatPayloadStatus({ status: 'SYNCING', latestValidHash: null, validationError: null })).toEqual({ status: 'SYNCING', latestValidHash: null, validationError: null })
    expect(formatForkchoiceUpdated({ status: 'VALID', latestValidHash: bytes(32, 1), validationError: null }, bytes(8, 2)) as unknown).toEqual({
      payloadStatus: { status: 'VALID', latestValidHash: '0x' + '01'.repeat(32), validationError: null },
      payloadId: '0x' + '02'.repeat(8),
    })
    expect(formatForkchoiceUpdated({ status: 'INVALID', latestValidHash: null, validationError: 'bad' }, null).payloadId).toBeNull()
  })

  test('getPayloadV1–V5: the envelope and the payload shape of each version', () => {
    const built = { block, blockHash, blockValue: 10n ** 18n, sidecars: [sidecar(0, 2)], executionRequests: [bytes(2, 1)] }
    const keys = (o: unknown) => Object.keys(o as object).sort()
    expect(keys(formatGetPayload(1, built))).toEqual([...PAYLOAD_FIELDS[1]].sort())
    const v2 = formatGetPayload(2, built) as any
    expect(keys(v2)).toEqual(['blockValue', 'executionPayload'])
    expect(v2.blockValue).toBe('0xde0b6b3a7640000')
    expect(keys(v2.executionPayload)).toEqual([...PAYLOAD_FIELDS[2]].sort())
    const v3 = formatGetPayload(3, built) as any
    expect(keys(v3)).toEqual(['blobsBundle', 'blockValue', 'executionPayload', 'shouldOverrideBuilder'])
    expect(keys(v3.executionPayload)).toEqual([...PAYLOAD_FIELDS[3]].sort())
    expect(v3.shouldOverrideBuilder).toBe(false)
    expect(v3.blobsBundle.proofs).toHaveLength(2)
    const v4 = formatGetPayload(4, built) as any
    expect(v4.executionRequests).toEqual(['0x0101'])
    const v5 = formatGetPayload(5, { ...built, sidecars: [sidecar(1, 2)] }) as any
    expect(v5.blobsBundle.blobs).toHaveLength(2)
    expect(v5.blobsBundle.proofs).toHaveLength(2 * CELLS_PER_EXT_BLOB)
    expect(v5.executionRequests).toEqual(['0x0101'])
    // a pre-Shanghai block through V2 is an ExecutionPayloadV1
    const { withdrawalsRoot: _, ...paris } = { ...block.header, blobGasUsed: undefined, excessBlobGas: undefined, parentBeaconBlockRoot: undefined, requestsHash: undefined }
    const old = formatGetPayload(2, { ...built, block: { ...block, header: paris, withdrawals: undefined } }) as any
    expect(keys(old.executionPayload)).toEqual([...PAYLOAD_FIELDS[1]].sort())
  })

  test('blobs bundles: empty without blob transactions, the right proof kind or an internal error', () => {
    expect(formatBlobsBundle([], 1)).toEqual({ commitments: [], proofs: [], blobs: [] })
    const b = formatBlobsBundle([sidecar(0, 1), sidecar(0, 2)], 1)
    expect([b.commitments.length, b.proofs.length, b.blobs.length]).toEqual([3, 3, 3])
    for (const [s, v] of [[sidecar(1, 1), 1], [sidecar(0, 1), 2]] as const) {
      try {
        formatBlobsBundle([s], v)
        throw new Error('expected an error')
      } catch (err) {
        expect((err as RpcError).rpcCode).toBe(-32603)
      }
    }
  })
})
