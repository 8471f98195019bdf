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
]

export const txpoolComponent = defineComponent({
  provides: 'txpool',
  requires: ['chain', 'latest'],
  description: 'pending and queued transactions by nonce, replacement, limits, best ordering',
  options: txpoolOptions,
  configure: (s): Partial<PoolOptions> => ({ ...s.txpool }),
  create({ chain, latest }, config) {
    const pool = createTxPool(
      {
        head: () => ({ header: chain.head(), state: latest.latestState() }),
        rules: specRules(chain.spec),
      },
      config,
    )
    // Mined transactions leave the pool; queued ones whose gap closed become pending.
    const off = chain.onHead(() => pool.promote())
    return { service: pool, stop: off }
  },
})
