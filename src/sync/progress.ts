/**
 * Sync progress: what eth_syncing reports (geth's `startingBlock`, `currentBlock`,
 * `highestBlock`) and the periodic log line's speeds (blocks/s, Mgas/s over the last interval)
 * and time left at that pace.
 *
 * Callers: the syncer.
 */

/** eth_syncing's object while a sync runs (geth's field names; numbers, formatted by RPC). */
export interface SyncProgress {
  startingBlock: bigint
  currentBlock: bigint
  highestBlock: bigint
}

export interface ProgressMeter {
  /** A block was imported. */
  imported(gasUsed: bigint): void
  /** The fields of the log line since the last call, and the time left to `remaining` blocks. */
  report(remaining: bigint): { bps: string; mgas: string; eta: string }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

export function createProgressMeter(now: () => number = () => performance.now()): ProgressMeter {
  let since = now()
  let blocks = 0
  let gas = 0n
  return {
    imported(gasUsed) {
      blocks++
      gas += gasUsed
    },
    report(remaining) {
      const t = now()
      const secs = Math.max((t - since) / 1000, 1e-3)
      const bps = blocks / secs
      const mgas = Number(gas) / 1e6 / secs
      since = t
      blocks = 0
      gas = 0n
      return { bps: bps.toFixed(1), mgas: mgas.toFixed(2), eta: bps > 0 ? formatDuration(Number(remaining) / bps) : 'unknown' }
    },
  }
}
