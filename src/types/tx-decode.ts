/**
 * Decoding transactions from their canonical ("binary") form, as RPC `eth_sendRawTransaction`
 * and the transactions trie carry them: `type || rlp(payload)` for typed transactions, the RLP
 * list itself for legacy ones. Inside blocks and eth/68 messages typed transactions are wrapped
 * in an RLP byte string: {@link decodeBlockTransaction} takes that form.
 *
 * Decoding checks syntax: canonical RLP, field count and kinds, minimal integers, address and
 * key lengths, 64-bit nonce and gas limit. Whether the transaction is valid in a fork (type
 * active, 256-bit bounds, signature, intrinsic gas) is `validateTransaction`'s job.
 * Byte fields are views into `bytes`: copy the input first if its buffer will be reused.
 */
import { decodeRlpHeader } from '../primitives/index.ts'
import { decodeAccessList } from './access-list.ts'
import { decodeAuthorizationList } from './authorization.ts'
import { TransactionError } from './errors.ts'
import { rlpStringPayload } from './rlp-raw.ts'
import type {
  AccessListTransaction,
  BlobTransaction,
  DynamicFeeTransaction,
  LegacyTransaction,
  SetCodeTransaction,
  Transaction,
} from './transaction.ts'
import { chainIdFromV } from './transaction.ts'
import { encodingCache } from './tx-cache.ts'
import {
  asMalformed,
  noExtraFields,
  splitFields,
  txAddress,
  txBytes,
  txList,
  txParity,
  txTo,
  txUint,
  txUint64,
  type Field,
} from './tx-fields.ts'

/** Decodes a transaction from its canonical encoding. Throws `TransactionError`. */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  if (bytes.length === 0) throw new TransactionError('malformed', 'empty input')
  const first = bytes[0]!
  let tx: Transaction
  if (first >= 0xc0) {
    tx = decodeLegacyFields(splitFields(bytes))
  } else if (first >= 0x80) {
    // EIP-2718: a first byte in [0x80, 0xbf] is neither a type nor a legacy list. Broken RLP
    // is reported as such, a well-formed byte string as an unknown envelope.
    try {
      decodeRlpHeader(bytes, 0, bytes.length)
    } catch (err) {
      asMalformed(err)
    }
    throw new TransactionError('unsupported-type', `first byte 0x${first.toString(16)} is neither a transaction type nor an RLP list`)
  } else {
    if (first < 1 || first > 4) throw new TransactionError('unsupported-type', `unknown transaction type 0x${first.toString(16).padStart(2, '0')}`)
    const fields = splitFields(bytes.subarray(1))
    if (first === 3 && fields[0] !== undefined && !(fields[0] instanceof Uint8Array))
      throw new TransactionError('blob-sidecar', 'blob transaction in network form (with blobs); use decodeBlobTransactionNetwork')
    tx = decodeTypedFields(first as 1 | 2 | 3 | 4, fields)
  }
  encodingCache.set(tx, bytes)
  return tx
}

/**
 * Decodes one transaction as blocks and eth/68 messages carry it: a legacy RLP list, or a typed
 * transaction's canonical bytes wrapped in an RLP byte string.
 */
export function decodeBlockTransaction(item: Uint8Array): Transaction {
  if (item.length === 0) throw new TransactionError('malformed', 'empty input')
  if (item[0]! >= 0xc0) return decodeTransaction(item)
  let payload: Uint8Array
  try {
    payload = rlpStringPayload(item)
  } catch (err) {
    return asMalformed(err)
  }
  if (payload.length === 0 || payload[0]! >= 0x80)
    throw new TransactionError('malformed', 'a wrapped transaction must start with its type byte')
  return decodeTransaction(payload)
}

