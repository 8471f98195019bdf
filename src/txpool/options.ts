/** The pools' options (geth's legacypool knobs) and what the stateful pool is given. */
import type { Header } from '../types/index.ts'
import type { AccountReader } from '../state/index.ts'
import { DEFAULT_BLOB_POOL_LIMITS } from './blob-pool.ts'
import type { PoolRules } from './validate.ts'

export interface PoolOptions {
  priceBump: number
  accountSlots: number
  accountQueue: number
  globalSlots: number
  globalQueue: number
  minTip: bigint
  rejectBelowBaseFee: boolean
  /** Replacing a blob transaction: % more on fee cap, tip and blob fee cap (geth's --blobpool.pricebump, 100). */
  blobPriceBump: number
  /** Blob transactions held at most (1024). */
  blobMaxTxs: number
  /** Bytes of blob sidecars held at most (256 MiB; geth's --blobpool.datacap). */
  blobDataCap: number
  /** The stateless pool (createStatelessTxPool): time a transaction stays (default 3 h, geth's --txpool.lifetime). */
  lifetimeMs?: number
}

/** geth's legacypool defaults (PriceBump 10, AccountSlots 16, AccountQueue 64, GlobalSlots 5120, GlobalQueue 1024, PriceLimit 1) and the blob pool's. */
export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  priceBump: 10,
  accountSlots: 16,
  accountQueue: 64,
  globalSlots: 5120,
  globalQueue: 1024,
  minTip: 1n,
  rejectBelowBaseFee: false,
  blobPriceBump: 100,
  blobMaxTxs: DEFAULT_BLOB_POOL_LIMITS.maxBlobTxs,
  blobDataCap: DEFAULT_BLOB_POOL_LIMITS.dataCap,
}

export interface PoolDeps {
  /** The head the pool validates against. */
  head(): { header: Header; state: AccountReader }
  /** Rules of the next block (fork, chain id, gas limit, base fee); minTip/rejectBelowBaseFee come from the options. */
  rules(head: Header): Omit<PoolRules, 'minTip' | 'rejectBelowBaseFee' | 'verifyBlobProofs'>
  /** KZG proof verification of blob sidecars (default: c-kzg). */
  verifyBlobProofs?: PoolRules['verifyBlobProofs']
}
