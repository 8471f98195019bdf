/**
 * The stateless pool (`createStatelessTxPool`), for nodes that hold no state
 * (the txpool profile: p2p and RPC, no chain sync). Without state it cannot know nonces or
 * balances, so it checks only what needs none — size, fork rules, chain id, signature values and
 * intrinsic gas (src/types validateTransaction), block gas limit, minimum tip (fee cap ≥ tip ≥
 * the minimum), blob sidecar shape — and recovers the sender. Every transaction it holds is
 * pending, each sender's in nonce order; nothing is queued.
 *
 * Limits as in the stateful pool: a replacement (same sender and nonce) needs `priceBump`% more
 * fee cap and tip; a sender holds at most `accountSlots + accountQueue` transactions, and when
 * full its lowest nonce (the likeliest to be mined already) makes room for a higher one; at
 * `globalSlots + globalQueue` slots of 32 KB the cheapest transaction (the oldest among equally
 * cheap) is evicted unless it pays more than the newcomer. Since nothing tells this pool what got
 * mined, a transaction leaves after `lifetimeMs` (geth's --txpool.lifetime, 3 h) on `promote()`
 * or the next `add`.
 *
 * Without balances a peer can fill the pool with signed transactions of empty accounts; the
 * limits bound what that costs.
 */
import { bytesToHex, type Address, type Hash } from '../primitives/index.ts'
import { encodeBlobTransactionNetwork, type Header, type Transaction } from '../types/index.ts'
import { admitStateless } from './admit.ts'
import { createBlobPool, makeBlobRoom } from './blob-pool.ts'
import { TxPoolError } from './errors.ts'
import { bestOrder } from './ordering.ts'
import { DEFAULT_POOL_OPTIONS, type PoolDeps, type PoolOptions } from './options.ts'
import { checkReplacement, cheaper } from './replacement.ts'
import type { AddOptions, PoolContent, PooledTransaction, TransactionPool } from './types.ts'

/** geth's --txpool.lifetime default: 3 hours. */
export const DEFAULT_LIFETIME_MS = 3 * 60 * 60 * 1000

/** What the stateless pool needs: a header for the rules (no state is read). */
export interface StatelessPoolDeps {
  head(): { header: Header }
  rules: PoolDeps['rules']
  verifyBlobProofs?: PoolDeps['verifyBlobProofs']
  /** Milliseconds clock (default Date.now), for lifetimes. */
  now?: () => number
}

const SLOT = 32 * 1024
const slots = (p: PooledTransaction): number => Math.max(1, Math.ceil(p.size / SLOT))
const byNonce = (x: PooledTransaction, y: PooledTransaction) => (x.tx.nonce < y.tx.nonce ? -1 : x.tx.nonce > y.tx.nonce ? 1 : 0)