export function decodeLegacyFields(f: Field[]): LegacyTransaction {
  const nonce = txUint64(f[0], 'nonce', 'nonce-overflow')
  const gasPrice = txUint(f[1], 'gasPrice')
  const gasLimit = txUint64(f[2], 'gasLimit', 'gas-limit-overflow')
  const to = txTo(f[3])
  const value = txUint(f[4], 'value')
  const data = txBytes(f[5], 'data')
  const v = txUint(f[6], 'v')
  const r = txUint(f[7], 'r')
  const s = txUint(f[8], 's')
  noExtraFields(f, 9, 'a legacy transaction')
  const tx: LegacyTransaction = { type: 0, nonce, gasPrice, gasLimit, to, value, data, v, r, s }
  const chainId = chainIdFromV(v)
  if (chainId !== undefined) tx.chainId = chainId
  return tx
}

/** Decodes the fields of a typed transaction's payload list (signature included). */
export function decodeTypedFields(type: 1 | 2 | 3 | 4, f: Field[]): Transaction {
  const chainId = txUint(f[0], 'chainId')
  const nonce = txUint64(f[1], 'nonce', 'nonce-overflow')
  if (type === 1) {
    const gasPrice = txUint(f[2], 'gasPrice')
    const gasLimit = txUint64(f[3], 'gasLimit', 'gas-limit-overflow')
    const to = txTo(f[4])
    const value = txUint(f[5], 'value')
    const data = txBytes(f[6], 'data')
    const accessList = decodeAccessList(f[7])
    const yParity = txParity(f[8], 'yParity')
    const r = txUint(f[9], 'r')
    const s = txUint(f[10], 's')
    noExtraFields(f, 11, 'an EIP-2930 transaction')
    return { type, chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s } satisfies AccessListTransaction
  }
  const maxPriorityFeePerGas = txUint(f[2], 'maxPriorityFeePerGas')
  const maxFeePerGas = txUint(f[3], 'maxFeePerGas')
  const gasLimit = txUint64(f[4], 'gasLimit', 'gas-limit-overflow')
  if (type === 2) {
    const to = txTo(f[5])
    const value = txUint(f[6], 'value')
    const data = txBytes(f[7], 'data')
    const accessList = decodeAccessList(f[8])
    const yParity = txParity(f[9], 'yParity')
    const r = txUint(f[10], 'r')
    const s = txUint(f[11], 's')
    noExtraFields(f, 12, 'an EIP-1559 transaction')
    return {
      type, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s,
    } satisfies DynamicFeeTransaction
  }
  const to = requiredTo(f[5], type)
  const value = txUint(f[6], 'value')
  const data = txBytes(f[7], 'data')
  const accessList = decodeAccessList(f[8])
  if (type === 3) {
    const maxFeePerBlobGas = txUint(f[9], 'maxFeePerBlobGas')
    const hashes = txList(f[10], 'blobVersionedHashes')
    const blobVersionedHashes = hashes.map((h) => {
      const b = txBytes(h, 'blobVersionedHashes')
      if (b.length !== 32) throw new TransactionError('blob-version', `blob versioned hash must be 32 bytes, got ${b.length}`, { field: 'blobVersionedHashes' })
      return b
    })
    const yParity = txParity(f[11], 'yParity')
    const r = txUint(f[12], 'r')
    const s = txUint(f[13], 's')
    noExtraFields(f, 14, 'an EIP-4844 transaction')
    return {
      type, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, maxFeePerBlobGas,
      blobVersionedHashes, yParity, r, s,
    } satisfies BlobTransaction
  }
  const authorizationList = decodeAuthorizationList(f[9])
  const yParity = txParity(f[10], 'yParity')
  const r = txUint(f[11], 'r')
  const s = txUint(f[12], 's')
  noExtraFields(f, 13, 'an EIP-7702 transaction')
  return {
    type, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, authorizationList,
    yParity, r, s,
  } satisfies SetCodeTransaction
}

function requiredTo(item: Field | undefined, type: 3 | 4) {
  const b = txBytes(item, 'to')
  if (b.length === 0)
    throw new TransactionError('create-not-allowed', `a type ${type} transaction cannot create a contract`, { field: 'to', txType: type })
  return txAddress(b, 'to')
}
