/**
 * The node's Prometheus metrics (prom-client), named as geth names them where geth has the
 * metric (`chain_head_block`): each `observe*` attaches one source and returns its detach
 * function. Gauges are read when scraped (`collect`), so an idle node costs nothing; events
 * (imports, calls) update counters and histograms as they happen.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CallSource, HeadSource, PeerSource, PoolCounts } from './sources.ts'

/** Seconds, from a fast block (1 ms) to a slow one (10 s). */
const BLOCK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Seconds, from a cached read (50 µs) to a long trace (10 s). */
const CALL_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

/**
 * prom-client's default metrics that are wrong under Bun (the event-loop delay monitor reports
 * NaN and 2^63) or break Prometheus naming (gauges ending in `_total`, which promtool flags).
 */
const UNFIT_DEFAULTS = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_resources_total',
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
]

/** The longest client label: the peer chooses it, so it is cut and reduced to a few characters. */
const MAX_CLIENT_LABEL = 24

/** "Geth/v1.15.0-stable/linux-amd64/go1.24" → "geth"; anything odd → "other". */
export function clientLabel(clientId: string): string {
  const name = clientId.split('/')[0]!.toLowerCase().replace(/[^a-z0-9_-]/g, '').slice(0, MAX_CLIENT_LABEL)
  return name || 'other'
}

export interface NodeMetrics {
  readonly registry: Registry
  observeChain(src: HeadSource): () => void
  observePool(src: PoolCounts): () => void
  observePeers(src: PeerSource): () => void
  /** JSON-RPC calls (`rpc`) or Engine API calls (`engine`) by method and result. */
  observeCalls(prefix: 'rpc' | 'engine', src: CallSource): () => void
  /** The size in bytes of the chain database, read when scraped. */
  observeDatabaseSize(size: () => number): () => void
  /** The text exposition of every metric. */
  text(): Promise<string>
}

export function createNodeMetrics(): NodeMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  for (const name of UNFIT_DEFAULTS) registry.removeSingleMetric(name)
  const registers = [registry]

  return {
    registry,
    observeChain(src) {
      new Gauge({ name: 'chain_head_block', help: 'Number of the canonical head block', registers, collect() { this.set(Number(src.head().number)) } })
      new Gauge({ name: 'chain_head_timestamp', help: 'Timestamp of the canonical head block, in Unix seconds', registers, collect() { this.set(Number(src.head().timestamp)) } })
      const blocks = new Counter({ name: 'chain_imported_blocks_total', help: 'Blocks stored by import or block production', registers })
      const gas = new Counter({ name: 'chain_imported_gas_total', help: 'Gas used by the blocks stored', registers })
      const mgasps = new Gauge({ name: 'chain_mgasps', help: 'Million gas per second of the last imported block (execution and commit)', registers })
      const execution = new Histogram({ name: 'chain_execution_seconds', help: 'Time to validate and execute a block and compute its state root', buckets: BLOCK_BUCKETS, registers })
      const commit = new Histogram({ name: 'chain_commit_seconds', help: "Time to write a block's batch to the database", buckets: BLOCK_BUCKETS, registers })
      return (
        src.onImported?.((e) => {
          blocks.inc()
          gas.inc(Number(e.header.gasUsed))
          commit.observe(e.commitSeconds)
          if (e.executionSeconds === undefined) return
          execution.observe(e.executionSeconds)
          const total = e.executionSeconds + e.commitSeconds
          if (total > 0) mgasps.set(Number(e.header.gasUsed) / 1e6 / total)
        }) ?? (() => {})
      )
    },
    observePool(src) {
      const counts = () => src.status()
      new Gauge({ name: 'txpool_pending', help: 'Executable transactions in the pool', registers, collect() { this.set(counts().pending) } })
      new Gauge({ name: 'txpool_queued', help: 'Transactions in the pool waiting for a nonce gap to close', registers, collect() { this.set(counts().queued) } })
      new Gauge({ name: 'txpool_blobs', help: 'Blob transactions in the pool (their sidecars in the blob pool)', registers, collect() { this.set(counts().blobs) } })
      return () => {}
    },
    observePeers(src) {
      new Gauge({
        name: 'p2p_peers',
        help: 'Connected peers by direction and client',
        labelNames: ['direction', 'client'] as const,
        registers,
        collect() {
          this.reset()
          for (const p of src.peers()) this.inc({ direction: p.inbound ? 'inbound' : 'outbound', client: clientLabel(p.clientId) })
        },
      })
      return () => {}
    },
    observeCalls(prefix, src) {
      const what = prefix === 'rpc' ? 'JSON-RPC' : 'Engine API'
      const labelNames = ['method', 'result'] as const
      const count = new Counter({ name: `${prefix}_requests_total`, help: `${what} calls by method and result`, labelNames, registers })
      const duration = new Histogram({ name: `${prefix}_duration_seconds`, help: `${what} call durations by method and result`, labelNames, buckets: CALL_BUCKETS, registers })
      return src.onCall((c) => {
        const labels = { method: c.method, result: c.ok ? 'success' : 'failure' }
        count.inc(labels)
        duration.observe(labels, c.seconds)
      })
    },
    observeDatabaseSize(size) {
      new Gauge({ name: 'db_size_bytes', help: 'Size of the chain database on disk', registers, collect() { this.set(size()) } })
      return () => {}
    },
    text: () => registry.metrics(),
  }
}
