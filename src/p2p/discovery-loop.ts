/**
 * The discovery refresh loop: bootstraps once, then every `intervalMs` runs a lookup for a random
 * target (new nodes for the dialer, fresh table entries), or bootstraps again when the table has
 * emptied (every entry failed revalidation). One run at a time; a run still going when the timer
 * fires is not doubled. `stop()` clears the timer; runs under way end with the discovery close.
 *
 * Works for discv4 and discv5 alike. Callers: the p2p service.
 */

/** What the loop drives (discv4 and discv5 both fit). */
export interface LookupSource {
  bootstrap(): Promise<unknown>
  lookup(): Promise<unknown>
  /** Nodes in the routing table. */
  size(): number
}

export interface DiscoveryLoopOptions {
  /** Time between runs (default 30 s). */
  intervalMs?: number
  /** Skip a run while this says no (e.g. the peer set is full); default always. */
  wanted?: () => boolean
}

export interface DiscoveryLoop {
  /** Runs completed (bootstraps and lookups). */
  readonly runs: number
  stop(): void
}

export function startDiscoveryLoop(src: LookupSource, opts: DiscoveryLoopOptions = {}): DiscoveryLoop {
  const wanted = opts.wanted ?? (() => true)
  let runs = 0
  let running = false
  let stopped = false
  const run = (bootstrap: boolean) => {
    if (stopped || running) return
    running = true
    const p = bootstrap ? src.bootstrap() : src.lookup()
    p.catch(() => {}).finally(() => {
      running = false
      runs++
    })
  }
  run(true)
  const timer = setInterval(() => {
    if (!wanted()) return
    run(src.size() === 0)
  }, opts.intervalMs ?? 30_000)
  ;(timer as { unref?: () => void }).unref?.()
  return {
    get runs() {
      return runs
    },
    stop() {
      stopped = true
      clearInterval(timer)
    },
  }
}
