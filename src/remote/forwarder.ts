/**
 * Transactions passed on to another node (the txpool profile's `--txpool.forward`, as Erigon's
 * txpool hands them to its execution node): each one is sent with eth_sendRawTransaction, in
 * the order they came, in batches. While the node does not answer, the queue waits and each
 * retry comes later (250 ms, doubling up to 30 s), reported to `onUnreachable` with the next
 * wait; the first answer after that is reported to `onReconnect`, so a restarted node gets what
 * arrived while it was down. A JSON-RPC error answer (already known, nonce too low) is the
 * node's verdict on that transaction: reported to `onRefused`, not retried. At most `maxQueue`
 * transactions wait (the oldest go first).
 *
 * Consumer: the txpool profile's `forward` component (src/profiles/components/forward.ts).
 */
import type { Hex } from '../primitives/index.ts'
import { UpstreamClient, type RpcOutcome } from './upstream.ts'

export interface ForwarderOptions {
  url: string
  /** The node did not answer; the next attempt comes in `retryMs`. */
  onUnreachable?: (err: Error, retryMs: number) => void
  /** The node answered again after being unreachable. */
  onReconnect?: () => void
  /** The node refused a transaction. */
  onRefused?: (raw: Hex, error: { code: number; message: string }) => void
  maxQueue?: number
  /** First wait after a failure in ms (default 250), doubled per failure up to `maxBackoffMs` (default 30 000). */
  backoffMs?: number
  maxBackoffMs?: number
}

export interface Forwarder {
  readonly url: string
  /** Queues a signed raw transaction. */
  send(raw: Hex): void
  /** One call to the node, its outcome as the node gave it (eth_sendBundle passed on). */
  call(method: string, params: unknown[]): Promise<RpcOutcome>
  /** Transactions waiting. */
  waiting(): number
  stop(): void
}

const BATCH = 100

export function startForwarder(o: ForwarderOptions): Forwarder {
  const client = new UpstreamClient({ url: o.url, retries: 0, timeoutMs: 10_000, hint: 'check --txpool.forward' })
  const maxQueue = o.maxQueue ?? 10_000
  const base = o.backoffMs ?? 250
  const maxBackoff = o.maxBackoffMs ?? 30_000
  const queue: Hex[] = []
  let delay = base
  let down = false
  let running = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const drain = async (): Promise<void> => {
    if (running || stopped) return
    running = true
    try {
      while (queue.length > 0 && !stopped) {
        const batch = queue.slice(0, BATCH)
        let outcomes: RpcOutcome[]
        try {
          outcomes = await client.batch(batch.map((raw) => ({ method: 'eth_sendRawTransaction', params: [raw] })), 'eth_sendRawTransaction')
        } catch (err) {
          down = true
          o.onUnreachable?.(err instanceof Error ? err : new Error(String(err)), delay)
          timer = setTimeout(() => void drain(), delay)
          delay = Math.min(delay * 2, maxBackoff)
          return
        }
        if (down) o.onReconnect?.()
        down = false
        delay = base
        queue.splice(0, batch.length)
        outcomes.forEach((out, i) => 'error' in out && o.onRefused?.(batch[i]!, out.error))
      }
    } finally {
      running = false
    }
  }

  return {
    url: o.url,
    send(raw) {
      if (stopped) return
      queue.push(raw)
      if (queue.length > maxQueue) queue.shift()
      // while the node is down the backoff timer drains; otherwise at once
      if (!down) void drain()
    },
    async call(method, params) {
      const [out] = await client.batch([{ method, params }], method)
      return out!
    },
    waiting: () => queue.length,
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
