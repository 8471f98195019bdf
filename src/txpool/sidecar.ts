/**
 * Blob sidecars on admission (EIP-4844, EIP-7594), in geth's order: the wrapper version the next
 * block's fork wants (0 before Osaka, 1 with cell proofs from Osaka: geth refuses the other
 * one, "unexpected sidecar version"), counts against the versioned hashes and commitments
 * hashing to them (src/types validateBlobSidecar), then the KZG proofs with c-kzg — one blob
 * proof per blob (version 0) or the 128 cell proofs of each blob's extension (version 1).
 */
import { computeCells, CryptoError, KZG_CELLS_PER_EXT_BLOB, verifyBlobKzgProofBatch, verifyCellKzgProofBatch } from '../crypto/index.ts'
import { BYTES_PER_BLOB, BYTES_PER_COMMITMENT, BYTES_PER_PROOF, isForkAtLeast, TransactionError, validateBlobSidecar, type BlobTransactionNetwork, type ForkName } from '../types/index.ts'
import { fromTransactionError, TxPoolError } from './errors.ts'

/** The sidecar wrapper version a transaction for a block of `fork` must come with. */
export function sidecarVersionFor(fork: ForkName): 0 | 1 {
  return isForkAtLeast(fork, 'osaka') ? 1 : 0
}

/** Bytes a sidecar holds (blobs, commitments, proofs): what the blob pool's data cap counts. */
export function sidecarBytes(s: BlobTransactionNetwork): number {
  return s.blobs.length * BYTES_PER_BLOB + s.commitments.length * BYTES_PER_COMMITMENT + s.proofs.length * BYTES_PER_PROOF
}

/**
 * EIP-7594: cell proof j of blob i (proofs[i·128 + j]) against cell j of the blob's extension,
 * recomputed from the blob, all in one batch.
 */
export function verifyCellProofs(blobs: readonly Uint8Array[], commitments: readonly Uint8Array[], proofs: readonly Uint8Array[]): boolean {
  if (commitments.length !== blobs.length || proofs.length !== blobs.length * KZG_CELLS_PER_EXT_BLOB) return false
  const cs: Uint8Array[] = [], indices: number[] = [], cells: Uint8Array[] = []
  blobs.forEach((blob, i) => {
    computeCells(blob).forEach((cell, j) => {
      cs.push(commitments[i]!)
      indices.push(j)
      cells.push(cell)
    })
  })
  return verifyCellKzgProofBatch(cs, indices, cells, proofs)
}

/** The sidecar's KZG proofs with c-kzg, by its wrapper version. Throws CryptoError when c-kzg is missing. */
export function verifySidecarProofs(s: BlobTransactionNetwork): boolean {
  return s.wrapperVersion === 1 ? verifyCellProofs(s.blobs, s.commitments, s.proofs) : verifyBlobKzgProofBatch(s.blobs, s.commitments, s.proofs)
}

/** Every sidecar check for a transaction of a block of `fork`; throws TxPoolError('blob'). */
export function validateSidecar(s: BlobTransactionNetwork | undefined, fork: ForkName, verify: (s: BlobTransactionNetwork) => boolean = verifySidecarProofs): void {
  if (!s) throw new TxPoolError('blob', 'missing sidecar in blob transaction: send the network form (blobs, commitments, proofs)')
  const want = sidecarVersionFor(fork)
  if (s.wrapperVersion !== want) throw new TxPoolError('blob', `unexpected sidecar version, want: ${want}, got: ${s.wrapperVersion}`)
  try {
    validateBlobSidecar(s)
  } catch (err) {
    if (err instanceof TransactionError) throw fromTransactionError(err)
    throw err
  }
  let ok: boolean
  try {
    ok = verify(s)
  } catch (err) {
    if (err instanceof CryptoError) throw new TxPoolError('blob', `cannot verify KZG proofs: ${err.message}`, err)
    throw err
  }
  if (!ok) throw new TxPoolError('blob', `invalid blob proof (wrapper version ${s.wrapperVersion})`)
}
