/**
 * A minimal Engine API client: JSON-RPC over HTTP with a fresh HS256 token per call (so `iat`
 * is never stale), as a consensus client talks to an execution client. Consumers: `mosaic
 * cl-mock`, `mosaic enginetest`, tests; it works against any client's Engine API.
 */
import { MosaicError } from '../primitives/index.ts'
import { signJwt } from './jwt.ts'

/** A JSON-RPC error answer (`code` is the spec's number), or a failure of the HTTP exchange (`code` 0). */
export class EngineCallError extends MosaicError {
  override name = 'EngineCallError'
  readonly rpcCode: number
  readonly data?: unknown
  constructor(method: string, rpcCode: number, message: string, data?: unknown) {
    super('ENGINE_CALL', `${method} failed`, { details: rpcCode ? `${rpcCode} ${message}` : message })
    this.rpcCode = rpcCode
    this.data = data
  }
}

export interface EngineClient {
  /** The call's result; an error answer or HTTP failure throws EngineCallError. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>
}

export function createEngineClient(opts: { url: string; secret: Uint8Array; timeoutMs?: number }): EngineClient {
  let id = 0
  return {
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      let res: Response
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(opts.secret)}` },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        })
      } catch (err) {
        throw new EngineCallError(method, 0, `cannot reach ${opts.url}: ${err instanceof Error ? err.message : String(err)}`)
      }
      const text = await res.text()
      if (res.status !== 200) throw new EngineCallError(method, 0, `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`)
      let body: { result?: T; error?: { code: number; message: string; data?: unknown } }
      try {
        body = JSON.parse(text)
      } catch {
        throw new EngineCallError(method, 0, `not a JSON answer: ${text.slice(0, 200)}`)
      }
      if (body.error) throw new EngineCallError(method, body.error.code, body.error.message, body.error.data)
      return body.result as T
    },
  }
}
