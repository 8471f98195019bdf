/**
 * The `metrics` component: with `--metrics`, Prometheus metrics at `--metrics.addr`:`--metrics.port`
 * (geth's flags and defaults, 127.0.0.1:6060), paths `/debug/metrics/prometheus` and `/metrics`.
 * It uses whichever services the profile has — the chain (head, imports), the pool (counts),
 * p2p (peers), the RPC and the Engine API (calls) — through the hooks they expose, and the
 * size of `<datadir>/chaindata`. Without `--metrics` it does nothing. Plugins can add their
 * own metrics to the service's registry.
 */
import { join } from 'node:path'
import {
  createNodeMetrics,
  DEFAULT_METRICS_ADDR,
  DEFAULT_METRICS_PORT,
  defineComponent,
  directorySize,
  startMetricsServer,
  type Logger,
  type NodeMetrics,
  type OptionSpec,
  type PeerInfo,
} from '../../node/index.ts'
import type { P2pService } from '../../p2p/index.ts'

export interface MetricsService {
  /** The registry and its observers; undefined without --metrics. */
  readonly metrics?: NodeMetrics
  /** Where the metrics are served; undefined without --metrics. */
  readonly url?: string
}

declare module '../../node/component.ts' {
  interface Services {
    metrics: MetricsService
  }
}

export interface MetricsConfig {
  enabled: boolean
  addr: string
  port: number
  /** The chain database's directory, when on disk (measured when the profile has storage). */
  dbDir?: string
  log?: Logger
}

export const metricsOptions: OptionSpec[] = [
  { flag: 'metrics', type: 'bool', section: 'metrics', key: 'enabled', default: false, help: 'serve Prometheus metrics at /debug/metrics/prometheus and /metrics' },
  { flag: 'metrics.addr', type: 'string', section: 'metrics', key: 'addr', help: `metrics listening interface (default ${DEFAULT_METRICS_ADDR})` },
  { flag: 'metrics.port', type: 'int', section: 'metrics', key: 'port', min: 0, max: 65535, help: `metrics port (default ${DEFAULT_METRICS_PORT}; 0: any free port)` },
]

function peersOf(p2p: P2pService): () => Iterable<PeerInfo> {
  return function* () {
    if (!p2p.running) return
    for (const s of p2p.peers.peers.values()) if (s.remoteHello) yield { inbound: !s.initiator, clientId: s.remoteHello.clientId }
  }
}

export const metricsComponent = defineComponent({
  provides: 'metrics',
  requires: [],
  optional: ['storage', 'chain', 'txpool', 'p2p', 'rpc', 'engine'],
  description: 'Prometheus metrics (--metrics): chain head and imports, block timings, pool counts, peers, RPC and Engine API calls, database size, process CPU and memory',
  options: metricsOptions,
  configure(s, ctx): MetricsConfig {
    const m = s.metrics ?? {}
    const memory = s.storage?.memory === true
    return {
      enabled: m.enabled === true,
      addr: (m.addr as string | undefined) ?? DEFAULT_METRICS_ADDR,
      port: (m.port as number | undefined) ?? DEFAULT_METRICS_PORT,
      dbDir: memory ? undefined : join(ctx.datadir(), 'chaindata'),
      log: ctx.log.with({ component: 'metrics' }),
    }
  },
  create({ storage, chain, txpool, p2p, rpc, engine }, c) {
    if (!c.enabled) return { service: {} }
    const metrics = createNodeMetrics()
    const detach = [
      chain && metrics.observeChain(chain),
      txpool && metrics.observePool(txpool),
      p2p && metrics.observePeers({ peers: peersOf(p2p) }),
      rpc && metrics.observeCalls('rpc', rpc),
      engine && metrics.observeCalls('engine', engine),
      storage && c.dbDir && metrics.observeDatabaseSize(() => directorySize(c.dbDir!)),
    ]
    const server = startMetricsServer(metrics, { addr: c.addr, port: c.port })
    c.log?.info('Starting metrics server', { addr: `${server.url}/debug/metrics/prometheus` })
    return {
      service: { metrics, url: server.url },
      async stop() {
        for (const off of detach) if (off) off()
        await server.stop()
      },
    }
  },
})
