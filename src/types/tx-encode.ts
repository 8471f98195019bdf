/**
 * Encoding transactions: the canonical form (`type || rlp(payload)`, or the RLP list for legacy),
 * the block-body form (typed ones wrapped in an RLP byte string), and the payloads that are
 * signed. A decoded transaction re-encodes to the exact bytes it came from without work.
 */
import { bigintToBytes, concatBytes, EMPTY_BYTES, encodeRlp, type RlpInput } from '../primitives/index.ts'
import { accessListToRlp } from './access-list.ts'
import { authorizationListToRlp } from './authorization.ts'
import { rlpWrapBytes } from './rlp-raw.ts'
import type { Transaction, UnsignedTransaction } from './transaction.ts'
import { encodingCache } from './tx-cache.ts'

// Integers are turned into bytes here, once: encodeRlp would convert each twice (measure, write).
const u = bigintToBytes

/** Payload fields before the signature, in wire order. */
export function unsignedFields(tx: UnsignedTransaction): RlpInput[] {
  const to = tx.to ?? EMPTY_BYTES
  switch (tx.type) {
    case 0:
      return [u(tx.nonce), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value), tx.data]
    case 1:
      return [u(tx.chainId), u(tx.nonce), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value), tx.data, accessListToRlp(tx.accessList)]
    case 2:
      return [
        u(tx.chainId), u(tx.nonce), u(tx.maxPriorityFeePerGas), u(tx.maxFeePerGas), u(tx.gasLimit), to, u(tx.value), tx.data,
        accessListToRlp(tx.accessList),
      ]
    case 3:
      return [
        u(tx.chainId), u(tx.nonce), u(tx.maxPriorityFeePerGas), u(tx.maxFeePerGas), u(tx.gasLimit), to, u(tx.value), tx.data,
        accessListToRlp(tx.accessList), u(tx.maxFeePerBlobGas), tx.blobVersionedHashes,
      ]
    case 4:
      return [
        u(tx.chainId), u(tx.nonce), u(tx.maxPriorityFeePerGas), u(tx.maxFeePerGas), u(tx.gasLimit), to, u(tx.value), tx.data,
        accessListToRlp(tx.accessList), authorizationListToRlp(tx.authorizationList),
      ]
  }
}

/** All payload fields, signature included, in wire order. */
export function transactionFields(tx: Transaction): RlpInput[] {
  const f = unsignedFields(tx)
  f.push(u(tx.type === 0 ? tx.v : tx.yParity), u(tx.r), u(tx.s))
  return f
}

/** Canonical encoding: what is hashed, put in the transactions trie and sent over RPC. */
export function encodeTransaction(tx: Transaction): Uint8Array {
  const cached = encodingCache.get(tx)
  if (cached) return cached
  const rlp = encodeRlp(transactionFields(tx))
  const out = tx.type === 0 ? rlp : concatBytes(Uint8Array.of(tx.type), rlp)
  encodingCache.set(tx, out)
  return out
}

/** Block-body (and eth/68) form: legacy as its RLP list, typed wrapped in an RLP byte string. */
export function encodeBlockTransaction(tx: Transaction): Uint8Array {
  const canonical = encodeTransaction(tx)
  return tx.type === 0 ? canonical : rlpWrapBytes(canonical)
}

/**
 * The bytes whose keccak256 is signed: `rlp(fields)` for pre-EIP-155 legacy transactions,
 * `rlp(fields ++ [chainId, 0, 0])` for EIP-155 ones, `type || rlp(fields)` for typed ones.
 */
export function signingPayload(tx: UnsignedTransaction): Uint8Array {
  const f = unsignedFields(tx)
  if (tx.type === 0) {
    if (tx.chainId !== undefined) f.push(tx.chainId, 0, 0)
    return encodeRlp(f)
  }
  return concatBytes(Uint8Array.of(tx.type), encodeRlp(f))
}
