/**
 * The `txpool` component with state from another node (the txpool profile's `--state.url`):
 * the stateful pool (src/txpool: pending and queued by nonce, replacement, limits) validating
 * nonces and balances against the upstream's head, which src/remote's head follower polls. On
 * each new head the senders in the pool are fetched in one batch and the pool re-checked:
 * mined and now-invalid transactions leave, queued ones whose gap closed become pending (and
 * are announced on newPendingTransactions).
 */
import { ConfigError, defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { accountReaderOf, followHead } from '../../remote/index.ts'
import { createTxPool, specRules, type PoolOptions } from '../../txpool/index.ts'
import { txpoolOptions } from './txpool.ts'

export const stateTxpoolOptions: OptionSpec[] = [
  { flag: 'state.url', type: 'string', section: 'state', key: 'url', help: "validate transactions against this node's head state (JSON-RPC over HTTP): a stateful pool" },
  { flag: 'state.ws', type: 'string', section: 'state', key: 'wsUrl', help: "the state node's WebSocket endpoint: its newHeads notifications trigger the head poll at once" },
  { flag: 'state.poll', type: 'int', section: 'state', key: 'pollMs', min: 10, max: 600_000, help: "ms between polls of the state node's head (default 1000)" },
]

export interface StateTxpoolConfig {
  url: string
  wsUrl?: string
  pollMs?: number
  pool: Partial<PoolOptions>
  log?: Logger
}

export const stateTxpoolComponent = defineComponent({
  name: 'state-txpool',
  provides: 'txpool',
  requires: ['chain'],
  description: "stateful transaction pool on another node's head state (--state.url): nonces and balances checked, pending and queued, evicted when a new head invalidates them",
  options: [...txpoolOptions, ...stateTxpoolOptions],
  configure(s, ctx): StateTxpoolConfig {
    const url = String(s.state?.url)
    if (!/^https?:\/\//.test(url)) throw new ConfigError('invalid value for --state.url', `${JSON.stringify(url)}: expected an http:// or https:// URL`)
    const wsUrl = s.state?.wsUrl as string | undefined
    if (wsUrl !== undefined && !/^wss?:\/\//.test(wsUrl)) throw new ConfigError('invalid value for --state.ws', `${JSON.stringify(wsUrl)}: expected a ws:// or wss:// URL`)
    const { lifetime: _, ...pool } = s.txpool ?? {}
    return { url, wsUrl, pollMs: s.state?.pollMs as number | undefined, pool, log: ctx.log.with({ component: 'txpool' }) }
  },
  async create({ chain }, c) {
    const follower = await followHead({ url: c.url, wsUrl: c.wsUrl, pollMs: c.pollMs, retries: 2, backoffMs: 200, hint: 'check --state.url', onError: (e) => c.log?.warn('State node unreachable', { url: c.url, error: e.message }) })
    if (follower.chainId !== chain.spec.chainId) {
      follower.stop()
      throw new ConfigError(`the state node ${c.url} is chain ${follower.chainId}, not ${chain.spec.name} (${chain.spec.chainId})`, 'pass the matching --chain')
    }
    const pool = createTxPool({ head: () => ({ header: follower.head().header, state: accountReaderOf(follower.head().state) }), rules: specRules(chain.spec) }, c.pool)
    const off = follower.onHead((h) => {
      const { pending, queued } = pool.content()
      h.state.prefetch([...pending.values(), ...queued.values()].map((txs) => txs[0]!.sender))
      pool.promote()
      c.log?.debug('State head', { number: h.header.number, hash: bytesToHex(h.hash), ...pool.status() })
    })
    c.log?.info('Following the state node', { url: c.url, head: follower.head().header.number })
    return {
      service: pool,
      stop: () => {
        off()
        follower.stop()
      },
    }
  },
})
