/**
 * Receipts: `[status or post-state root, cumulativeGasUsed, logsBloom, logs]`. The consensus
 * encoding (receipts trie) is the RLP list for legacy transactions and `type || rlp(list)` for
 * typed ones (EIP-2718); blocks' receipt lists in eth/68 wrap typed ones in an RLP byte string,
 * as for transactions. Before Byzantium (EIP-658) the first field is the 32-byte state root.
 */
import { decodeRlp, encodeRlp, RlpError, rlpBytes, rlpFixed, rlpList, rlpUint, concatBytes, type Hash, type RlpItem } from '../primitives/index.ts'
import { BLOOM_BYTES, type Bloom } from './bloom.ts'
import { logFromRlp, logToRlp, type Log } from './log.ts'
import { rlpStringPayload, rlpWrapBytes } from './rlp-raw.ts'
import type { TxType } from './transaction.ts'

export interface Receipt {
  type: TxType
  /** EIP-658 outcome: 1 success, 0 failure. Absent when `root` is set. */
  status?: 0 | 1
  /** Pre-Byzantium post-transaction state root. */
  root?: Hash
  cumulativeGasUsed: bigint
  logsBloom: Bloom
  logs: Log[]
}

function receiptFromFields(type: TxType, item: RlpItem): Receipt {
  const f = rlpList(item, 'receipt')
  if (f.length !== 4) throw new RlpError('wrong-shape', `receipt has ${f.length} fields, expected 4`)
  const first = rlpBytes(f[0], 'receipt status')
  const cumulativeGasUsed = rlpUint(f[1], 'cumulativeGasUsed', 8)
  const logsBloom = rlpFixed(f[2], 'logsBloom', BLOOM_BYTES)
  const logs = rlpList(f[3], 'logs').map(logFromRlp)
  if (first.length === 32) return { type, root: first, cumulativeGasUsed, logsBloom, logs }
  if (first.length === 0) return { type, status: 0, cumulativeGasUsed, logsBloom, logs }
  if (first.length === 1 && first[0] === 1) return { type, status: 1, cumulativeGasUsed, logsBloom, logs }
  throw new RlpError('wrong-shape', 'receipt status must be empty, 0x01 or a 32-byte state root')
}

/** Decodes the consensus encoding. Throws `RlpError`. */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  if (bytes.length === 0) throw new RlpError('truncated', 'empty receipt')
  const first = bytes[0]!
  if (first >= 0xc0) return receiptFromFields(0, decodeRlp(bytes))
  if (first >= 1 && first <= 4) return receiptFromFields(first as TxType, decodeRlp(bytes.subarray(1)))
  throw new RlpError('wrong-shape', `unknown receipt type 0x${first.toString(16)}`)
}

/** Decodes a receipt in block-list form (typed ones wrapped in an RLP byte string). */
export function decodeBlockReceipt(item: Uint8Array): Receipt {
  if (item.length > 0 && item[0]! >= 0xc0) return decodeReceipt(item)
  const payload = rlpStringPayload(item)
  if (payload.length === 0 || payload[0]! >= 0x80) throw new RlpError('wrong-shape', 'a wrapped receipt must start with its type byte')
  return decodeReceipt(payload)
}

/** The consensus encoding: the receipts trie's values. */
export function encodeReceipt(r: Receipt): Uint8Array {
  const first = r.root ?? (r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0))
  const rlp = encodeRlp([first, r.cumulativeGasUsed, r.logsBloom, r.logs.map(logToRlp)])
  return r.type === 0 ? rlp : concatBytes(Uint8Array.of(r.type), rlp)
}

export function encodeBlockReceipt(r: Receipt): Uint8Array {
  const enc = encodeReceipt(r)
  return r.type === 0 ? enc : rlpWrapBytes(enc)
}
