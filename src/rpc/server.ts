/**
 * The Bun adapter: HTTP JSON-RPC and WebSocket on one port — a request with `Upgrade: websocket`
 * on any path becomes a WebSocket — or WebSocket on its own port when `wsPort` differs. Plain
 * JSON POSTs are answered by the fast path (./fast-http.ts) on the public port; it splices every
 * other connection to Bun.serve (the hono app, WebSocket) on a private unix socket. Each
 * transport exposes its own namespaces (`--http.api`, `--ws.api`).
 */
import type { Server, ServerWebSocket } from 'bun'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MosaicError } from '../primitives/index.ts'
import { createRpcApp, rpcPost } from './app.ts'
import { corsPolicy } from './cors.ts'
import { DEFAULT_LIMITS, type Methods, type RpcBackend, type RpcContext, type RpcLimits } from './context.ts'
import { createDispatcher, type CallListener, type Dispatcher } from './dispatch.ts'
import { startFastHttp } from './fast-http.ts'
import { createFilterStore } from './filters.ts'
import { allMethods } from './methods/index.ts'
import { CLIENT_VERSION } from './methods/web3.ts'
import { createWorkerPool, withWorkers } from './workers/index.ts'
import { WsConnection } from './ws.ts'
import { wsOriginAllowed } from './ws-origin.ts'

export interface ServerOptions {
  httpAddr?: string
  /** 0 picks a free port. */
  httpPort: number
  ws: boolean
  /** WebSocket on its own port (0: a free one); absent or equal to a non-zero httpPort: the HTTP port. */
  wsPort?: number
  /** Interface of a separate WebSocket port (`--ws.addr`); default: httpAddr. */
  wsAddr?: string
  /** Namespaces over HTTP (`--http.api`); absent: all. */
  httpApi?: readonly string[]
  /** Namespaces over WebSocket (`--ws.api`); absent: all. */
  wsApi?: readonly string[]
  /** `--http.corsdomain`. */
  corsDomains?: readonly string[]
  /** `--ws.origins`: allowed Origin headers on upgrade ('*': any); absent: localhost pages only (./ws-origin.ts). */
  wsOrigins?: readonly string[]
  limits?: Partial<RpcLimits>
  clientVersion?: string
  /** Replaces or extends the method table (tests, profiles). */
  methods?: Methods
  /** Wraps the table once the EVM workers have their methods (fork mode's forwarding to the upstream). */
  wrap?: (methods: Methods) => Methods
  /** Plain JSON POSTs on the fast path (./fast-http.ts); default true, false: Bun.serve for all. */
  fastPath?: boolean
  /** EVM worker threads for eth_call & co. and traces (./workers); absent or 0: they run on the event loop. */
  workers?: number
}

export interface RpcServer {
  readonly httpUrl: string
  readonly wsUrl?: string
  readonly ctx: RpcContext
  /** Open WebSocket connections. */
  connections(): number
  /** Called after each JSON-RPC call over HTTP or WebSocket (metrics); returns the unsubscribe function. */
  onCall(listener: CallListener): () => void
  stop(): Promise<void>
}

type Data = { conn?: WsConnection }

/** The shared context of a server over `backend`. */
export function createContext(backend: RpcBackend, limits: Partial<RpcLimits> = {}, clientVersion = CLIENT_VERSION): RpcContext {
  const l = { ...DEFAULT_LIMITS, ...limits }
  return { ...backend, limits: l, filters: createFilterStore(backend, l), clientVersion }
}

