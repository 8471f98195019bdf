/**
 * The pool: per sender, transactions by nonce. Those forming a gap-free run from the account's
 * nonce are pending (executable); the rest are queued (future). A transaction with the same
 * sender and nonce replaces the held one only with at least `priceBump`% more on both fee cap
 * and tip (geth's PriceBump, 10). Limits: per sender (`accountSlots` + `accountQueue`
 * transactions) and global (`globalSlots` + `globalQueue` slots of 32 KB); when full, the
 * cheapest transaction is evicted for a better-paying one, else the new one is refused.
 * `promote` after each head drops what got mined or became invalid and announces what became
 * executable. Blob transactions' sidecars sit in a blob pool (blob-pool.ts) with its own limits,
 * entering and leaving with their transactions.
 */
import { bytesToHex, type Address, type Hash } from '../primitives/index.ts'
import type { AccountReader } from '../state/index.ts'
import { encodeBlobTransactionNetwork, type Transaction } from '../types/index.ts'
import { admitStateless } from './admit.ts'
import { createBlobPool, makeBlobRoom } from './blob-pool.ts'
import { TxPoolError } from './errors.ts'
import { bestOrder } from './ordering.ts'
import { DEFAULT_POOL_OPTIONS, type PoolDeps, type PoolOptions } from './options.ts'
import { checkReplacement, cheaper } from './replacement.ts'
import type { AddOptions, PoolContent, PooledTransaction, TransactionPool } from './types.ts'
import { maxCost, validateWithState } from './validate.ts'

const SLOT = 32 * 1024
const slots = (p: PooledTransaction): number => Math.max(1, Math.ceil(p.size / SLOT))
const key = (a: Address): string => bytesToHex(a)

interface Account {
  address: Address
  txs: Map<bigint, PooledTransaction>
  /** The account nonce at the head. */
  nonce: bigint
}

