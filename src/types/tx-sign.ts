/**
 * Signing and sender recovery. Recovery is fork-agnostic: it accepts any signature whose values
 * are in range (v 27/28 or EIP-155, y parity 0/1, 0 < r, s < n); the fork rules (EIP-155
 * activation, EIP-2 low s, chain id) are `validateTransaction`'s. Senders are cached per object.
 */
import { keccak256Batch, recoverAddresses, SECP256K1_N, startRecoverAddresses, sign, type RecoveryInput, type Signature } from '../crypto/index.ts'
import type { Address } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'
import type { Transaction, UnsignedTransaction } from './transaction.ts'
import { senderCache } from './tx-cache.ts'
import { signingPayload } from './tx-encode.ts'
import { signingHash } from './tx-hash.ts'

/** The recovery parity of a legacy `v` (27/28 or EIP-155), or null when `v` is neither. */
export function legacyParity(v: bigint): number | null {
  if (v === 27n || v === 28n) return Number(v - 27n)
  if (v >= 35n) return Number((v - 35n) & 1n)
  return null
}

/** The signature of `tx` as secp256k1 recovery takes it; throws when it is out of range. */
export function transactionSignature(tx: Transaction): Signature {
  const yParity = tx.type === 0 ? legacyParity(tx.v) : tx.yParity
  if (yParity !== 0 && yParity !== 1)
    throw new TransactionError('invalid-signature', tx.type === 0 ? `invalid v ${tx.v}` : `invalid y parity ${tx.yParity}`, {
      field: tx.type === 0 ? 'v' : 'yParity',
    })
  if (tx.r <= 0n || tx.r >= SECP256K1_N) throw new TransactionError('invalid-signature', 'r is out of range', { field: 'r' })
  if (tx.s <= 0n || tx.s >= SECP256K1_N) throw new TransactionError('invalid-signature', 's is out of range', { field: 's' })
  return { r: tx.r, s: tx.s, yParity }
}

/** The sender's address. Throws `TransactionError` (`invalid-signature` or `recovery-failed`). */
export function recoverSender(tx: Transaction): Address {
  const cached = senderCache.get(tx)
  if (cached) return cached
  const sender = recoverSenders([tx])[0]
  if (!sender) {
    transactionSignature(tx) // throws the precise reason when the values are out of range
    throw new TransactionError('recovery-failed', 'no public key recovers from the signature')
  }
  return sender
}

/**
 * Senders of many transactions (a block's): signing hashes in one batched keccak call and the
 * recoveries in one multi-threaded native call. Null where the signature is invalid.
 */
export function recoverSenders(txs: readonly Transaction[]): (Address | null)[] {
  const work = pendingSenders(txs)
  if (work.idx.length > 0) fillSenders(txs, work, recoverAddresses(work.inputs))
  return work.out
}

/**
 * Starts recovering the senders of `txs` on a background thread (the blocks after the one being
 * executed); `wait()` puts them in the per-transaction cache, where `recoverSenders` finds them.
 */
export function startRecoverSenders(txs: readonly Transaction[]): { wait(): void } {
  const work = pendingSenders(txs)
  if (work.idx.length === 0) return { wait() {} }
  const pending = startRecoverAddresses(work.inputs)
  return { wait: () => void fillSenders(txs, work, pending.wait()) }
}

/** Senders being recovered in the background, first transactions first. */
export interface SendersInOrder {
  /** Transaction `i`'s sender, or null for an invalid signature; waits until `i`'s is recovered. */
  sender(i: number): Address | null
  /** Every sender (waits for all; call it at least once, it collects the background job). */
  all(): (Address | null)[]
}

/**
 * Starts recovering the senders of `txs` (a block about to execute) on background threads,
 * first transactions first, so that execution can start on the first senders while the rest
 * are still being recovered. Cached senders are not recovered again; recovered ones are put in
 * the cache as they are taken.
 */
export function startRecoverSendersInOrder(txs: readonly Transaction[]): SendersInOrder {
  const work = pendingSenders(txs)
  if (work.idx.length === 0) return { sender: (i) => work.out[i] ?? null, all: () => work.out }
  const job = startRecoverAddresses(work.inputs)
  // transaction index → its place in the job (-1: cached, or a signature out of range)
  const place = new Int32Array(txs.length).fill(-1)
  work.idx.forEach((i, k) => (place[i] = k))
  const settle = (i: number, a: Address | null) => {
    if (a) {
      work.out[i] = a
      senderCache.set(txs[i]!, a)
    }
    place[i] = -1
  }
  return {
    sender(i) {
      const k = place[i]!
      if (k >= 0) settle(i, job.get(k))
      return work.out[i] ?? null
    },
    all() {
      const senders = job.wait()
      for (let k = 0; k < work.idx.length; k++) if (place[work.idx[k]!]! >= 0) settle(work.idx[k]!, senders[k]!)
      return work.out
    },
  }
}

interface SenderWork {
  /** Senders known so far (cached), null elsewhere. */
  out: (Address | null)[]
  /** Indexes of the transactions to recover, and their recovery inputs. */
  idx: number[]
  inputs: RecoveryInput[]
}

function pendingSenders(txs: readonly Transaction[]): SenderWork {
  const out: (Address | null)[] = new Array(txs.length).fill(null)
  const idx: number[] = []
  const payloads: Uint8Array[] = []
  const sigs: Signature[] = []
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!
    const cached = senderCache.get(tx)
    if (cached) {
      out[i] = cached
      continue
    }
    let sig: Signature
    try {
      sig = transactionSignature(tx)
    } catch {
      continue
    }
    idx.push(i)
    payloads.push(signingPayload(tx))
    sigs.push(sig)
  }
  const hashes = idx.length > 0 ? keccak256Batch(payloads) : []
  const inputs: RecoveryInput[] = sigs.map((s, k) => ({ hash: hashes[k]!, r: s.r, s: s.s, yParity: s.yParity }))
  return { out, idx, inputs }
}

function fillSenders(txs: readonly Transaction[], work: SenderWork, senders: (Address | null)[]): void {
  for (let k = 0; k < work.idx.length; k++) {
    const a = senders[k]
    if (!a) continue
    work.out[work.idx[k]!] = a
    senderCache.set(txs[work.idx[k]!]!, a)
  }
}

/**
 * Signs `tx` with `privateKey` (RFC 6979, low s). A legacy transaction with `chainId` gets an
 * EIP-155 `v`, one without gets 27/28.
 */
export function signTransaction(tx: UnsignedTransaction, privateKey: Uint8Array): Transaction {
  const sig = sign(signingHash(tx), privateKey)
  if (tx.type === 0) {
    const v = tx.chainId !== undefined ? tx.chainId * 2n + 35n + BigInt(sig.yParity) : 27n + BigInt(sig.yParity)
    return { ...tx, v, r: sig.r, s: sig.s }
  }
  return { ...tx, yParity: sig.yParity, r: sig.r, s: sig.s } as Transaction
}
