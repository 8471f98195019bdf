/**
 * Metrics: the node's Prometheus registry (prom-client) and its HTTP endpoint. The metrics
 * component (src/profiles/components/metrics.ts) adapts the running services to the small
 * sources here (./sources.ts) — the chain's import events, the pool's counts, the peers, the
 * RPC and Engine API call events — so no lower layer imports prom-client.
 */
export { createNodeMetrics, clientLabel, type NodeMetrics } from './registry.ts'
export { startMetricsServer, DEFAULT_METRICS_ADDR, DEFAULT_METRICS_PORT, METRICS_PATHS, type MetricsServer } from './server.ts'
export { directorySize } from './dir-size.ts'
export type { CallSource, HeadSource, PeerInfo, PeerSource, PoolCounts } from './sources.ts'
