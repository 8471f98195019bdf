/**
 * Signed blob transactions with real KZG sidecars (c-kzg), for tests and benchmarks: blobs of
 * small field elements from a seed, their commitments, versioned hashes and proofs — one blob
 * proof each (wrapper version 0) or the 128 cell proofs (version 1).
 */
import { blobToKzgCommitment, computeBlobKzgProof, computeCellsAndKzgProofs } from '../crypto/index.ts'
import { BYTES_PER_BLOB, encodeBlobTransactionNetwork, kzgToVersionedHash, signTransaction, type BlobTransaction, type BlobTransactionNetwork } from '../types/index.ts'

/** A valid blob: 4096 field elements, each one byte (below the BLS modulus), from `seed`. */
export function sampleBlob(seed: number): Uint8Array {
  const blob = new Uint8Array(BYTES_PER_BLOB)
  for (let i = 0; i < 4096; i++) blob[i * 32 + 31] = (i * 7 + seed * 13 + 1) & 0xff
  return blob
}

export interface SampleBlobTx {
  chainId: bigint
  nonce: bigint
  key: Uint8Array
  /** Seeds of the blobs (default [1]). */
  seeds?: number[]
  wrapperVersion?: 0 | 1
  tip?: bigint
  maxFee?: bigint
  maxFeePerBlobGas?: bigint
  to?: Uint8Array
}

/** The network form of a signed blob transaction carrying `seeds`' blobs. */
export function sampleBlobTx(o: SampleBlobTx): { network: BlobTransactionNetwork; raw: Uint8Array } {
  const blobs = (o.seeds ?? [1]).map(sampleBlob)
  const commitments = blobs.map(blobToKzgCommitment)
  const proofs = o.wrapperVersion === 1 ? blobs.flatMap((b) => computeCellsAndKzgProofs(b).proofs) : blobs.map((b, i) => computeBlobKzgProof(b, commitments[i]!))
  const tx = signTransaction(
    {
      type: 3, chainId: o.chainId, nonce: o.nonce, maxPriorityFeePerGas: o.tip ?? 1_000_000_000n, maxFeePerGas: o.maxFee ?? 30_000_000_000n,
      gasLimit: 21_000n, to: o.to ?? new Uint8Array(20).fill(0xbb), value: 0n, data: new Uint8Array(0), accessList: [],
      maxFeePerBlobGas: o.maxFeePerBlobGas ?? 1_000_000_000n, blobVersionedHashes: commitments.map(kzgToVersionedHash),
    },
    o.key,
  ) as BlobTransaction
  const network: BlobTransactionNetwork = { tx, wrapperVersion: o.wrapperVersion ?? 0, blobs, commitments, proofs }
  return { network, raw: encodeBlobTransactionNetwork(network) }
}
