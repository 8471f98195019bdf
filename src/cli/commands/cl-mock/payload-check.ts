/**
 * What cl-mock checks of a getPayload answer before it hands the payload back through
 * newPayload, as a beacon node checks what its execution client built: the payload's structure
 * (the engine's own strict codec), blockValue, executionRequests (Prague), and with `--blobs`
 * the blobs bundle against the payload's blob transactions (counts, sizes, each commitment's
 * versioned hash in order: cancun.md getPayloadV3 3–4; proofs are not verified here).
 */
import { executionRequests, parseExecutionPayload, type ExecutionPayload, type PayloadShape } from '../../../engine/index.ts'
import { bytesToHex, equalBytes, type Hash, type Hex } from '../../../primitives/index.ts'
import { BYTES_PER_BLOB, BYTES_PER_COMMITMENT, BYTES_PER_PROOF, CELLS_PER_EXT_BLOB, decodeTransaction, kzgToVersionedHash } from '../../../types/index.ts'
import { answerReader, ClMockError } from './errors.ts'

export interface CheckedPayload {
  /** The payload as the engine sent it (handed back unchanged). */
  json: Record<string, unknown>
  payload: ExecutionPayload
  blockValue: bigint
  /** The versioned hashes of the payload's blob transactions, in order. */
  versionedHashes: Hash[]
  /** V4+. */
  executionRequests?: Hex[]
  /** Blobs in the bundle (checked with `--blobs`, else counted). */
  blobs: number
}

/** Runs an engine-side parser on an answer; its -32602 becomes this run's error. */
function parsed<T>(what: string, f: () => T): T {
  try {
    return f()
  } catch (err) {
    throw new ClMockError(`${what}: ${err instanceof Error ? err.message : String(err)}`, err)
  }
}

/** The blob versioned hashes the payload's transactions carry (newPayloadV3's second parameter). */
export function blobVersionedHashes(txs: readonly Uint8Array[], what: string): Hash[] {
  const out: Hash[] = []
  txs.forEach((raw, i) => {
    if (raw[0] !== 3) return
    const tx = parsed(`${what}: transaction ${i}`, () => decodeTransaction(raw))
    if (tx.type === 3) out.push(...tx.blobVersionedHashes)
  })
  return out
}

export function checkGetPayload(version: 1 | 2 | 3 | 4 | 5, shape: PayloadShape, answer: unknown, opts: { blobs: boolean }): CheckedPayload {
  const what = `the engine's engine_getPayloadV${version} answer`
  const r = answerReader(what)
  const o = version === 1 ? { executionPayload: answer } : r.object(answer, 'result', ['executionPayload', 'blockValue'], ['blobsBundle', 'shouldOverrideBuilder', 'executionRequests'])
  const payload = parsed(what, () => parseExecutionPayload(o.executionPayload, [shape]))
  const out: CheckedPayload = {
    json: o.executionPayload as Record<string, unknown>,
    payload,
    blockValue: version === 1 ? 0n : r.quantity(o.blockValue, 'blockValue', 256),
    versionedHashes: blobVersionedHashes(payload.transactions, what),
    blobs: 0,
  }
  if (version >= 4) out.executionRequests = parsed(what, () => executionRequests(o.executionRequests)).map(bytesToHex)
  if (version >= 3) {
    const b = r.object(o.blobsBundle, 'blobsBundle', ['commitments', 'proofs', 'blobs'])
    const commitments = r.list(b.commitments, 'blobsBundle.commitments')
    out.blobs = commitments.length
    if (opts.blobs) checkBlobsBundle(r, b, out.versionedHashes, version === 5 ? CELLS_PER_EXT_BLOB : 1)
  }
  return out
}

function checkBlobsBundle(r: ReturnType<typeof answerReader>, b: Record<string, unknown>, hashes: readonly Hash[], proofsPerBlob: number): void {
  const list = (k: string, size: number) => r.list(b[k], `blobsBundle.${k}`).map((x, i) => r.data(x, `blobsBundle.${k}[${i}]`, { length: size }))
  const commitments = list('commitments', BYTES_PER_COMMITMENT)
  const blobs = list('blobs', BYTES_PER_BLOB)
  const proofs = list('proofs', BYTES_PER_PROOF)
  if (commitments.length !== hashes.length) r.fail('blobsBundle', `${commitments.length} commitments for the payload's ${hashes.length} blob versioned hashes`)
  if (blobs.length !== commitments.length) r.fail('blobsBundle', `${blobs.length} blobs for ${commitments.length} commitments`)
  if (proofs.length !== blobs.length * proofsPerBlob) r.fail('blobsBundle', `${proofs.length} proofs for ${blobs.length} blobs, ${proofsPerBlob} per blob expected`)
  commitments.forEach((c, i) => {
    if (!equalBytes(kzgToVersionedHash(c), hashes[i]!)) r.fail(`blobsBundle.commitments[${i}]`, `its versioned hash is not the payload's ${bytesToHex(hashes[i]!)}`)
  })
}
