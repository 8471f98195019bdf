/**
 * The HTTP side as a hono app (web-standard Request → Response, no Bun specifics): JSON-RPC over
 * POST on any path, body size limit (413 as geth), `application/json` required (415 as geth, so
 * browsers must preflight), CORS for the configured origins (./cors.ts), GET answered with 200 for health
 * checks. Tests drive it with `app.request(...)`; server.ts mounts it on Bun.serve.
 */
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import type { RpcContext } from './context.ts'
import { corsPolicy } from './cors.ts'
import type { Dispatcher } from './dispatch.ts'

export interface AppOptions {
  /** Allowed CORS origins (`--http.corsdomain`); '*' for any; none: no CORS headers. */
  corsDomains?: readonly string[]
}

export function createRpcApp(dispatcher: Dispatcher, ctx: RpcContext, opts: AppOptions = {}): Hono {
  const app = new Hono()
  const policy = corsPolicy(opts.corsDomains ?? [])
  if (policy)
    app.use(
      '*',
      cors({
        origin: (origin) => policy.allowOrigin(origin || undefined),
        allowMethods: ['POST', 'GET', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'Authorization'],
        maxAge: 600,
      }),
    )
  app.get('*', (c) => c.body(null, 200))
  app.post('*', (c) => rpcPost(c.req.raw, dispatcher, ctx))
  app.all('*', (c) => c.text('method not allowed', 405))
  return app
}

const JSON_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest'])

/** Whether a Content-Type header value is one of the JSON types geth accepts (parameters ignored). */
export function isJsonContentType(type: string | null): boolean {
  if (!type) return false
  const semi = type.indexOf(';')
  return JSON_TYPES.has((semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase())
}
const text = (body: string, status: number) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=UTF-8' } })

/**
 * One JSON-RPC POST: content type (415 as geth), size from Content-Length before reading and
 * from the text after (413; Bun.serve's maxRequestBodySize bounds what is read at all), then
 * the dispatcher. The hono route uses it, and server.ts calls it directly for plain POSTs when
 * no CORS is configured.
 */
export function rpcPost(req: Request, dispatcher: Dispatcher, ctx: RpcContext): Response | Promise<Response> {
  if (!isJsonContentType(req.headers.get('content-type'))) return text('invalid content type, only application/json is supported', 415)
  const max = ctx.limits.maxBodyBytes
  if (Number(req.headers.get('content-length') ?? 0) > max) return text(`content length too large (limit ${max} bytes)`, 413)
  // .then rather than await: a synchronous dispatch then costs no further promise
  return req.text().then((body) => {
    if (body.length > max && Buffer.byteLength(body) > max) return text(`content length too large (limit ${max} bytes)`, 413)
    const out = dispatcher.handle(body, ctx)
    return out instanceof Promise ? out.then(respond) : respond(out)
  })
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const respond = (out: string | undefined): Response => (out === undefined ? new Response(null, { status: 200 }) : new Response(out, { status: 200, headers: JSON_HEADERS }))
