/**
 * The Engine API over HTTP as a web-standard `(Request) => Response` (no Bun specifics; tests
 * can call it directly, server.ts mounts it on Bun.serve). Per request, in this order:
 *
 * 1. JWT (jwt.ts) from the headers alone, before anything is read: 401 with the reason
 * 2. Host header against `--authrpc.vhosts` (geth: IP literals always pass): 403
 * 3. GET: 200, for health checks; other than POST: 405
 * 4. a JSON content type (as the public RPC): 415
 * 5. the body within `maxBodyBytes`: a declared Content-Length above it is refused unread, a
 *    chunked body as soon as it passes it: 413 (the spec's -38004 counts requested entities,
 *    not bytes)
 * 6. src/rpc's dispatcher: the JSON-RPC 2.0 envelope, batches, -32700/-32600/-32601
 *
 * The engine methods and the spec's `eth_` subset (common.md) share one table; newPayload,
 * forkchoiceUpdated and getPayload run in arrival order (order.ts).
 */
import { isIP } from 'node:net'
import { createDispatcher, DEFAULT_LIMITS, type CallListener, type Methods, type RpcContext } from '../rpc/index.ts'
import { authorize } from './jwt.ts'
import { inOrder, isOrderedMethod } from './order.ts'
import type { EngineMethods } from './types.ts'

/** common.md: the `eth_` methods the Engine API port also serves. */
export const ENGINE_ETH_METHODS = [
  'eth_blockNumber',
  'eth_call',
  'eth_chainId',
  'eth_getCode',
  'eth_getBlockByHash',
  'eth_getBlockByNumber',
  'eth_getLogs',
  'eth_sendRawTransaction',
  'eth_syncing',
] as const

export interface EngineLimits {
  /**
   * Request body size. A payload's JSON is about twice its block's bytes; Osaka caps a block at
   * 10 MiB (EIP-7934) and Prague's calldata floor (EIP-7623) keeps earlier ones near that at
   * today's gas limits. geth allows 128 MiB here.
   */
  maxBodyBytes: number
  /** Calls per batch. */
  maxBatch: number
  /** Total response size of one batch (getBlobs answers run to tens of MiB). */
  maxBatchResponseBytes: number
}

export const ENGINE_LIMITS: EngineLimits = { maxBodyBytes: 32 * 1024 * 1024, maxBatch: 1000, maxBatchResponseBytes: 256 * 1024 * 1024 }

/** geth's `--authrpc.vhosts` default. */
export const DEFAULT_VHOSTS: readonly string[] = ['localhost']

export interface EngineAppOptions {
  /** The 32-byte JWT secret (jwt-secret.ts). */
  secret: Uint8Array
  /** engine_* handlers (built by the caller, with their dependencies). */
  methods: EngineMethods
  /** The public RPC's methods and context: the ENGINE_ETH_METHODS among them are served too. */
  eth?: { methods: Methods; context: RpcContext }
  /** Allowed Host names; '*' for any. */
  vhosts?: readonly string[]
  limits?: Partial<EngineLimits>
  /** Which methods run in arrival order; default newPayload, forkchoiceUpdated, getPayload. */
  ordered?: (method: string) => boolean
  /** Seconds since the epoch, for the `iat` window (tests). */
  now?: () => number
}

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } })

const JSON_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest'])
const isJsonType = (t: string | null) => t !== null && JSON_TYPES.has(t.split(';')[0]!.trim().toLowerCase())

/** The host name of a Host header (no port, IPv6 without brackets), lower case. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return host.slice(1, end < 0 ? undefined : end).toLowerCase()
  }
  const colon = host.lastIndexOf(':')
  return (colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host).toLowerCase()
}

/** geth's virtual-host rule: no Host or an IP literal passes; otherwise the name must be listed. */
export function hostAllowed(host: string | null, vhosts: readonly string[]): boolean {
  if (!host || vhosts.includes('*')) return true
  const name = hostName(host)
  return isIP(name) !== 0 || vhosts.some((v) => v.toLowerCase() === name)
}

/** The body as text, or undefined once it is longer than `max` bytes (the rest left unread). */
async function readBody(req: Request, max: number): Promise<string | undefined> {
  const declared = req.headers.get('content-length')
  // a declared length is what is read (the server holds the body to it)
  if (declared !== null) return Number(declared) > max ? undefined : req.text()
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The app: a fetch handler, and its calls for metrics (`onCall` returns the unsubscribe function). */
export type EngineApp = ((req: Request) => Promise<Response>) & { onCall(listener: CallListener): () => void }

export function createEngineApp(opts: EngineAppOptions): EngineApp {
  const limits = { ...ENGINE_LIMITS, ...opts.limits }
  const vhosts = opts.vhosts ?? DEFAULT_VHOSTS
  const now = opts.now ?? (() => Date.now() / 1000)

  const table: Methods = {}
  for (const [name, h] of Object.entries(inOrder(opts.methods, opts.ordered ?? isOrderedMethod))) table[name] = (_ctx, params) => h(params)
  for (const name of ENGINE_ETH_METHODS) {
    const h = opts.eth?.methods[name]
    if (h) table[name] = h
  }
  const dispatcher = createDispatcher(table)
  // Engine handlers ignore the context; the eth_ subset gets the public RPC's, with these limits.
  const rpcLimits = { ...(opts.eth?.context.limits ?? DEFAULT_LIMITS), ...limits }
  const ctx = (opts.eth ? { ...opts.eth.context, limits: rpcLimits } : { limits: rpcLimits }) as RpcContext

  const app = async (req: Request): Promise<Response> => {
    const refused = authorize(req.headers.get('authorization'), opts.secret, now())
    if (refused) return text(refused, 401, { 'www-authenticate': 'Bearer' })
    if (!hostAllowed(req.headers.get('host'), vhosts)) return text('invalid host specified', 403)
    if (req.method === 'GET') return new Response(null, { status: 200 })
    if (req.method !== 'POST') return text('method not allowed', 405)
    if (!isJsonType(req.headers.get('content-type'))) return text('invalid content type, only application/json is supported', 415)
    const body = await readBody(req, limits.maxBodyBytes).catch(() => undefined)
    if (body === undefined) return text(`content length too large (limit ${limits.maxBodyBytes} bytes)`, 413)
    const out = await dispatcher.handle(body, ctx)
    return out === undefined ? new Response(null, { status: 200 }) : new Response(out, { status: 200, headers: { 'content-type': 'application/json' } })
  }
  return Object.assign(app, { onCall: (l: CallListener) => dispatcher.onCall(l) })
}
