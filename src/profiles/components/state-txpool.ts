/**
 * The `txpool` component with state from another node (the txpool profile's `--state.url`):
 * the stateful pool (src/txpool: pending and queued by nonce, replacement, limits) validating
 * nonces and balances against the state node's head (./state-node.ts). On each new head the
 * senders in the pool are fetched in one batch and the pool re-checked: mined and now-invalid
 * transactions leave, queued ones whose gap closed become pending (and are announced on
 * newPendingTransactions).
 */
import { defineComponent, type Logger } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { accountReaderOf } from '../../remote/index.ts'
import { createTxPool, specRules, type PoolOptions } from '../../txpool/index.ts'
import { stateNodeOptions } from './state-node.ts'
import { txpoolOptions } from './txpool.ts'

export interface StateTxpoolConfig {
  pool: Partial<PoolOptions>
  log?: Logger
}

export const stateTxpoolComponent = defineComponent({
  name: 'state-txpool',
  provides: 'txpool',
  requires: ['chain', 'stateNode'],
  description: "stateful transaction pool on another node's head state (--state.url): nonces and balances checked, pending and queued, evicted when a new head invalidates them",
  options: [...txpoolOptions, ...stateNodeOptions],
  configure(s, ctx): StateTxpoolConfig {
    const { lifetime: _, ...pool } = s.txpool ?? {}
    return { pool, log: ctx.log.with({ component: 'txpool' }) }
  },
  create({ chain, stateNode }, c) {
    const pool = createTxPool({ head: () => ({ header: stateNode.head().header, state: accountReaderOf(stateNode.head().state) }), rules: specRules(chain.spec) }, c.pool)
    const off = stateNode.onHead((h) => {
      const { pending, queued } = pool.content()
      h.state.prefetch([...pending.values(), ...queued.values()].map((txs) => txs[0]!.sender))
      pool.promote()
      c.log?.debug('State head', { number: h.header.number, hash: bytesToHex(h.hash), ...pool.status() })
    })
    return { service: pool, stop: off }
  },
})
