/**
 * Transactions as eth/68+ messages carry them (Transactions, PooledTransactions): a legacy
 * transaction as its RLP list, a typed one as an RLP byte string holding `type || payload` —
 * for blob transactions in PooledTransactions the network form with blobs, commitments and
 * proofs (EIP-4844). The announced size (NewPooledTransactionHashes) is the length of that
 * encoding without the outer string header.
 *
 * Callers: the transaction fetcher and broadcaster.
 */
import { decodeRlp, encodeRlp, type Hash, type RlpItem } from '../../primitives/index.ts'
import { decodeBlobTransactionNetwork, decodeTransaction, encodeBlobTransactionNetwork, transactionHash, type BlobTransactionNetwork, type Transaction } from '../../types/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'

export interface WireTransaction {
  tx: Transaction
  /** The blob sidecar, when a blob transaction came in network form. */
  sidecar?: BlobTransactionNetwork
  hash: Hash
  /** Encoded size as announcements count it. */
  size: number
}

/** What the pool holds, as far as the wire needs it. */
export interface WireSource {
  tx: Transaction
  raw: Uint8Array
  sidecar?: BlobTransactionNetwork
}

/** Decodes one transaction item; throws P2pError MESSAGE_INVALID (SubprotocolError) on malformed input. */
export function decodeWireTransaction(item: RlpItem): WireTransaction {
  try {
    if (Array.isArray(item)) {
      const raw = encodeRlp(item)
      const tx = decodeTransaction(raw)
      return { tx, hash: transactionHash(tx), size: raw.length }
    }
    if (item[0] === 3) {
      try {
        const sidecar = decodeBlobTransactionNetwork(item)
        return { tx: sidecar.tx, sidecar, hash: transactionHash(sidecar.tx), size: item.length }
      } catch {
        // the canonical form without a sidecar: decoded below, the pool refuses it
      }
    }
    const tx = decodeTransaction(item)
    return { tx, hash: transactionHash(tx), size: item.length }
  } catch (cause) {
    throw new P2pError('MESSAGE_INVALID', 'undecodable transaction', { cause, details: cause instanceof Error ? cause.message : undefined, reason: DisconnectReason.SubprotocolError })
  }
}

/** The item of a pooled transaction in a Transactions or PooledTransactions message. */
export function wireItem(p: WireSource): RlpItem {
  if (p.tx.type === 0) return decodeRlp(p.raw)
  if (p.sidecar) return encodeBlobTransactionNetwork(p.sidecar)
  return p.raw
}
