/**
 * JSON-RPC 2.0 processing, transport-free: a request body in, a response body out (or nothing
 * for notifications). Single calls and batches (at most `maxBatch` calls; the responses of one
 * batch at most `maxBatchResponseBytes`, later calls get "response too large"; calls started
 * after `batchTimeoutMs`, or once the batch's calls used `batchGasCap` gas, get -32000
 * "execution timeout", and a running call stops at the batch's end too; other requests are
 * served between a batch's calls), namespace
 * filtering per transport, and error mapping: thrown `RpcError`s keep their code, anything
 * else is an internal error (-32603).
 */
import type { Methods, RpcContext } from './context.ts'
import { InvalidRequestError, MethodNotFoundError, ParseError, ResponseTooLargeError, RpcError, ServerError, toRpcError } from './errors.ts'
import { BATCH_TIMEOUT_MESSAGE } from './exec/timeout.ts'
import { RawJson } from './raw-json.ts'
import { createYielder } from './yield.ts'

/** How long a batch's calls run before the event loop gets a turn. */
const BATCH_YIELD_MS = 5

type Id = string | number | null

interface Request {
  id: Id
  /** False for notifications (no `id`): they get no response. */
  hasId: boolean
  method: string
  params: unknown
}

/** One finished call, for metrics: the method (`other` for one not in the table), its outcome, how long it took. */
export interface CallRecord {
  method: string
  ok: boolean
  seconds: number
}

export type CallListener = (call: CallRecord) => void

export interface Dispatcher {
  /**
   * The response body for `body`, or undefined when nothing is to be sent (only notifications).
   * Synchronous when every handler it calls is (most reads): no promise per request.
   */
  handle(body: string, ctx: RpcContext): string | undefined | Promise<string | undefined>
  /** One parsed message (already-decoded JSON), for in-process callers. */
  call(method: string, params: unknown, ctx: RpcContext): Promise<unknown>
  /** Whether this transport serves a namespace (a subscription of the `mosaic` namespace asks). */
  exposes(namespace: string): boolean
  /** Called after each call of a request (not for envelope errors); returns the unsubscribe function. Costs nothing while none listens. */
  onCall(listener: CallListener): () => void
}

const untimed = () => {}

function errorResponse(id: Id, err: RpcError): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: err.toJSON() })
}

function validId(id: unknown): id is Id {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id) && !unsafeInteger(id))
}

/**
 * An integer id beyond 2^53-1 has lost digits in JSON.parse already (9007199254740993 reads as
 * ...992), so echoing it would answer another id: refused with -32600, as anvil does.
 */
function unsafeInteger(id: number): boolean {
  return Number.isInteger(id) && !Number.isSafeInteger(id)
}

/** A request object, or the error to answer it with. */
function parseRequest(msg: unknown): Request | { error: RpcError; id: Id } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { error: new InvalidRequestError('invalid request'), id: null }
  const m = msg as Record<string, unknown>
  const hasId = 'id' in m
  const id = hasId && validId(m.id) ? m.id : null
  if (hasId && typeof m.id === 'number' && unsafeInteger(m.id)) return { error: new InvalidRequestError('invalid request: a numeric id must be an integer within ±(2^53-1); send a larger one as a string'), id: null }
  if (hasId && !validId(m.id)) return { error: new InvalidRequestError('invalid request: id must be a string, number or null'), id: null }
  if (m.jsonrpc !== '2.0') return { error: new InvalidRequestError('invalid request: jsonrpc must be "2.0"'), id }
  if (typeof m.method !== 'string' || m.method === '') return { error: new InvalidRequestError('invalid request: method must be a non-empty string'), id }
  return { id, hasId, method: m.method, params: m.params }
}

/**
 * `methods`: the full table; `namespaces`: the ones this transport exposes (`eth`, `debug`...),
 * or undefined for all.
 */
