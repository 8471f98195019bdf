/**
 * Writing a block to a store whose server may be away for a while (a lost connection, a
 * restarting database): a STORE_UNAVAILABLE failure is retried with exponential backoff until
 * the server is back; any other failure is thrown at once. Before each retry the store's head
 * is read back: a write whose commit reached the server before the connection went (the head
 * is already the block's) is not applied again, so each block is applied exactly once.
 *
 * Consumers: the statesync follower (src/profiles/components/state-stores.ts), the NATS replica
 * feed (../nats-source.ts).
 */
import { StateDiffError } from '../errors.ts'
import type { StateStore } from '../store.ts'
import type { BlockDiff } from '../types.ts'
import { headAfter, sameRef } from './order.ts'

export interface RetryOptions {
  /** The first wait (default 250 ms); each next one doubles, up to `maxDelayMs` (default 8 s). */
  firstDelayMs?: number
  maxDelayMs?: number
  /** Told before each wait. */
  onRetry?(r: { attempt: number; delayMs: number; error: StateDiffError }): void
  /** Told once the write went through after failing (`attempts` counts the failures). */
  onRecovered?(r: { attempts: number; downMs: number; alreadyApplied: boolean }): void
  /** Gives up (throws the last failure) when this says so: the consumer is stopping. */
  stopped?(): boolean
}

const unavailable = (e: unknown): e is StateDiffError => e instanceof StateDiffError && e.code === 'STORE_UNAVAILABLE'

/** `store.apply(d)` (or `revert` for a revert diff), retried while the store is unavailable. */
export async function writeRetrying(store: StateStore, d: BlockDiff, o: RetryOptions = {}): Promise<void> {
  const first = o.firstDelayMs ?? 250
  const max = o.maxDelayMs ?? 8000
  let since: number | undefined
  for (let attempt = 1; ; attempt++) {
    try {
      if (since !== undefined && sameRef(await store.head(), headAfter(d))) {
        o.onRecovered?.({ attempts: attempt - 1, downMs: performance.now() - since, alreadyApplied: true })
        return
      }
      const r = d.direction === 'commit' ? store.apply(d) : store.revert(d)
      if (r) await r
      if (since !== undefined) o.onRecovered?.({ attempts: attempt - 1, downMs: performance.now() - since, alreadyApplied: false })
      return
    } catch (e) {
      if (!unavailable(e) || o.stopped?.()) throw e
      since ??= performance.now()
      const delayMs = Math.min(max, first * 2 ** (attempt - 1))
      o.onRetry?.({ attempt, delayMs, error: e })
      await new Promise((resolve) => setTimeout(resolve, delayMs))
    }
  }
}
