/**
 * A bundle's transactions decoded at the door: each signed raw transaction (the canonical form,
 * or a blob transaction's network form) decoded, its sender recovered, its chain checked, no
 * transaction twice. The bundle hash is Flashbots': keccak256 of the transaction hashes
 * concatenated in order.
 */
import { keccak256 } from '../crypto/index.ts'
import { bytesToHex, concatBytes, hexToBytes, isHex, type Address, type Hash } from '../primitives/index.ts'
import { decodeBlobTransactionNetwork, decodeTransaction, isBlobNetworkForm, recoverSender, recoverSenders, TransactionError, transactionHash, type Transaction } from '../types/index.ts'
import { BundleError } from './errors.ts'

/** One decoded transaction of a bundle. */
export interface BundleTx {
  tx: Transaction
  sender: Address
  hash: Hash
}

/** A bundle kept for a block (eth_sendBundle). */
export interface Bundle {
  txs: BundleTx[]
  hash: Hash
  /** The block it is for. */
  blockNumber: bigint
  minTimestamp?: bigint
  maxTimestamp?: bigint
  /** Hashes (lower-case 0x hex) of the transactions that may revert without dropping the bundle. */
  revertingTxHashes: ReadonlySet<string>
}

/** Transactions per bundle, as Flashbots' relay bounds them. */
export const MAX_BUNDLE_TXS = 100

/**
 * Decoded transactions by their raw hex: searchers simulate the same transactions again and
 * again (on each new head, in each variant of a bundle), and parsing, decoding and sender
 * recovery are most of the cost of a small bundle. Oldest out past the bound.
 */
const DECODED_CACHE = 16_384
const decoded = new Map<string, BundleTx>()

function remember(key: string, t: BundleTx): void {
  if (decoded.size >= DECODED_CACHE) decoded.delete(decoded.keys().next().value!)
  decoded.set(key, t)
}

/** Flashbots' bundle hash: keccak256 over the transaction hashes in order. */
export function bundleHash(hashes: readonly Hash[]): Hash {
  return keccak256(concatBytes(...hashes))
}

/** One raw transaction decoded (its sender still to recover); throws `BundleError`. */
function decodeOne(hex: string, i: number): Transaction {
  if (!isHex(hex) || hex.length % 2 !== 0) throw new BundleError('undecodable', `transaction ${i} is not 0x-prefixed hex bytes`)
  const raw = hexToBytes(hex)
  try {
    return isBlobNetworkForm(raw) ? decodeBlobTransactionNetwork(raw).tx : decodeTransaction(raw)
  } catch (e) {
    if (e instanceof TransactionError) throw new BundleError('undecodable', `transaction ${i} does not decode: ${e.message}`, { cause: e })
    throw e
  }
}

/**
 * The transactions of `raws`: the ones seen before from the cache, the others decoded, their
 * senders recovered in one native batch (spread over threads) and remembered; throws
 * `BundleError` at the first bad one.
 */
function decodeAll(raws: readonly string[]): BundleTx[] {
  const out = raws.map((raw) => decoded.get(raw))
  const at: number[] = []
  const txs: Transaction[] = []
  out.forEach((t, i) => {
    if (t) return
    at.push(i)
    txs.push(decodeOne(raws[i]!, i))
  })
  if (txs.length === 0) return out as BundleTx[]
  const senders = recoverSenders(txs)
  txs.forEach((tx, k) => {
    const hash = transactionHash(tx)
    let sender = senders[k]
    if (!sender)
      try {
        sender = recoverSender(tx) // throws the precise reason
      } catch (e) {
        if (e instanceof TransactionError) throw new BundleError('undecodable', `transaction ${at[k]} (${bytesToHex(hash)}): invalid signature: ${e.message}`, { cause: e })
        throw e
      }
    remember(raws[at[k]!]!, (out[at[k]!] = { tx, sender, hash }))
  })
  return out as BundleTx[]
}

/** Decodes and checks the raw transactions of a bundle (0x hex, as JSON-RPC carries them) for chain `chainId`; throws `BundleError`. */
export function decodeBundleTxs(raws: readonly string[], chainId: bigint): BundleTx[] {
  if (raws.length === 0) throw new BundleError('empty', 'bundle missing txs')
  if (raws.length > MAX_BUNDLE_TXS) throw new BundleError('too-large', `a bundle carries at most ${MAX_BUNDLE_TXS} transactions, not ${raws.length}`)
  const seen = new Map<string, number>()
  return decodeAll(raws).map((t, i) => {
    const key = bytesToHex(t.hash)
    const first = seen.get(key)
    if (first !== undefined) throw new BundleError('duplicate', `transaction ${i} (${key}) is transaction ${first} again`)
    seen.set(key, i)
    if (t.tx.chainId !== undefined && t.tx.chainId !== chainId) throw new BundleError('wrong-chain', `transaction ${i} (${key}) is signed for chain ${t.tx.chainId}, not ${chainId}`)
    return t
  })
}
