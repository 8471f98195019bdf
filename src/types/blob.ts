/**
 * EIP-4844 blob transactions in network form, as eth/68 `PooledTransactions` and
 * `eth_sendRawTransaction` carry them:
 *
 * - version 0 (Cancun): `0x03 || rlp([tx_payload_body, blobs, commitments, proofs])`, one proof
 *   per blob;
 * - version 1 (EIP-7594, Osaka): `0x03 || rlp([tx_payload_body, 1, blobs, commitments,
 *   cell_proofs])`, 128 cell proofs per blob.
 *
 * `tx_payload_body` is the canonical transaction's RLP list. Only structure is checked here
 * (counts, sizes, commitments against versioned hashes); KZG proof verification is the caller's.
 */
import { sha256 } from '../crypto/index.ts'
import { concatBytes, decodeRlp, decodeRlpHeader, encodeRlp, type Hash, type RlpItem } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'
import { rlpListItems } from './rlp-raw.ts'
import type { BlobTransaction } from './transaction.ts'
import { encodingCache } from './tx-cache.ts'
import { decodeTypedFields } from './tx-decode.ts'
import { asMalformed } from './tx-fields.ts'
import { transactionFields } from './tx-encode.ts'

export const BYTES_PER_BLOB = 131_072
export const BYTES_PER_COMMITMENT = 48
export const BYTES_PER_PROOF = 48
/** EIP-7594: cell proofs per blob in the version 1 wrapper. */
export const CELLS_PER_EXT_BLOB = 128
export const VERSIONED_HASH_VERSION_KZG = 0x01
/** Blob gas per blob. */
export const GAS_PER_BLOB = 1n << 17n

export interface BlobTransactionNetwork {
  tx: BlobTransaction
  /** 0: one KZG proof per blob (Cancun). 1: cell proofs (EIP-7594, Osaka). */
  wrapperVersion: 0 | 1
  blobs: Uint8Array[]
  commitments: Uint8Array[]
  proofs: Uint8Array[]
}

/** Whether a versioned hash carries the KZG version byte (0x01). */
export function hasBlobVersion(hash: Hash): boolean {
  return hash.length === 32 && hash[0] === VERSIONED_HASH_VERSION_KZG
}

/** EIP-4844: 0x01 || sha256(commitment)[1:]. */
export function kzgToVersionedHash(commitment: Uint8Array): Hash {
  const h = sha256(commitment)
  h[0] = VERSIONED_HASH_VERSION_KZG
  return h
}

function fail(details: string, cause?: unknown): never {
  throw new TransactionError('blob-sidecar', details, { cause })
}

function byteList(item: RlpItem | undefined, what: string, size: number): Uint8Array[] {
  if (!Array.isArray(item)) fail(`${what} must be a list`)
  return item.map((b, i) => {
    if (Array.isArray(b) || b.length !== size) fail(`${what} ${i} must be ${size} bytes`)
    return b
  })
}

/**
 * Whether `bytes` is a blob transaction in network form rather than the canonical one: type 3
 * and an outer list whose first item is itself a list (the canonical form's first item is the
 * chain id). Looks at headers only; false for anything malformed (the decoder reports it).
 */
export function isBlobNetworkForm(bytes: Uint8Array): boolean {
  if (bytes.length < 2 || bytes[0] !== 3) return false
  try {
    const outer = decodeRlpHeader(bytes, 1, bytes.length)
    return outer.list && outer.length > 0 && bytes[outer.start]! >= 0xc0
  } catch {
    return false
  }
}

/** Decodes the network form; checks shape and sizes, not counts (see {@link validateBlobSidecar}). */
export function decodeBlobTransactionNetwork(bytes: Uint8Array): BlobTransactionNetwork {
  if (bytes.length === 0 || bytes[0] !== 3) throw new TransactionError('unsupported-type', 'network form must start with type 0x03')
  const body = bytes.subarray(1)
  let outer: RlpItem
  try {
    outer = decodeRlp(body)
  } catch (err) {
    return asMalformed(err)
  }
  if (!Array.isArray(outer) || !Array.isArray(outer[0])) fail('expected [tx_payload_body, blobs, commitments, proofs]')
  let wrapperVersion: 0 | 1 = 0
  let rest = outer.slice(1)
  if (outer.length === 5) {
    const ver = outer[1]
    if (Array.isArray(ver) || ver.length !== 1 || ver[0] !== 1) fail('unknown wrapper version')
    wrapperVersion = 1
    rest = outer.slice(2)
  } else if (outer.length !== 4) {
    fail(`network form has ${outer.length} items, expected 4 or 5`)
  }
  const tx = decodeTypedFields(3, outer[0]) as BlobTransaction
  encodingCache.set(tx, concatBytes(Uint8Array.of(3), rlpListItems(body)[0]!))
  return {
    tx,
    wrapperVersion,
    blobs: byteList(rest[0], 'blob', BYTES_PER_BLOB),
    commitments: byteList(rest[1], 'commitment', BYTES_PER_COMMITMENT),
    proofs: byteList(rest[2], 'proof', BYTES_PER_PROOF),
  }
}

export function encodeBlobTransactionNetwork(n: BlobTransactionNetwork): Uint8Array {
  const head = n.wrapperVersion === 1 ? [transactionFields(n.tx), 1] : [transactionFields(n.tx)]
  return concatBytes(Uint8Array.of(3), encodeRlp([...head, n.blobs, n.commitments, n.proofs]))
}

/**
 * Counts and sizes of the sidecar against the transaction: one blob and one commitment per
 * versioned hash, each commitment hashing to its versioned hash, and one proof per blob
 * (version 0) or 128 cell proofs per blob (version 1).
 */
export function validateBlobSidecar(n: BlobTransactionNetwork): void {
  const hashes = n.tx.blobVersionedHashes
  if (n.blobs.length !== hashes.length) fail(`${n.blobs.length} blobs for ${hashes.length} versioned hashes`)
  if (n.commitments.length !== hashes.length) fail(`${n.commitments.length} commitments for ${hashes.length} versioned hashes`)
  const proofs = n.wrapperVersion === 1 ? hashes.length * CELLS_PER_EXT_BLOB : hashes.length
  if (n.proofs.length !== proofs) fail(`${n.proofs.length} proofs, expected ${proofs}`)
  for (const [i, b] of n.blobs.entries()) if (b.length !== BYTES_PER_BLOB) fail(`blob ${i} must be ${BYTES_PER_BLOB} bytes`)
  for (const [i, p] of n.proofs.entries()) if (p.length !== BYTES_PER_PROOF) fail(`proof ${i} must be ${BYTES_PER_PROOF} bytes`)
  for (let i = 0; i < hashes.length; i++) {
    const c = n.commitments[i]!
    if (c.length !== BYTES_PER_COMMITMENT) fail(`commitment ${i} must be ${BYTES_PER_COMMITMENT} bytes`)
    const expected = kzgToVersionedHash(c)
    const h = hashes[i]!
    for (let k = 0; k < 32; k++) if (h[k] !== expected[k]) fail(`commitment ${i} does not match versioned hash ${i}`)
  }
}
