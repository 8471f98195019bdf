/**
 * The blob pool: the sidecars of the pool's blob transactions, indexed by transaction hash and by
 * versioned hash, within explicit limits (`maxBlobTxs` transactions and `dataCap` bytes of blobs,
 * commitments and proofs). Both pools (pool.ts, stateless.ts) hold one: a blob transaction's
 * sidecar enters with it and leaves with it — on inclusion (promote), replacement, eviction or
 * removal — so a lookup never finds a sidecar whose transaction is gone.
 *
 * When full, the pool makes room by evicting the blob transactions that pay the least blob fee
 * (then tip) if the newcomer pays more, as geth's blobpool evicts by fee (`evictable`).
 *
 * Consumers: the Engine API (engine_getBlobsV1/V2 by versioned hash; blobs bundles of built
 * payloads by transaction hash), txpool_* later.
 */
import { bytesToHex, type Hash } from '../primitives/index.ts'
import { gasFeeCap, gasTipCap, type BlobTransactionNetwork } from '../types/index.ts'
import { TxPoolError } from './errors.ts'
import { sidecarBytes } from './sidecar.ts'
import type { BlobLookup, PooledTransaction } from './types.ts'

export interface BlobPoolLimits {
  /** Blob transactions held at most (default 1024). */
  maxBlobTxs: number
  /** Bytes of sidecars held at most (default 256 MiB; geth's --blobpool.datacap, on disk there). */
  dataCap: number
}

export const DEFAULT_BLOB_POOL_LIMITS: BlobPoolLimits = { maxBlobTxs: 1024, dataCap: 256 * 1024 * 1024 }

interface Held {
  p: PooledTransaction
  bytes: number
}

export interface BlobPool extends BlobLookup {
  readonly count: number
  readonly bytes: number
  readonly limits: BlobPoolLimits
  /** Indexes a pooled transaction's sidecar, if it has one (the caller made room). */
  add(p: PooledTransaction): void
  /** Forgets a transaction's sidecar; false when none was held. */
  remove(txHash: Hash): boolean
  /** Whether one more sidecar of `bytes` fits once `freed` (a replaced transaction) is gone. */
  fits(bytes: number, freed?: PooledTransaction): boolean
  /** The held transaction that pays least for blob space (blob fee cap, then tip, then fee cap), `except` skipped. */
  cheapest(except?: (p: PooledTransaction) => boolean): PooledTransaction | undefined
}

/** Whether blob transaction `a` pays less than `b`: blob fee cap, then tip, then fee cap. */
export function cheaperBlob(a: PooledTransaction, b: PooledTransaction): boolean {
  const fa = a.tx.type === 3 ? a.tx.maxFeePerBlobGas : 0n, fb = b.tx.type === 3 ? b.tx.maxFeePerBlobGas : 0n
  if (fa !== fb) return fa < fb
  const ta = gasTipCap(a.tx), tb = gasTipCap(b.tx)
  if (ta !== tb) return ta < tb
  return gasFeeCap(a.tx) < gasFeeCap(b.tx)
}

export function createBlobPool(limits: Partial<BlobPoolLimits> = {}): BlobPool {
  const lim: BlobPoolLimits = { ...DEFAULT_BLOB_POOL_LIMITS, ...limits }
  if (!(lim.maxBlobTxs >= 0) || !(lim.dataCap >= 0)) throw new RangeError('blob pool limits must be non-negative')
  const byTx = new Map<string, Held>()
  /** versioned hash → the transactions carrying it (with the blob's index in each) */
  const byVersioned = new Map<string, { tx: string; index: number }[]>()
  let bytes = 0

  return {
    get count() {
      return byTx.size
    },
    get bytes() {
      return bytes
    },
    limits: lim,
    add(p) {
      const key = bytesToHex(p.hash)
      if (!p.sidecar || byTx.has(key)) return
      const held = { p, bytes: sidecarBytes(p.sidecar) }
      byTx.set(key, held)
      bytes += held.bytes
      p.sidecar.tx.blobVersionedHashes.forEach((h, index) => {
        const vk = bytesToHex(h)
        const list = byVersioned.get(vk)
        if (list) list.push({ tx: key, index })
        else byVersioned.set(vk, [{ tx: key, index }])
      })
    },
    remove(txHash) {
      const key = bytesToHex(txHash)
      const held = byTx.get(key)
      if (!held) return false
      byTx.delete(key)
      bytes -= held.bytes
      for (const h of held.p.sidecar!.tx.blobVersionedHashes) {
        const vk = bytesToHex(h)
        const rest = byVersioned.get(vk)?.filter((e) => e.tx !== key) ?? []
        if (rest.length) byVersioned.set(vk, rest)
        else byVersioned.delete(vk)
      }
      return true
    },
    fits(more, freed) {
      const f = freed && byTx.get(bytesToHex(freed.hash))
      const count = byTx.size + 1 - (f ? 1 : 0)
      return count <= lim.maxBlobTxs && bytes - (f ? f.bytes : 0) + more <= lim.dataCap
    },
    cheapest(except) {
      let worst: PooledTransaction | undefined
      for (const { p } of byTx.values()) if (!except?.(p) && (!worst || cheaperBlob(p, worst))) worst = p
      return worst
    },
    blobByVersionedHash(hash) {
      const e = byVersioned.get(bytesToHex(hash))?.[0]
      if (!e) return undefined
      const s = byTx.get(e.tx)!.p.sidecar!
      const per = s.wrapperVersion === 1 ? s.proofs.length / s.blobs.length : 1
      return { blob: s.blobs[e.index]!, proofs: s.proofs.slice(e.index * per, (e.index + 1) * per), wrapperVersion: s.wrapperVersion }
    },
    sidecarOf: (txHash) => byTx.get(bytesToHex(txHash))?.p.sidecar,
  }
}

/**
 * Evicts the cheapest blob transactions (through `evict`, which drops them from their pool)
 * until `entry`'s sidecar fits; throws TxPoolError('underpriced'), with nothing more evicted,
 * when the cheapest pays no less than `entry`. `replacing` (the transaction `entry` replaces) is
 * neither counted nor evicted.
 */
export function makeBlobRoom(blobs: BlobPool, entry: PooledTransaction, replacing: PooledTransaction | undefined, evict: (p: PooledTransaction) => void): void {
  const need = entry.sidecar ? sidecarBytes(entry.sidecar) : 0
  const full = () => new TxPoolError('underpriced', `the blob pool is full (${blobs.count} of ${blobs.limits.maxBlobTxs} transactions, ${blobs.bytes} of ${blobs.limits.dataCap} bytes) of better-paying blob transactions`)
  if (need > blobs.limits.dataCap) throw full()
  while (!blobs.fits(need, replacing)) {
    const worst = blobs.cheapest((p) => p === replacing)
    if (!worst || !cheaperBlob(worst, entry)) throw full()
    evict(worst)
  }
}
