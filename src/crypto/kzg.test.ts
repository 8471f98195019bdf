import { describe, expect, test } from 'bun:test'
import { getFork } from '../evm/index.ts'
import { pointEvaluation, verifyKzgProofNoble } from '../evm/precompiles/0a-point-evaluation.ts'
import { bytesToBigint, bytesToHex, concatBytes } from '../primitives/index.ts'
import { kzgToVersionedHash } from '../types/index.ts'
import { sampleBlob } from '../txpool/index.ts'
import {
  blobToKzgCommitment,
  computeBlobKzgProof,
  computeCells,
  computeCellsAndKzgProofs,
  computeKzgProof,
  CryptoError,
  kzgStatus,
  loadKzg,
  verifyBlobKzgProofBatch,
  verifyCellKzgProofBatch,
  verifyKzgProof,
} from './index.ts'

const blob = sampleBlob(3)

describe('kzg (c-kzg)', () => {
  test('loads with the bundled mainnet setup', () => {
    expect(loadKzg()).toEqual({ loaded: true })
    expect(kzgStatus().loaded).toBe(true)
  })

  test('the zero blob commits to the point at infinity', () => {
    expect(bytesToHex(blobToKzgCommitment(new Uint8Array(131_072)))).toBe(`0xc0${'00'.repeat(47)}`)
  })

  test('blob proofs: valid, wrong proof, wrong blob, counts', () => {
    const c = blobToKzgCommitment(blob)
    const p = computeBlobKzgProof(blob, c)
    expect(verifyBlobKzgProofBatch([blob], [c], [p])).toBe(true)
    const other = sampleBlob(4)
    expect(verifyBlobKzgProofBatch([other], [c], [p])).toBe(false)
    expect(verifyBlobKzgProofBatch([blob], [c], [c])).toBe(false)
    // not a curve point: false, not a throw
    expect(verifyBlobKzgProofBatch([blob], [c], [new Uint8Array(48).fill(0xff)])).toBe(false)
    expect(verifyBlobKzgProofBatch([blob], [c], [])).toBe(false)
    expect(verifyBlobKzgProofBatch([], [], [])).toBe(true)
  })

  test('point evaluation: c-kzg agrees with the hand-written pairing check', () => {
    const c = blobToKzgCommitment(blob)
    const z = new Uint8Array(32)
    z[31] = 9
    const { proof, y } = computeKzgProof(blob, z)
    expect(verifyKzgProof(c, z, y, proof)).toBe(true)
    expect(verifyKzgProofNoble(c, bytesToBigint(z), bytesToBigint(y), proof)).toBe(true)
    // plain Uint8Arrays (c-kzg's Buffers would make this slice a view of y)
    expect(Buffer.isBuffer(y) || Buffer.isBuffer(proof) || Buffer.isBuffer(c)).toBe(false)
    const y2 = y.slice()
    y2[31]! ^= 1
    expect(verifyKzgProof(c, z, y2, proof)).toBe(false)
    expect(verifyKzgProofNoble(c, bytesToBigint(z), bytesToBigint(y2), proof)).toBe(false)
    // z at or above the BLS modulus is not a field element
    expect(verifyKzgProof(c, new Uint8Array(32).fill(0xff), y, proof)).toBe(false)
    // the 0x0a precompile on the same input, through c-kzg
    const input = concatBytes(kzgToVersionedHash(c), z, y, c, proof)
    expect(pointEvaluation(input, 60_000, getFork('osaka')).status).toBe('success')
    expect(pointEvaluation(concatBytes(kzgToVersionedHash(c), z, y2, c, proof), 60_000, getFork('osaka')).status).toBe('error')
    expect(kzgStatus().loaded).toBe(true)
  })

  test('cell proofs (EIP-7594): every cell verifies, a swapped index does not', () => {
    const c = blobToKzgCommitment(blob)
    const { cells, proofs } = computeCellsAndKzgProofs(blob)
    expect(cells.length).toBe(128)
    expect(proofs.length).toBe(128)
    expect(computeCells(blob).map(bytesToHex)).toEqual(cells.map(bytesToHex))
    const idx = cells.map((_, i) => i)
    expect(verifyCellKzgProofBatch(cells.map(() => c), idx, cells, proofs)).toBe(true)
    expect(verifyCellKzgProofBatch([c, c], [0, 1], [cells[1]!, cells[0]!], [proofs[0]!, proofs[1]!])).toBe(false)
    expect(verifyCellKzgProofBatch([c], [128], [cells[0]!], [proofs[0]!])).toBe(false)
  })

  test('wrong sizes are CryptoErrors, not native crashes', () => {
    expect(() => blobToKzgCommitment(new Uint8Array(10))).toThrow(CryptoError)
    expect(() => verifyKzgProof(new Uint8Array(47), new Uint8Array(32), new Uint8Array(32), new Uint8Array(48))).toThrow('commitment must be 48 bytes')
  })
})
