/**
 * KZG commitments over BLS12-381 (EIP-4844 blobs, EIP-7594 cells, the 0x0a precompile), from
 * c-kzg (the Ethereum Foundation's C library with blst) and its bundled mainnet trusted setup.
 *
 * Loaded lazily: the addon and the setup (about 2 s to parse) only on the first call, so a node
 * that never sees a blob never pays for it, and a build without c-kzg still starts. When c-kzg is
 * missing every function throws `CryptoError('KZG_UNAVAILABLE')` naming the cause; callers that
 * can do without (the precompile) ask {@link kzgStatus} first.
 *
 * The addon and the setup are required by static relative paths, so `bun build --compile` embeds
 * them as it does native/mosaic.node (and, the requires being guarded, still builds without
 * c-kzg: such an executable reports KZG as unavailable). The C loader reads the setup with
 * fopen, which cannot see the executable's embedded files, so there the embedded setup is
 * copied once to a file in the temporary directory (named by its size) and loaded from it.
 *
 * Inputs are checked for size here (a wrong size is a `CryptoError`, not a native crash);
 * malformed points or field elements make the verifiers answer false. Consumers: the point-
 * evaluation precompile, the blob pool (admission), tests and bench/ (proof generation).
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CryptoError } from './errors.ts'

/** The mainnet setup c-kzg ships (the KZG ceremony's output). */
const SETUP_FILE = new URL('../../node_modules/c-kzg/deps/c-kzg/trusted_setup.txt', import.meta.url).pathname

export const KZG_BYTES_PER_BLOB = 131_072
export const KZG_BYTES_PER_CELL = 2048
export const KZG_BYTES_PER_POINT = 48
export const KZG_CELLS_PER_EXT_BLOB = 128

/** The c-kzg addon's exports that Mosaic uses (c-kzg 4.1 `lib/kzg.d.ts`). */
interface CKzg {
  loadTrustedSetup(precompute: number, filePath: string): void
  blobToKzgCommitment(blob: Uint8Array): Uint8Array
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array
  computeKzgProof(blob: Uint8Array, z: Uint8Array): [Uint8Array, Uint8Array]
  verifyKzgProof(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean
  verifyBlobKzgProofBatch(blobs: Uint8Array[], commitments: Uint8Array[], proofs: Uint8Array[]): boolean
  computeCells(blob: Uint8Array): Uint8Array[]
  computeCellsAndKzgProofs(blob: Uint8Array): [Uint8Array[], Uint8Array[]]
  verifyCellKzgProofBatch(commitments: Uint8Array[], cellIndices: number[], cells: Uint8Array[], proofs: Uint8Array[]): boolean
}

export interface KzgStatus {
  loaded: boolean
  error?: string
}

let kzg: CKzg | undefined
let loadError: unknown

/** A path the C loader can fopen: the setup itself, or its copy out of the executable. */
function setupPath(): string {
  // compiled executables run from /$bunfs/..., which C's fopen cannot see
  if (!/\$bunfs|%24bunfs/.test(import.meta.url)) return SETUP_FILE
  // a static path, so `bun build --compile` embeds the text (and a build without c-kzg still builds)
  const bytes = new TextEncoder().encode(require('../../node_modules/c-kzg/deps/c-kzg/trusted_setup.txt') as string)
  const out = join(tmpdir(), `mosaic-kzg-setup-${bytes.length}.txt`)
  if (!existsSync(out)) {
    // written whole, then renamed: a concurrent start never reads half a file
    const part = `${out}.${process.pid}`
    writeFileSync(part, bytes, { mode: 0o644 })
    renameSync(part, out)
  }
  return out
}

function load(): CKzg {
  if (kzg) return kzg
  if (loadError) throw unavailable()
  try {
    // static path: embedded by `bun build --compile`
    const addon = require('../../node_modules/c-kzg/build/Release/kzg.node') as CKzg
    // precompute 0: verification does not use the tables; cell proofs are computed only in tests
    addon.loadTrustedSetup(0, setupPath())
    kzg = addon
    return addon
  } catch (e) {
    loadError = e
    throw unavailable()
  }
}

function unavailable(): CryptoError {
  const why = loadError instanceof Error ? loadError.message : String(loadError)
  return new CryptoError('KZG_UNAVAILABLE', `c-kzg not available (run \`bun install\`; ${why})`, { cause: loadError })
}

/** Loads c-kzg and its setup now (at start-up, say) rather than on the first blob. */
export function loadKzg(): KzgStatus {
  try {
    load()
    return { loaded: true }
  } catch {
    return kzgStatus()
  }
}

/** Whether c-kzg is loaded (false before the first use) and why it failed, when it did. */
export function kzgStatus(): KzgStatus {
  if (kzg) return { loaded: true }
  return loadError ? { loaded: false, error: loadError instanceof Error ? loadError.message : String(loadError) } : { loaded: false }
}

/** c-kzg answers with Node Buffers, whose `slice` is a view: plain Uint8Arrays the caller owns instead. */
const own = (b: Uint8Array): Uint8Array => new Uint8Array(b)

function size(b: Uint8Array, n: number, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== n) throw new CryptoError('KZG_INPUT', `${what} must be ${n} bytes, got ${b?.length}`)
}