export function createStatelessTxPool(deps: StatelessPoolDeps, options: Partial<PoolOptions> = {}): TransactionPool {
  const opts = { ...DEFAULT_POOL_OPTIONS, ...options }
  const now = deps.now ?? Date.now
  const lifetime = opts.lifetimeMs ?? DEFAULT_LIFETIME_MS
  /** sender (lower-case hex) → nonce → transaction */
  const accounts = new Map<string, Map<bigint, PooledTransaction>>()
  const byHash = new Map<string, PooledTransaction>()
  /** Arrival order with arrival times; removed entries are skipped when reached. */
  const arrivals: { p: PooledTransaction; at: number }[] = []
  let arrivalHead = 0
  const listeners = new Set<(txs: PooledTransaction[]) => void>()
  const blobs = createBlobPool({ maxBlobTxs: opts.blobMaxTxs, dataCap: opts.blobDataCap })
  let seq = 0
  let usedSlots = 0

  const drop = (p: PooledTransaction) => {
    const k = bytesToHex(p.sender)
    const txs = accounts.get(k)
    if (!txs || txs.get(p.tx.nonce) !== p) return
    txs.delete(p.tx.nonce)
    if (txs.size === 0) accounts.delete(k)
    byHash.delete(bytesToHex(p.hash))
    usedSlots -= slots(p)
    if (p.sidecar) blobs.remove(p.hash)
  }
  const held = (p: PooledTransaction) => byHash.get(bytesToHex(p.hash)) === p

  const expire = () => {
    const cutoff = now() - lifetime
    while (arrivalHead < arrivals.length && arrivals[arrivalHead]!.at <= cutoff) drop(arrivals[arrivalHead++]!.p)
    // compact once the dead prefix dominates
    if (arrivalHead > 1024 && arrivalHead * 2 > arrivals.length) {
      arrivals.splice(0, arrivalHead)
      arrivalHead = 0
    }
  }

  /** Evicts until `need` slots fit; false when the cheapest held pays more than `incoming`. */
  const makeRoom = (need: number, incoming: PooledTransaction, baseFee: bigint, replacing?: PooledTransaction): boolean => {
    const limit = opts.globalSlots + opts.globalQueue
    while (usedSlots + need > limit) {
      let worst: PooledTransaction | undefined
      for (const p of byHash.values()) {
        if (p === replacing) continue
        // cheapest first; among equals the oldest (lowest seq) goes
        if (!worst || cheaper(p, worst, baseFee) || (!cheaper(worst, p, baseFee) && p.seq < worst.seq)) worst = p
      }
      if (!worst || cheaper(incoming, worst, baseFee)) return false
      drop(worst)
    }
    return true
  }

  const sorted = (txs: Map<bigint, PooledTransaction>) => [...txs.values()].sort(byNonce)

  return {
    add(tx: Transaction, addOpts: AddOptions = {}): PooledTransaction {
      expire()
      const { hash, hashHex, raw, sender, rules } = admitStateless(tx, addOpts, deps.head().header, deps, opts, (h) => byHash.has(h))
      const sidecar = addOpts.sidecar
      const k = bytesToHex(sender)
      const txs = accounts.get(k)
      const size = sidecar ? encodeBlobTransactionNetwork(sidecar).length : raw.length
      const entry: PooledTransaction = { tx, hash, sender, raw, sidecar, size, seq: seq++ }
      const old = txs?.get(tx.nonce)
      let lowest: PooledTransaction | undefined
      if (old) checkReplacement(old.tx, tx, opts.priceBump, opts.blobPriceBump)
      else if (txs && txs.size >= opts.accountSlots + opts.accountQueue) {
        lowest = sorted(txs)[0]!
        if (lowest.tx.nonce > tx.nonce) throw new TxPoolError('account-limit', `sender holds ${txs.size} transactions, at most ${opts.accountSlots + opts.accountQueue}, all with higher nonces`)
      }
      if (sidecar) makeBlobRoom(blobs, entry, old ?? lowest, drop)
      const freed = (old ? slots(old) : 0) + (lowest ? slots(lowest) : 0)
      if (!makeRoom(slots(entry) - freed, entry, rules.baseFee, old ?? lowest)) throw new TxPoolError('underpriced', 'the pool is full of better-paying transactions')
      if (old) drop(old)
      if (lowest) drop(lowest)
      let list = accounts.get(k)
      if (!list) accounts.set(k, (list = new Map()))
      list.set(tx.nonce, entry)
      byHash.set(hashHex, entry)
      usedSlots += slots(entry)
      blobs.add(entry)
      arrivals.push({ p: entry, at: now() })
      for (const l of listeners) l([entry])
      return entry
    },
    get: (hash: Hash) => byHash.get(bytesToHex(hash)),
    has: (hash: Hash) => byHash.has(bytesToHex(hash)),
    nonce(sender: Address): bigint {
      const txs = accounts.get(bytesToHex(sender))
      if (!txs) return 0n
      let max = -1n
      for (const n of txs.keys()) if (n > max) max = n
      return max + 1n
    },
    content() {
      const pending: PoolContent = new Map()
      for (const [k, txs] of accounts) pending.set(k, sorted(txs))
      return { pending, queued: new Map() }
    },
    contentFrom(sender: Address) {
      const txs = accounts.get(bytesToHex(sender))
      return { pending: txs ? sorted(txs) : [], queued: [] }
    },
    status: () => ({ pending: byHash.size, queued: 0, blobs: blobs.count }),
    best: (baseFee: bigint, blobBaseFee?: bigint) => bestOrder([...accounts.values()].map(sorted), baseFee, blobBaseFee),
    promote: expire,
    remove(hash: Hash) {
      const p = byHash.get(bytesToHex(hash))
      if (!p || !held(p)) return false
      drop(p)
      return true
    },
    onPending(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    blobByVersionedHash: (h) => blobs.blobByVersionedHash(h),
    sidecarOf: (h) => blobs.sidecarOf(h),
  }
}
