import { expect, test } from 'bun:test'
import { sha256 } from '../crypto/index.ts'
import { bytesToHex } from '../primitives/index.ts'
import {
  BYTES_PER_BLOB,
  CELLS_PER_EXT_BLOB,
  decodeBlobTransactionNetwork,
  decodeTransaction,
  encodeBlobTransactionNetwork,
  encodeTransaction,
  hasBlobVersion,
  kzgToVersionedHash,
  signTransaction,
  TransactionError,
  transactionHash,
  validateBlobSidecar,
  type BlobTransaction,
  type BlobTransactionNetwork,
} from './index.ts'
import { SAMPLE_KEY, SAMPLE_UNSIGNED } from './testing/samples.ts'

const commitments = [new Uint8Array(48).fill(0xc0), new Uint8Array(48).fill(0xc1)]
const tx = signTransaction(
  { ...SAMPLE_UNSIGNED.eip4844!, blobVersionedHashes: commitments.map(kzgToVersionedHash) } as BlobTransaction,
  SAMPLE_KEY,
) as BlobTransaction

function network(wrapperVersion: 0 | 1): BlobTransactionNetwork {
  const proofs = wrapperVersion === 0 ? 2 : 2 * CELLS_PER_EXT_BLOB
  return {
    tx,
    wrapperVersion,
    blobs: [new Uint8Array(BYTES_PER_BLOB).fill(1), new Uint8Array(BYTES_PER_BLOB).fill(2)],
    commitments,
    proofs: Array.from({ length: proofs }, (_, i) => new Uint8Array(48).fill(i & 0xff)),
  }
}

test('versioned hash: 0x01 || sha256(commitment)[1:]', () => {
  const h = kzgToVersionedHash(commitments[0]!)
  expect(h[0]).toBe(1)
  expect(bytesToHex(h.subarray(1))).toBe(bytesToHex(sha256(commitments[0]!).subarray(1)))
  expect(hasBlobVersion(h)).toBe(true)
  expect(hasBlobVersion(sha256(commitments[0]!).fill(2, 0, 1))).toBe(false)
})

for (const version of [0, 1] as const) {
  test(`network form version ${version}: round trip, same hash as the canonical form`, () => {
    const n = network(version)
    const bytes = encodeBlobTransactionNetwork(n)
    const back = decodeBlobTransactionNetwork(bytes)
    expect(back.wrapperVersion).toBe(version)
    expect(back.tx).toEqual(tx)
    expect(back.blobs.length).toBe(2)
    expect(back.proofs.length).toBe(n.proofs.length)
    expect(bytesToHex(transactionHash(back.tx))).toBe(bytesToHex(transactionHash(tx)))
    expect(bytesToHex(encodeTransaction(back.tx))).toBe(bytesToHex(encodeTransaction(tx)))
    expect(() => validateBlobSidecar(back)).not.toThrow()
    // The canonical decoder points at the network decoder.
    expect(() => decodeTransaction(bytes)).toThrow(TransactionError)
  })
}

test('sidecar checks: counts, proof count per version, commitment against hash, sizes', () => {
  const kind = (n: BlobTransactionNetwork) => {
    try {
      validateBlobSidecar(n)
      return 'ok'
    } catch (e) {
      return (e as TransactionError).kind
    }
  }
  const n = network(0)
  expect(kind(n)).toBe('ok')
  expect(kind({ ...n, blobs: n.blobs.slice(1) })).toBe('blob-sidecar')
  expect(kind({ ...n, proofs: n.proofs.slice(1) })).toBe('blob-sidecar')
  expect(kind({ ...n, wrapperVersion: 1 })).toBe('blob-sidecar')
  expect(kind({ ...n, commitments: [commitments[1]!, commitments[0]!] })).toBe('blob-sidecar')
  expect(() => decodeBlobTransactionNetwork(encodeBlobTransactionNetwork({ ...n, blobs: [new Uint8Array(10), n.blobs[1]!] }))).toThrow(TransactionError)
})
