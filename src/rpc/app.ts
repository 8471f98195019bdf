/**
 * The HTTP side as a hono app (web-standard Request → Response, no Bun specifics): JSON-RPC over
 * POST on any path, body size limit (413 as geth), `application/json` required (415 as geth, so
 * browsers must preflight), CORS for the configured origins, GET answered with 200 for health
 * checks. Tests drive it with `app.request(...)`; server.ts mounts it on Bun.serve.
 */
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import type { RpcContext } from './context.ts'
import type { Dispatcher } from './dispatch.ts'

export interface AppOptions {
  /** Allowed CORS origins (`--http.corsdomain`); '*' for any; none: no CORS headers. */
  corsDomains?: readonly string[]
}

export function createRpcApp(dispatcher: Dispatcher, ctx: RpcContext, opts: AppOptions = {}): Hono {
  const app = new Hono()
  const origins = opts.corsDomains ?? []
  if (origins.length > 0)
    app.use(
      '*',
      cors({
        origin: origins.includes('*') ? '*' : [...origins],
        allowMethods: ['POST', 'GET', 'OPTIONS'],
        allowHeaders: ['Content-Type', 'Authorization'],
        maxAge: 600,
      }),
    )
  app.get('*', (c) => c.body(null, 200))
  const max = ctx.limits.maxBodyBytes
  const tooLarge = (c: Context) => c.text(`content length too large (limit ${max} bytes)`, 413)
  // The size is checked from Content-Length before reading and from the text after; Bun.serve's
  // maxRequestBodySize bounds what is read at all. (Cheaper than a counting body stream.)
  app.post('*', async (c) => {
    const type = c.req.header('content-type')
    const mime = type?.split(';')[0]!.trim().toLowerCase()
    if (mime !== 'application/json' && mime !== 'application/json-rpc' && mime !== 'application/jsonrequest')
      return c.text('invalid content type, only application/json is supported', 415)
    const length = Number(c.req.header('content-length') ?? 0)
    if (length > max) return tooLarge(c)
    const body = await c.req.text()
    if (body.length > max && Buffer.byteLength(body) > max) return tooLarge(c)
    const out = await dispatcher.handle(body, ctx)
    if (out === undefined) return c.body(null, 200)
    return c.body(out, 200, { 'content-type': 'application/json' })
  })
  app.all('*', (c) => c.text('method not allowed', 405))
  return app
}
