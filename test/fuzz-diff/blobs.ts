/**
 * Blobs for the fuzzer's type-3 transactions: blob i has field element 0 equal to i, so that
 * versioned hashes differ; commitments and proofs are computed once and cached. anvil takes a
 * blob transaction only in its network form: blob proofs (wrapper 0) before Osaka, EIP-7594 cell
 * proofs (wrapper 1) from Osaka.
 */
import { blobToKzgCommitment, computeBlobKzgProof, computeCellsAndKzgProofs } from '../../src/crypto/index.ts'
import type { Hash } from '../../src/primitives/index.ts'
import { encodeBlobTransactionNetwork, kzgToVersionedHash, type BlobTransaction, type Transaction } from '../../src/types/index.ts'
import type { FuzzFork } from './generate.ts'

interface CachedBlob {
  blob: Uint8Array
  commitment: Uint8Array
  hash: Hash
  proof?: Uint8Array
  cellProofs?: Uint8Array[]
}
const cache: CachedBlob[] = []

function blobAt(i: number): CachedBlob {
  let b = cache[i]
  if (!b) {
    const blob = new Uint8Array(131_072)
    blob[31] = i
    const commitment = blobToKzgCommitment(blob)
    b = cache[i] = { blob, commitment, hash: kzgToVersionedHash(commitment) }
  }
  return b
}

/** The versioned hashes of the first `n` blobs. */
export function blobHashes(n: number): Hash[] {
  return Array.from({ length: n }, (_, i) => blobAt(i).hash)
}

/** `tx` (type 3, hashes from `blobHashes`) in its network form for `fork`. */
export function blobSidecar(tx: Transaction, fork: FuzzFork): Uint8Array {
  const t = tx as BlobTransaction
  const blobs = t.blobVersionedHashes.map((_, i) => blobAt(i))
  const osaka = fork === 'osaka'
  const proofs = blobs.flatMap((b) => {
    if (osaka) return (b.cellProofs ??= computeCellsAndKzgProofs(b.blob).proofs)
    return [(b.proof ??= computeBlobKzgProof(b.blob, b.commitment))]
  })
  return encodeBlobTransactionNetwork({ tx: t, wrapperVersion: osaka ? 1 : 0, blobs: blobs.map((b) => b.blob), commitments: blobs.map((b) => b.commitment), proofs })
}