export function createTxPool(deps: PoolDeps, options: Partial<PoolOptions> = {}): TransactionPool {
  const opts = { ...DEFAULT_POOL_OPTIONS, ...options }
  const accounts = new Map<string, Account>()
  const byHash = new Map<string, PooledTransaction>()
  /** Hashes announced as pending (so each is announced once). */
  const announced = new Set<string>()
  const listeners = new Set<(txs: PooledTransaction[]) => void>()
  const blobs = createBlobPool({ maxBlobTxs: opts.blobMaxTxs, dataCap: opts.blobDataCap })
  let seq = 0
  let usedSlots = 0

  const pendingOf = (a: Account): PooledTransaction[] => {
    const out: PooledTransaction[] = []
    for (let n = a.nonce; a.txs.has(n); n++) out.push(a.txs.get(n)!)
    return out
  }
  const queuedOf = (a: Account): PooledTransaction[] => {
    const pending = new Set(pendingOf(a))
    return [...a.txs.values()].filter((p) => !pending.has(p)).sort((x, y) => (x.tx.nonce < y.tx.nonce ? -1 : 1))
  }

  const drop = (a: Account, p: PooledTransaction) => {
    a.txs.delete(p.tx.nonce)
    const h = bytesToHex(p.hash)
    byHash.delete(h)
    announced.delete(h)
    usedSlots -= slots(p)
    if (p.sidecar) blobs.remove(p.hash)
    if (a.txs.size === 0) accounts.delete(key(a.address))
  }
  const evict = (p: PooledTransaction) => drop(accounts.get(key(p.sender))!, p)

  const announce = () => {
    const fresh: PooledTransaction[] = []
    for (const a of accounts.values())
      for (const p of pendingOf(a)) {
        const h = bytesToHex(p.hash)
        if (!announced.has(h)) {
          announced.add(h)
          fresh.push(p)
        }
      }
    if (fresh.length === 0) return
    for (const l of listeners) l(fresh)
  }

  /** Evicts the cheapest transactions until `need` slots fit; false when `incoming` pays no more than them. */
  const makeRoom = (need: number, incoming: PooledTransaction, baseFee: bigint, from: string): boolean => {
    const limit = opts.globalSlots + opts.globalQueue
    while (usedSlots + need > limit) {
      let worst: { a: Account; p: PooledTransaction } | undefined
      for (const [k, a] of accounts) {
        if (k === from) continue
        for (const p of a.txs.values()) if (!worst || cheaper(p, worst.p, baseFee)) worst = { a, p }
      }
      if (!worst || !cheaper(worst.p, incoming, baseFee)) return false
      drop(worst.a, worst.p)
    }
    return true
  }

  const pool: TransactionPool = {
    add(tx: Transaction, addOpts: AddOptions = {}): PooledTransaction {
      const { header, state } = deps.head()
      const { hash, hashHex, raw, sender, rules } = admitStateless(tx, addOpts, header, deps, opts, (h) => byHash.has(h))
      const sidecar = addOpts.sidecar
      const k = key(sender)
      let a = accounts.get(k)
      const stateNonce = state.getAccount(sender)?.nonce ?? 0n
      let spent = 0n
      if (a) for (const p of a.txs.values()) if (p.tx.nonce < tx.nonce) spent += maxCost(p.tx)
      validateWithState(tx, sender, state, spent)
      const size = sidecar ? encodeBlobTransactionNetwork(sidecar).length : raw.length
      const entry: PooledTransaction = { tx, hash, sender, raw, sidecar, size, seq: seq++ }
      const old = a?.txs.get(tx.nonce)
      if (old) checkReplacement(old.tx, tx, opts.priceBump, opts.blobPriceBump)
      else if (a && a.txs.size >= opts.accountSlots + opts.accountQueue) {
        throw new TxPoolError('account-limit', `sender holds ${a.txs.size} transactions, at most ${opts.accountSlots + opts.accountQueue}`)
      }
      if (sidecar) makeBlobRoom(blobs, entry, old, evict)
      const freed = old ? slots(old) : 0
      if (!makeRoom(slots(entry) - freed, entry, rules.baseFee, k)) throw new TxPoolError('underpriced', 'the pool is full of better-paying transactions')
      if (!a) {
        a = { address: sender, txs: new Map(), nonce: stateNonce }
        accounts.set(k, a)
      }
      a.nonce = stateNonce
      if (old) drop(a, old)
      if (!accounts.has(k)) accounts.set(k, a)
      a.txs.set(tx.nonce, entry)
      byHash.set(hashHex, entry)
      usedSlots += slots(entry)
      blobs.add(entry)
      announce()
      return entry
    },
    get: (hash: Hash) => byHash.get(bytesToHex(hash)),
    has: (hash: Hash) => byHash.has(bytesToHex(hash)),
    nonce(sender: Address): bigint {
      const a = accounts.get(key(sender))
      if (!a) return deps.head().state.getAccount(sender)?.nonce ?? 0n
      let n = a.nonce
      while (a.txs.has(n)) n++
      return n
    },
    content() {
      const pending: PoolContent = new Map()
      const queued: PoolContent = new Map()
      for (const [k, a] of accounts) {
        const p = pendingOf(a)
        const q = queuedOf(a)
        if (p.length) pending.set(k, p)
        if (q.length) queued.set(k, q)
      }
      return { pending, queued }
    },
    contentFrom(sender: Address) {
      const a = accounts.get(key(sender))
      return a ? { pending: pendingOf(a), queued: queuedOf(a) } : { pending: [], queued: [] }
    },
    status() {
      let pending = 0
      for (const a of accounts.values()) pending += pendingOf(a).length
      return { pending, queued: byHash.size - pending, blobs: blobs.count }
    },
    best(baseFee: bigint, blobBaseFee?: bigint) {
      return bestOrder([...accounts.values()].map(pendingOf), baseFee, blobBaseFee)
    },
    promote() {
      const { header, state } = deps.head()
      const gasLimit = deps.rules(header).blockGasLimit
      for (const a of [...accounts.values()]) {
        const acct = state.getAccount(a.address)
        a.nonce = acct?.nonce ?? 0n
        let balance = acct?.balance ?? 0n
        for (const p of [...a.txs.values()].sort((x, y) => (x.tx.nonce < y.tx.nonce ? -1 : 1))) {
          if (p.tx.nonce < a.nonce || p.tx.gasLimit > gasLimit) {
            drop(a, p)
            continue
          }
          // unaffordable now: dropped (later nonces stay queued behind the gap)
          const cost = maxCost(p.tx)
          if (cost > balance) {
            drop(a, p)
            continue
          }
          balance -= cost
        }
      }
      announce()
    },
    remove(hash: Hash) {
      const p = byHash.get(bytesToHex(hash))
      if (!p) return false
      drop(accounts.get(key(p.sender))!, p)
      return true
    },
    onPending(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    blobByVersionedHash: (h) => blobs.blobByVersionedHash(h),
    sidecarOf: (h) => blobs.sidecarOf(h),
  }
  return pool
}