/** blob_to_kzg_commitment: the 48-byte commitment of a 131072-byte blob. */
export function blobToKzgCommitment(blob: Uint8Array): Uint8Array {
  size(blob, KZG_BYTES_PER_BLOB, 'blob')
  return own(load().blobToKzgCommitment(blob))
}

/** compute_blob_kzg_proof: the EIP-4844 (wrapper version 0) proof of a blob against its commitment. */
export function computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array {
  size(blob, KZG_BYTES_PER_BLOB, 'blob')
  size(commitment, KZG_BYTES_PER_POINT, 'commitment')
  return own(load().computeBlobKzgProof(blob, commitment))
}

/** compute_kzg_proof: the proof and y = p(z) for the 32-byte point `z` (point-evaluation inputs). */
export function computeKzgProof(blob: Uint8Array, z: Uint8Array): { proof: Uint8Array; y: Uint8Array } {
  size(blob, KZG_BYTES_PER_BLOB, 'blob')
  size(z, 32, 'z')
  const [proof, y] = load().computeKzgProof(blob, z)
  return { proof: own(proof), y: own(y) }
}

/** verify_kzg_proof: p(z) = y for the committed polynomial (the 0x0a precompile). */
export function verifyKzgProof(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean {
  size(commitment, KZG_BYTES_PER_POINT, 'commitment')
  size(z, 32, 'z')
  size(y, 32, 'y')
  size(proof, KZG_BYTES_PER_POINT, 'proof')
  const k = load()
  try {
    return k.verifyKzgProof(commitment, z, y, proof)
  } catch {
    // c-kzg throws for inputs that are not points or field elements: not a valid proof
    return false
  }
}

/** verify_blob_kzg_proof_batch: one proof per blob (EIP-4844 sidecars, wrapper version 0). */
export function verifyBlobKzgProofBatch(blobs: readonly Uint8Array[], commitments: readonly Uint8Array[], proofs: readonly Uint8Array[]): boolean {
  if (blobs.length !== commitments.length || blobs.length !== proofs.length) return false
  blobs.forEach((b, i) => size(b, KZG_BYTES_PER_BLOB, `blob ${i}`))
  commitments.forEach((c, i) => size(c, KZG_BYTES_PER_POINT, `commitment ${i}`))
  proofs.forEach((p, i) => size(p, KZG_BYTES_PER_POINT, `proof ${i}`))
  const k = load()
  try {
    return k.verifyBlobKzgProofBatch([...blobs], [...commitments], [...proofs])
  } catch {
    return false
  }
}

/** compute_cells_and_kzg_proofs (EIP-7594): the 128 cells of the extended blob and their proofs. */
export function computeCellsAndKzgProofs(blob: Uint8Array): { cells: Uint8Array[]; proofs: Uint8Array[] } {
  size(blob, KZG_BYTES_PER_BLOB, 'blob')
  const [cells, proofs] = load().computeCellsAndKzgProofs(blob)
  return { cells: cells.map(own), proofs: proofs.map(own) }
}

/** The 128 cells of a blob's extension (EIP-7594), for checking cell proofs against a blob. */
export function computeCells(blob: Uint8Array): Uint8Array[] {
  size(blob, KZG_BYTES_PER_BLOB, 'blob')
  return load().computeCells(blob).map(own)
}

/** verify_cell_kzg_proof_batch: cell i of commitment i at `cellIndices[i]` with `proofs[i]`. */
export function verifyCellKzgProofBatch(commitments: readonly Uint8Array[], cellIndices: readonly number[], cells: readonly Uint8Array[], proofs: readonly Uint8Array[]): boolean {
  const n = commitments.length
  if (cellIndices.length !== n || cells.length !== n || proofs.length !== n) return false
  commitments.forEach((c, i) => size(c, KZG_BYTES_PER_POINT, `commitment ${i}`))
  cells.forEach((c, i) => size(c, KZG_BYTES_PER_CELL, `cell ${i}`))
  proofs.forEach((p, i) => size(p, KZG_BYTES_PER_POINT, `proof ${i}`))
  for (const i of cellIndices) if (!Number.isInteger(i) || i < 0 || i >= KZG_CELLS_PER_EXT_BLOB) return false
  const k = load()
  try {
    return k.verifyCellKzgProofBatch([...commitments], [...cellIndices], [...cells], [...proofs])
  } catch {
    return false
  }
}
