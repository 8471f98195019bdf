/**
 * The `txpool` component in stateless mode (src/txpool/stateless.ts): for nodes without state.
 * Rules follow the live network (txpool liveRules: the fork by the clock); transactions leave
 * after --txpool.lifetime, checked every minute.
 */
import { defineComponent, type OptionSpec } from '../../node/index.ts'
import { createStatelessTxPool, liveRules, type PoolOptions } from '../../txpool/index.ts'
import { ConfigError } from '../../node/index.ts'
import { txpoolOptions } from './txpool.ts'

const EXPIRY_CHECK_MS = 60_000
const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

/** A duration as geth writes them (`3h`, `1h30m`, `90s`) or plain seconds, in ms. */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim()
  if (/^[0-9]+$/.test(s)) return Number(s) * 1000
  const parts = [...s.matchAll(/([0-9]+)(ms|h|m|s)/g)]
  if (!parts.length || parts.map((p) => p[0]).join('') !== s) throw new ConfigError(`invalid value for --${flag}`, `${JSON.stringify(text)}: expected a duration such as 3h, 90m, 1h30m0s or seconds`)
  const ms = parts.reduce((t, p) => t + Number(p[1]) * UNITS[p[2]!]!, 0)
  if (ms <= 0) throw new ConfigError(`invalid value for --${flag}`, 'the lifetime must be positive')
  return ms
}

export const statelessTxpoolOptions: OptionSpec[] = [
  { flag: 'txpool.lifetime', type: 'string', section: 'txpool', key: 'lifetime', help: 'how long a transaction stays in the pool (default 3h; nothing tells a stateless pool what got mined)' },
]

export const statelessTxpoolComponent = defineComponent({
  name: 'stateless-txpool',
  provides: 'txpool',
  requires: ['chain'],
  description: 'stateless transaction pool: signature, fork and fee checks, every transaction pending by nonce, lifetime',
  options: [...txpoolOptions, ...statelessTxpoolOptions],
  configure(s): Partial<PoolOptions> {
    const { lifetime, ...pool } = s.txpool ?? {}
    return { ...pool, ...(lifetime !== undefined ? { lifetimeMs: parseDuration(String(lifetime), 'txpool.lifetime') } : {}) }
  },
  create({ chain }, config) {
    const pool = createStatelessTxPool({ head: () => ({ header: chain.head() }), rules: liveRules(chain.spec) }, config)
    const timer = setInterval(() => pool.promote(), EXPIRY_CHECK_MS)
    ;(timer as { unref?: () => void }).unref?.()
    return { service: pool, stop: () => clearInterval(timer) }
  },
})
