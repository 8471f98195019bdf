/**
 * The asynchronous JSON-RPC client of one upstream node: calls go out as JSON-RPC batches (at
 * most `maxBatch` calls each, at most `maxInFlight` batches at once), and a batch that fails —
 * connection refused, timeout, HTTP 429 or 5xx, an answer that is not JSON-RPC — or calls that
 * come back rate-limited (-32005, 429) are retried with exponential backoff. As in foundry's
 * retry layer, a rate-limited wait also grows with the compute units queued ahead at the
 * upstream's `computeUnitsPerSecond`. Runs in the bridge's worker (./bridge-worker.ts) and on
 * the main thread for asynchronous reads (RPC forwarding).
 */
import { RemoteError } from './errors.ts'

export interface UpstreamOptions {
  url: string
  /** Attempts after the first (anvil's --retries, default 5). */
  retries?: number
  /** First backoff in ms, doubled per attempt (anvil's --fork-retry-backoff). */
  backoffMs?: number
  /** One HTTP request's time limit in ms (anvil's --timeout, default 45 000). */
  timeoutMs?: number
  /** The upstream's assumed compute units per second (anvil's --compute-units-per-second, default 330). */
  computeUnitsPerSecond?: number
  maxBatch?: number
  maxInFlight?: number
  /** Bytes of one answer (default 32 MiB). */
  maxResponseBytes?: number
  /** What to tell the user when the upstream stays unreachable (the flags that name it). */
  hint?: string
}

export interface RpcCall {
  method: string
  params: unknown[]
}

export type RpcOutcome = { result: unknown } | { error: { code: number; message: string; data?: unknown } }

/** Rate limiting as providers signal it: HTTP 429 in the body's code, or -32005 (limit exceeded, EIP-1474). */
const RATE_LIMIT_CODES = new Set([429, -32005])
/** Compute units of a call, as Alchemy counts them (what foundry's estimate uses); others 20. */
const COST: Record<string, number> = { eth_getBalance: 19, eth_getTransactionCount: 26, eth_getCode: 26, eth_getStorageAt: 17, eth_getProof: 21, eth_getBlockByNumber: 16, eth_chainId: 0, eth_blockNumber: 10 }
const MAX_BACKOFF_MS = 30_000

class Retryable extends Error {
  constructor(message: string, readonly rateLimited: boolean, readonly retryAfterMs?: number) {
    super(message)
  }
}

export class UpstreamClient {
  readonly url: string
  private readonly retries: number
  private readonly backoffMs: number
  private readonly timeoutMs: number
  private readonly cups: number
  private readonly maxBatch: number
  private readonly maxInFlight: number
  private readonly maxResponseBytes: number
  private readonly hint: string
  private inFlight = 0
  private readonly waiting: (() => void)[] = []
  private nextId = 1

  constructor(opts: UpstreamOptions) {
    this.url = opts.url
    this.retries = opts.retries ?? 5
    this.backoffMs = opts.backoffMs ?? 1000
    this.timeoutMs = opts.timeoutMs ?? 45_000
    this.cups = opts.computeUnitsPerSecond ?? 330
    this.maxBatch = opts.maxBatch ?? 100
    this.maxInFlight = opts.maxInFlight ?? 4
    this.maxResponseBytes = opts.maxResponseBytes ?? 32 * 1024 * 1024
    this.hint = opts.hint ?? 'check the upstream URL, or allow more retries'
  }

