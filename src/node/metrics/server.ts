/**
 * The metrics endpoint, geth's: `--metrics.addr` (127.0.0.1) and `--metrics.port` (6060), the
 * Prometheus text at `/debug/metrics/prometheus` and at `/metrics`. Only GET (and HEAD); any
 * other path is 404. Its own port, so the RPC's limits and namespaces do not apply to scrapes.
 */
import { MosaicError } from '../../primitives/index.ts'
import type { NodeMetrics } from './registry.ts'

export const DEFAULT_METRICS_ADDR = '127.0.0.1'
export const DEFAULT_METRICS_PORT = 6060
export const METRICS_PATHS = ['/debug/metrics/prometheus', '/metrics'] as const

export interface MetricsServer {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
}

export function startMetricsServer(metrics: NodeMetrics, opts: { addr?: string; port?: number } = {}): MetricsServer {
  const hostname = opts.addr ?? DEFAULT_METRICS_ADDR
  const port = opts.port ?? DEFAULT_METRICS_PORT
  const fetch = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname
    if (!(METRICS_PATHS as readonly string[]).includes(path)) return new Response('not found: metrics are at /metrics and /debug/metrics/prometheus\n', { status: 404 })
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response('method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } })
    return new Response(await metrics.text(), { headers: { 'content-type': metrics.registry.contentType } })
  }
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({ hostname, port, fetch })
  } catch (err) {
    throw new MosaicError('METRICS_LISTEN', `cannot listen for metrics on ${hostname}:${port}`, {
      details: "the port is in use or the address is not this machine's; choose another with --metrics.port (0 picks a free port) or --metrics.addr",
      cause: err,
    })
  }
  const shown = hostname.includes(':') ? `[${hostname}]` : hostname
  return {
    url: `http://${shown}:${server.port}`,
    port: server.port!,
    async stop() {
      await server.stop(true)
    },
  }
}
