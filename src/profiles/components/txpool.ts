/** The `txpool` component: the transaction pool, validating against the latest state. */
import { defineComponent, type OptionSpec } from '../../node/index.ts'
import { createTxPool, specRules, type PoolOptions, type TransactionPool } from '../../txpool/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    txpool: TransactionPool
  }
}

export const txpoolOptions: OptionSpec[] = [
  { flag: 'txpool.pricebump', type: 'int', section: 'txpool', key: 'priceBump', min: 0, max: 1000, help: 'price bump (%) to replace a transaction' },
  { flag: 'txpool.accountslots', type: 'int', section: 'txpool', key: 'accountSlots', min: 1, help: 'executable slots per account' },
  { flag: 'txpool.accountqueue', type: 'int', section: 'txpool', key: 'accountQueue', min: 0, help: 'future-nonce slots per account' },
  { flag: 'txpool.globalslots', type: 'int', section: 'txpool', key: 'globalSlots', min: 1, help: 'executable slots in all' },
  { flag: 'txpool.globalqueue', type: 'int', section: 'txpool', key: 'globalQueue', min: 0, help: 'future-nonce slots in all' },
  { flag: 'txpool.pricelimit', type: 'bigint', section: 'txpool', key: 'minTip', help: 'minimum tip (wei) to accept' },
  { flag: 'blobpool.datacap', type: 'int', section: 'txpool', key: 'blobDataCap', min: 0, help: 'bytes of blob sidecars held at most (default 268435456, 256 MiB)' },
  { flag: 'blobpool.maxtxs', type: 'int', section: 'txpool', key: 'blobMaxTxs', min: 0, help: 'blob transactions held at most (default 1024)' },
  { flag: 'blobpool.pricebump', type: 'int', section: 'txpool', key: 'blobPriceBump', min: 0, max: 1000, help: 'price bump (%) on fee cap, tip and blob fee cap to replace a blob transaction (default 100)' },
]

export const txpoolComponent = defineComponent({
  provides: 'txpool',
  requires: ['chain', 'latest'],
  description: 'pending and queued transactions by nonce, replacement, limits, best ordering; blob sidecars verified with c-kzg and kept within --blobpool.* limits',
  options: txpoolOptions,
  configure: (s): Partial<PoolOptions> => ({ ...s.txpool }),
  create({ chain, latest }, config) {
    const pool = createTxPool(
      {
        head: () => ({ header: chain.head(), state: latest.latestState() }),
        rules: specRules(() => chain.spec),
      },
      config,
    )
    // Mined transactions leave the pool; queued ones whose gap closed become pending.
    const off = chain.onHead(() => pool.promote())
    return { service: pool, stop: off }
  },
})