  /** The longest a `batch` of `calls` calls can take before it gives up (the bridge's deadline). */
  worstCaseMs(calls: number): number {
    let backoff = 0
    for (let i = 0; i < this.retries; i++) backoff += Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** i) + (calls * 26 * 1000) / this.cups
    const rounds = Math.ceil(calls / this.maxBatch / this.maxInFlight)
    return rounds * ((this.retries + 1) * this.timeoutMs + backoff)
  }

  /** One call; a JSON-RPC error becomes a RemoteError('rpc-error') naming `what`. */
  async call(method: string, params: unknown[], what = method): Promise<unknown> {
    const [o] = await this.batch([{ method, params }], what)
    if ('error' in o!) throw new RemoteError('rpc-error', `upstream ${this.url} refused ${what}: ${o.error.message} (code ${o.error.code})`)
    return o!.result
  }

  /** Every call's outcome, in order. Throws RemoteError when the upstream stays unreachable. */
  async batch(calls: readonly RpcCall[], what: string): Promise<RpcOutcome[]> {
    const chunks: RpcCall[][] = []
    for (let i = 0; i < calls.length; i += this.maxBatch) chunks.push(calls.slice(i, i + this.maxBatch))
    const done = await Promise.all(chunks.map((c) => this.limited(() => this.sendWithRetries(c, what))))
    return done.flat()
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.waiting.push(r))
    this.inFlight++
    try {
      return await fn()
    } finally {
      this.inFlight--
      this.waiting.shift()?.()
    }
  }

  private async sendWithRetries(calls: RpcCall[], what: string): Promise<RpcOutcome[]> {
    const out: (RpcOutcome | undefined)[] = new Array(calls.length)
    let todo = calls.map((_, i) => i)
    for (let attempt = 0; ; attempt++) {
      let problem: Retryable
      try {
        const got = await this.send(todo.map((i) => calls[i]!))
        const again: number[] = []
        got.forEach((o, j) => {
          if ('error' in o && RATE_LIMIT_CODES.has(o.error.code)) again.push(todo[j]!)
          else out[todo[j]!] = o
        })
        if (again.length === 0) return out as RpcOutcome[]
        todo = again
        problem = new Retryable(`rate limited (${again.length} of the calls)`, true)
      } catch (err) {
        if (!(err instanceof Retryable)) throw err
        problem = err
      }
      if (attempt >= this.retries)
        throw new RemoteError('unreachable', `upstream ${this.url} did not answer ${what} after ${attempt + 1} attempts: ${problem.message}`, {
          details: this.hint,
        })
      await Bun.sleep(this.delayMs(attempt, problem, todo.map((i) => calls[i]!)))
    }
  }

  private delayMs(attempt: number, p: Retryable, calls: RpcCall[]): number {
    let ms = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** attempt)
    if (p.rateLimited) {
      const units = calls.reduce((s, c) => s + (COST[c.method] ?? 20), 0) * Math.max(1, this.inFlight)
      ms += (units * 1000) / this.cups
      if (p.retryAfterMs !== undefined) ms = Math.max(ms, Math.min(p.retryAfterMs, MAX_BACKOFF_MS))
    }
    return ms
  }

  /** One HTTP request; Retryable for what another attempt may cure. */
  private async send(calls: RpcCall[]): Promise<RpcOutcome[]> {
    const ids = calls.map(() => this.nextId++)
    const body = JSON.stringify(calls.map((c, i) => ({ jsonrpc: '2.0', id: ids[i], method: c.method, params: c.params })))
    let res: Response
    try {
      res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (err) {
      const name = err instanceof Error ? err.name : ''
      throw new Retryable(name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `connection failed (${err instanceof Error ? err.message : String(err)})`, false)
    }
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after'))
      throw new Retryable('HTTP 429 (rate limited)', true, Number.isFinite(after) && after > 0 ? after * 1000 : undefined)
    }
    const text = await res.text().catch((err) => {
      throw new Retryable(`the answer broke off (${err instanceof Error ? err.message : String(err)})`, false)
    })
    if (res.status >= 500) throw new Retryable(`HTTP ${res.status}`, false)
    if (text.length > this.maxResponseBytes) throw new RemoteError('too-large', `upstream ${this.url} answered ${text.length} bytes, over the limit of ${this.maxResponseBytes}`)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new Retryable(`HTTP ${res.status}, not JSON: ${JSON.stringify(text.slice(0, 80))}`, false)
    }
    // a node without batch support answers one error object for the whole batch
    if (!Array.isArray(json)) {
      const e = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error
      if (e && RATE_LIMIT_CODES.has(Number(e.code))) throw new Retryable(`rate limited (${String(e.message)})`, true)
      throw new Retryable(`HTTP ${res.status}, not a batch answer: ${JSON.stringify(text.slice(0, 80))}`, false)
    }
    const byId = new Map<unknown, unknown>()
    for (const r of json) if (r && typeof r === 'object') byId.set((r as { id?: unknown }).id, r)
    return ids.map((id) => {
      const r = byId.get(id) as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } } | undefined
      if (!r) throw new Retryable(`the batch answer lacks call ${id}`, false)
      if (r.error !== undefined) return { error: { code: Number(r.error?.code), message: String(r.error?.message), data: r.error?.data } }
      if (!('result' in r)) throw new Retryable(`call ${id} has neither result nor error`, false)
      return { result: r.result }
    })
  }
}