export function createDispatcher(methods: Methods, namespaces?: readonly string[]): Dispatcher {
  const allowed = namespaces ? new Set(namespaces) : undefined
  const exposed = [...new Set(Object.keys(methods).map((k) => k.slice(0, k.indexOf('_'))))].filter((ns) => !allowed || allowed.has(ns)).sort()
  // rpc_modules answers for this transport, as geth's does
  const modules = () => Object.fromEntries(exposed.map((ns) => [ns, '1.0']))
  const lookup = (method: string) => {
    if (method === 'rpc_modules') return modules
    const ns = method.slice(0, method.indexOf('_'))
    if (allowed && !allowed.has(ns)) return undefined
    return Object.hasOwn(methods, method) ? methods[method] : undefined
  }

  async function call(method: string, params: unknown, ctx: RpcContext): Promise<unknown> {
    const h = lookup(method)
    if (!h) throw new MethodNotFoundError(method)
    const result = await h(ctx, params)
    if (result instanceof RawJson) return JSON.parse(result.text)
    return result === undefined ? null : result
  }

  function success(req: Request, result: unknown, ctx: RpcContext): string | undefined {
    if (!req.hasId) return undefined
    try {
      const text = result instanceof RawJson ? result.text : JSON.stringify(result === undefined ? null : result)
      // refused whole rather than sent and cut: the client gets an answer it can act on
      if (text.length > ctx.limits.maxResponseBytes) return failure(req, new ResponseTooLargeError(`response too large: ${text.length} bytes, more than the ${ctx.limits.maxResponseBytes} of --rpc.response-max-size`))
      return `{"jsonrpc":"2.0","id":${JSON.stringify(req.id)},"result":${text}}`
    } catch (err) {
      return failure(req, err)
    }
  }
  const failure = (req: Request, err: unknown): string | undefined => (req.hasId ? errorResponse(req.id, toRpcError(err)) : undefined)

  const listeners = new Set<CallListener>()
  const record = (method: string, ok: boolean, started: number) => {
    const call = { method, ok, seconds: (performance.now() - started) / 1000 }
    for (const l of listeners) l(call)
  }

  /** One call; a promise only when its handler returns one. */
  function one(msg: unknown, ctx: RpcContext): string | undefined | Promise<string | undefined> {
    const req = parseRequest(msg)
    if ('error' in req) return errorResponse(req.id, req.error)
    if (listeners.size === 0) return answer(req, ctx, untimed)
    const started = performance.now()
    return answer(req, ctx, (method, ok) => record(method, ok, started))
  }

  function answer(req: Request, ctx: RpcContext, done: (method: string, ok: boolean) => void): string | undefined | Promise<string | undefined> {
    const h = lookup(req.method)
    if (!h) {
      // one label for every unknown method: a client must not grow the metrics without bound
      done('other', false)
      return failure(req, new MethodNotFoundError(req.method))
    }
    let result: unknown
    try {
      result = h(ctx, req.params)
    } catch (err) {
      done(req.method, false)
      return failure(req, err)
    }
    if (result instanceof Promise)
      return result.then(
        (r) => (done(req.method, true), success(req, r, ctx)),
        (err) => (done(req.method, false), failure(req, err)),
      )
    done(req.method, true)
    return success(req, result, ctx)
  }

  async function batch(msgs: unknown[], ctx: RpcContext): Promise<string | undefined> {
    const { maxBatch, maxBatchResponseBytes, batchGasCap } = ctx.limits
    if (msgs.length === 0) return errorResponse(null, new InvalidRequestError('empty batch'))
    if (msgs.length > maxBatch) {
      // geth: one error, carrying the id of the first call
      const first = msgs.find((m) => typeof m === 'object' && m !== null && 'id' in m && validId((m as { id: unknown }).id)) as { id: Id } | undefined
      return `[${errorResponse(first?.id ?? null, new InvalidRequestError('batch too large'))}]`
    }
    const out: string[] = []
    let size = 0
    const budget = { end: performance.now() + ctx.limits.batchTimeoutMs, gasUsed: 0n }
    const bctx: RpcContext = { ...ctx, batch: budget }
    // other clients are answered between the calls of a long batch
    const pause = createYielder(BATCH_YIELD_MS)
    for (const m of msgs) {
      const late = performance.now() > budget.end || (batchGasCap > 0n && budget.gasUsed >= batchGasCap)
      if (size > maxBatchResponseBytes || late) {
        const req = parseRequest(m)
        if (!('error' in req) && !req.hasId) continue
        out.push(errorResponse(req.id, late ? new ServerError(BATCH_TIMEOUT_MESSAGE) : new ResponseTooLargeError()))
        continue
      }
      await pause()
      const r = await one(m, bctx)
      if (r === undefined) continue
      size += r.length
      out.push(r)
    }
    return out.length === 0 ? undefined : `[${out.join(',')}]`
  }

  return {
    call,
    exposes: (ns) => !allowed || allowed.has(ns),
    onCall(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    handle(body, ctx) {
      let msg: unknown
      try {
        msg = JSON.parse(body)
      } catch (err) {
        return errorResponse(null, new ParseError(`parse error: ${(err as Error).message}`))
      }
      return Array.isArray(msg) ? batch(msg, ctx) : one(msg, ctx)
    },
  }
}
