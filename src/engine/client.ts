/**
 * A minimal Engine API client: JSON-RPC over HTTP with a fresh HS256 token per call (so `iat`
 * is never stale), as a consensus client talks to an execution client. Consumers: `mosaic
 * cl-mock` (and, without a secret, for the public JSON-RPC of the node it follows), `mosaic
 * enginetest`, tests; it works against any client's Engine API. Answers are size-capped.
 */
import { MosaicError } from '../primitives/index.ts'
import { signJwt } from './jwt.ts'

/**
 * How a call failed: a JSON-RPC error answer (`rpc`), an HTTP status other than 200 (`http`: a
 * 401 is the JWT refused), no answer at all (`unreachable`), or an answer that is not JSON-RPC
 * (`malformed`).
 */
export type EngineCallFailure = 'rpc' | 'http' | 'unreachable' | 'malformed'

/** A JSON-RPC error answer (`rpcCode` is the spec's number), or a failure of the HTTP exchange (`rpcCode` 0). */
export class EngineCallError extends MosaicError {
  override name = 'EngineCallError'
  readonly method: string
  readonly rpcCode: number
  readonly data?: unknown
  readonly failure: EngineCallFailure
  /** The HTTP status of an `http` failure. */
  readonly httpStatus?: number
  constructor(method: string, rpcCode: number, message: string, data?: unknown, failure: EngineCallFailure = 'rpc', httpStatus?: number) {
    super('ENGINE_CALL', `${method} failed`, { details: rpcCode ? `${rpcCode} ${message}` : message })
    this.method = method
    this.rpcCode = rpcCode
    this.data = data
    this.failure = failure
    this.httpStatus = httpStatus
  }
}

export interface EngineClient {
  /** The call's result; an error answer or HTTP failure throws EngineCallError. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>
}

/** Default cap on an answer's size: a getPayload with a full blobs bundle stays well under it. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024

export interface EngineClientOptions {
  url: string
  /** The JWT secret; without it no token is sent (a node's public JSON-RPC). */
  secret?: Uint8Array
  timeoutMs?: number
  /** Answers longer than this fail as `malformed` (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number
}

/** The body as text, or undefined once it passes `max` bytes (the rest is not read). */
async function boundedText(res: Response, max: number): Promise<string | undefined> {
  const declared = res.headers.get('content-length')
  // a declared length is what is read (the common case, and much cheaper than a stream's chunks)
  if (declared !== null) return Number(declared) > max ? undefined : res.text()
  if (!res.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length
    if (size > max) {
      await res.body.cancel().catch(() => {})
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function createEngineClient(opts: EngineClientOptions): EngineClient {
  let id = 0
  const max = opts.maxAnswerBytes ?? MAX_ANSWER_BYTES
  return {
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      let res: Response
      let text: string | undefined
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts.secret ? { authorization: `Bearer ${signJwt(opts.secret)}` } : {}) },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        })
        text = await boundedText(res, max)
      } catch (err) {
        throw new EngineCallError(method, 0, `cannot reach ${opts.url}: ${err instanceof Error ? err.message : String(err)}`, undefined, 'unreachable')
      }
      if (text === undefined) throw new EngineCallError(method, 0, `the answer is longer than ${max} bytes`, undefined, 'malformed')
      if (res.status !== 200) throw new EngineCallError(method, 0, `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, undefined, 'http', res.status)
      let body: { result?: T; error?: { code: number; message: string; data?: unknown } }
      try {
        body = JSON.parse(text)
      } catch {
        throw new EngineCallError(method, 0, `not a JSON answer: ${text.slice(0, 200)}`, undefined, 'malformed')
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EngineCallError(method, 0, 'not a JSON-RPC answer', undefined, 'malformed')
      if (body.error) throw new EngineCallError(method, Number(body.error.code) || 0, String(body.error.message), body.error.data)
      if (!('result' in body)) throw new EngineCallError(method, 0, 'a JSON-RPC answer without result or error', undefined, 'malformed')
      return body.result as T
    },
  }
}
