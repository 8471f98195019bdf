/**
 * Which peer gets the next request: among the peers with room (fewer than `maxInFlight`
 * requests of ours outstanding) and not excluded for this piece of work, the one with the best
 * measured throughput (items per second, an exponential moving average of its responses). A
 * new peer starts at the best throughput seen, so that it is tried soon and measured.
 *
 * Pure bookkeeping, no I/O. Callers: the syncer; tests.
 */

export interface PeerRate {
  readonly key: string
  inFlight: number
  /** Items per second, smoothed; undefined until the first response. */
  rate?: number
  /** Items delivered in all. */
  delivered: number
}

export interface Scheduler {
  readonly peers: ReadonlyMap<string, PeerRate>
  add(key: string): void
  remove(key: string): void
  /** The best peer with room that `exclude` does not reject, or undefined. */
  pick(exclude?: (key: string) => boolean): PeerRate | undefined
  /** A request was sent to the peer. */
  started(key: string): void
  /** Its response (or failure) came: `items` delivered in `ms`. */
  finished(key: string, items: number, ms: number): void
}

/** Weight of the newest measurement in the moving average. */
export const RATE_WEIGHT = 0.3

export function createScheduler(opts: { maxInFlight: number }): Scheduler {
  const peers = new Map<string, PeerRate>()
  const best = () => {
    let r: number | undefined
    for (const p of peers.values()) if (p.rate !== undefined && (r === undefined || p.rate > r)) r = p.rate
    return r
  }
  return {
    peers,
    add(key) {
      if (!peers.has(key)) peers.set(key, { key, inFlight: 0, delivered: 0 })
    },
    remove(key) {
      peers.delete(key)
    },
    pick(exclude) {
      const fallback = best() ?? 1
      let chosen: PeerRate | undefined
      let chosenScore = -1
      for (const p of peers.values()) {
        if (p.inFlight >= opts.maxInFlight || exclude?.(p.key)) continue
        // a busy peer's rate is shared by its outstanding requests
        const score = (p.rate ?? fallback) / (1 + p.inFlight)
        if (score > chosenScore) {
          chosen = p
          chosenScore = score
        }
      }
      return chosen
    },
    started(key) {
      const p = peers.get(key)
      if (p) p.inFlight++
    },
    finished(key, items, ms) {
      const p = peers.get(key)
      if (!p) return
      p.inFlight = Math.max(0, p.inFlight - 1)
      p.delivered += items
      const measured = (items * 1000) / Math.max(ms, 1)
      p.rate = p.rate === undefined ? measured : p.rate * (1 - RATE_WEIGHT) + measured * RATE_WEIGHT
    },
  }
}
