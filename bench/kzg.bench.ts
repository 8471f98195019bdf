/**
 * KZG point evaluation (the 0x0a precompile's verify_kzg_proof) on the same inputs: the
 * hand-written pairing check over @noble/curves against c-kzg (blst). Also c-kzg's sidecar
 * checks as the blob pool runs them on admission (one blob, wrapper versions 0 and 1).
 */
import { blobToKzgCommitment, computeBlobKzgProof, computeCellsAndKzgProofs, computeKzgProof, loadKzg, verifyBlobKzgProofBatch, verifyKzgProof } from '../src/crypto/index.ts'
import { verifyKzgProofNoble } from '../src/evm/precompiles/0a-point-evaluation.ts'
import { bytesToBigint } from '../src/primitives/index.ts'
import { sampleBlob, verifyCellProofs } from '../src/txpool/index.ts'
import { measure, report } from './harness.ts'

export async function run(): Promise<void> {
  const status = loadKzg()
  if (!status.loaded) {
    console.log(`\nKZG: c-kzg not available (${status.error}), skipped`)
    return
  }
  const blob = sampleBlob(7)
  const commitment = blobToKzgCommitment(blob)
  const z = new Uint8Array(32)
  z[31] = 42
  const { proof, y } = computeKzgProof(blob, z)
  const zn = bytesToBigint(z), yn = bytesToBigint(y)
  if (!verifyKzgProofNoble(commitment, zn, yn, proof) || !verifyKzgProof(commitment, z, y, proof)) throw new Error('the two verifiers disagree on a valid proof')
  const noble = measure('hand-written pairing (@noble/curves)', () => verifyKzgProofNoble(commitment, zn, yn, proof), { ms: 2000 })
  const ckzg = measure('c-kzg verifyKzgProof', () => verifyKzgProof(commitment, z, y, proof), { ms: 2000 })
  report('KZG point evaluation (0x0a verify_kzg_proof)', [noble, ckzg], noble)
  console.log(`  ratio c-kzg / hand-written: ${(ckzg.opsPerSec / noble.opsPerSec).toFixed(1)}x`)

  const blobProof = computeBlobKzgProof(blob, commitment)
  const v0 = measure('verifyBlobKzgProofBatch, 1 blob (wrapper v0)', () => verifyBlobKzgProofBatch([blob], [commitment], [blobProof]))
  const cells = computeCellsAndKzgProofs(blob)
  const v1 = measure('cells + verifyCellKzgProofBatch, 1 blob (wrapper v1)', () => verifyCellProofs([blob], [commitment], cells.proofs), { ms: 2000 })
  report('blob sidecar proofs (pool admission)', [v0, v1], v0)
}

if (import.meta.main) await run()
