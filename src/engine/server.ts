/**
 * The Bun adapter: the Engine API app (app.ts) on its own port, `--authrpc.addr` and
 * `--authrpc.port` (geth's defaults 127.0.0.1:8551; 0 picks a free port). Bun refuses a
 * declared body above the limit itself, before the app sees it.
 */
import { MosaicError } from '../primitives/index.ts'
import type { CallListener } from '../rpc/index.ts'
import { createEngineApp, ENGINE_LIMITS, type EngineAppOptions } from './app.ts'

export const DEFAULT_AUTH_ADDR = '127.0.0.1'
export const DEFAULT_AUTH_PORT = 8551

export interface EngineServerOptions extends EngineAppOptions {
  /** `--authrpc.addr`; default 127.0.0.1. */
  addr?: string
  /** `--authrpc.port`; default 8551, 0 picks a free one. */
  port?: number
}

export interface EngineServer {
  readonly url: string
  readonly port: number
  /** Called after each Engine API call (metrics); returns the unsubscribe function. */
  onCall(listener: CallListener): () => void
  stop(): Promise<void>
}

export function startEngineServer(opts: EngineServerOptions): EngineServer {
  const hostname = opts.addr ?? DEFAULT_AUTH_ADDR
  const port = opts.port ?? DEFAULT_AUTH_PORT
  const fetch = createEngineApp(opts)
  const maxBody = opts.limits?.maxBodyBytes ?? ENGINE_LIMITS.maxBodyBytes
  let server: ReturnType<typeof Bun.serve>
  try {
    // idleTimeout: a newPayload may execute for seconds (the spec's timeout is 8 s)
    server = Bun.serve({ hostname, port, fetch, maxRequestBodySize: maxBody + 1024, idleTimeout: 120 })
  } catch (err) {
    throw new MosaicError('ENGINE_LISTEN', `cannot listen for the Engine API on ${hostname}:${port}`, {
      details: 'the port is in use or the address is not this machine\'s; choose another with --authrpc.port (0 picks a free port) or --authrpc.addr',
      cause: err,
    })
  }
  const bound = server.port!
  const shown = hostname.includes(':') ? `[${hostname}]` : hostname
  return {
    url: `http://${shown}:${bound}`,
    port: bound,
    onCall: fetch.onCall,
    async stop() {
      await server.stop(true)
    },
  }
}
