/** Transaction hashes: keccak256 of the canonical encoding, and of the signed payload. */
import { keccak256, keccak256Batch } from '../crypto/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { Transaction, UnsignedTransaction } from './transaction.ts'
import { hashCache } from './tx-cache.ts'
import { encodeTransaction, signingPayload } from './tx-encode.ts'

/** The transaction hash (cached per object). */
export function transactionHash(tx: Transaction): Hash {
  let h = hashCache.get(tx)
  if (!h) {
    h = keccak256(encodeTransaction(tx))
    hashCache.set(tx, h)
  }
  return h
}

/** Hashes of many transactions in one native call (a block's worth). */
export function transactionHashes(txs: readonly Transaction[]): Hash[] {
  const missing: number[] = []
  const out: Hash[] = new Array(txs.length)
  for (let i = 0; i < txs.length; i++) {
    const h = hashCache.get(txs[i]!)
    if (h) out[i] = h
    else missing.push(i)
  }
  if (missing.length === 0) return out
  const hashes = keccak256Batch(missing.map((i) => encodeTransaction(txs[i]!)))
  for (let k = 0; k < missing.length; k++) {
    const i = missing[k]!
    out[i] = hashes[k]!
    hashCache.set(txs[i]!, hashes[k]!)
  }
  return out
}

/** The hash the sender signs. */
export function signingHash(tx: UnsignedTransaction): Hash {
  return keccak256(signingPayload(tx))
}