export function startRpcServer(backend: RpcBackend, opts: ServerOptions): RpcServer {
  const ctx = createContext(backend, opts.limits, opts.clientVersion)
  const pool = opts.workers ? createWorkerPool(backend, { size: opts.workers, limits: ctx.limits, clientVersion: ctx.clientVersion }) : undefined
  const table = pool ? withWorkers(opts.methods ?? allMethods(), pool) : (opts.methods ?? allMethods())
  const methods = opts.wrap ? opts.wrap(table) : table
  const httpDispatcher = createDispatcher(methods, opts.httpApi)
  const wsDispatcher = createDispatcher(methods, opts.wsApi)
  const app = createRpcApp(httpDispatcher, ctx, { corsDomains: opts.corsDomains })
  const cors = corsPolicy(opts.corsDomains ?? [])
  const conns = new Set<WsConnection>()
  const hostname = opts.httpAddr ?? '127.0.0.1'
  const separateWs = opts.ws && opts.wsPort !== undefined && (opts.wsPort !== opts.httpPort || opts.wsPort === 0)

  const originAllowed = (req: Request) => wsOriginAllowed(req.headers.get('origin'), opts.wsOrigins)
  const upgrade = (req: Request, server: Server<Data>): Response | undefined => {
    if (!originAllowed(req)) return new Response('origin not allowed', { status: 403 })
    if (server.upgrade(req, { data: {} })) return undefined
    return new Response('websocket upgrade failed', { status: 400 })
  }
  const websocket = {
    maxPayloadLength: ctx.limits.wsMaxMessageBytes,
    // drop, rather than buffer without bound, a client that stops reading (checked per send too)
    backpressureLimit: ctx.limits.wsMaxSendQueueBytes,
    closeOnBackpressureLimit: true,
    idleTimeout: 0,
    open(ws: ServerWebSocket<Data>) {
      const conn = new WsConnection(ws, wsDispatcher, ctx)
      ws.data.conn = conn
      conns.add(conn)
    },
    message(ws: ServerWebSocket<Data>, msg: string | Buffer) {
      ws.data.conn?.receive(typeof msg === 'string' ? msg : msg.toString('utf8'))
    },
    close(ws: ServerWebSocket<Data>) {
      const conn = ws.data.conn
      if (!conn) return
      conn.shutdown()
      conns.delete(conn)
    },
  }
  const isUpgrade = (req: Request) => req.headers.get('upgrade')?.toLowerCase() === 'websocket'

  // Plain JSON POSTs take the fast path on the public port; the rest is spliced to Bun.serve on a
  // private unix socket. Both add the CORS headers of --http.corsdomain.
  const fast = opts.fastPath !== false
  // Linux: an abstract socket (leading NUL), so nothing is left on disk even after SIGKILL
  const name = `mosaic-rpc-${process.pid}-${Math.random().toString(36).slice(2, 10)}`
  const unix = fast ? (process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`)) : undefined
  const fetch = (req: Request, server: Server<Data>) => {
    if (req.method === 'POST' && !cors) return rpcPost(req, httpDispatcher, ctx)
    if (opts.ws && !separateWs && isUpgrade(req)) return upgrade(req, server)
    return app.fetch(req)
  }
  const maxRequestBodySize = ctx.limits.maxBodyBytes + 1024
  const http = unix
    ? Bun.serve<Data>({ unix, maxRequestBodySize, fetch, websocket })
    : listening('HTTP', hostname, opts.httpPort, 'http.port', () => Bun.serve<Data>({ hostname, port: opts.httpPort, maxRequestBodySize, fetch, websocket }))
  const front = unix
    ? listening('HTTP', hostname, opts.httpPort, 'http.port', () => startFastHttp({
        hostname,
        port: opts.httpPort,
        upstream: unix,
        maxBodyBytes: ctx.limits.maxBodyBytes,
        // one response, or a WebSocket's queued frames, may wait for a slow reader
        maxQueuedBytes: ctx.limits.maxBatchResponseBytes + ctx.limits.wsMaxSendQueueBytes,
        idleSeconds: 120,
        cors,
        handle: (body) => httpDispatcher.handle(body, ctx),
      }), () => http.stop(true))
    : undefined
  const httpPort = front ? front.port : http.port!
  const wsServer = separateWs
    ? listening('WebSocket', opts.wsAddr ?? hostname, opts.wsPort!, 'ws.port', () => Bun.serve<Data>({
        hostname: opts.wsAddr ?? hostname,
        port: opts.wsPort!,
        fetch(req, server) {
          return isUpgrade(req) ? upgrade(req, server) : new Response('websocket only', { status: 400 })
        },
        websocket,
      }), () => { front?.stop(); http.stop(true) })
    : undefined
  const wsPort = separateWs ? wsServer!.port : httpPort

  return {
    httpUrl: `http://${hostname}:${httpPort}`,
    wsUrl: opts.ws ? `ws://${separateWs ? (opts.wsAddr ?? hostname) : hostname}:${wsPort}` : undefined,
    ctx,
    connections: () => conns.size,
    onCall(listener) {
      const offs = [httpDispatcher.onCall(listener), wsDispatcher.onCall(listener)]
      return () => offs.forEach((off) => off())
    },
    async stop() {
      for (const c of conns) c.shutdown()
      ctx.filters.close()
      front?.stop()
      await Promise.all([http.stop(true), wsServer?.stop(true), pool?.stop()])
      if (unix && !unix.startsWith('\0')) rmSync(unix, { force: true })
    },
  }
}

export type { Dispatcher }

/** Runs `listen`; a failure (port taken, address not ours) becomes one clear error, after `undo`. */
function listening<T>(what: string, host: string, port: number, flag: string, listen: () => T, undo?: () => void): T {
  try {
    return listen()
  } catch (err) {
    undo?.()
    throw new MosaicError('RPC_LISTEN', `cannot listen for ${what} on ${host}:${port}`, {
      details: `the port is in use or the address is not this machine's; choose another with --${flag} (0 picks a free port)`,
      cause: err,
    })
  }
}
