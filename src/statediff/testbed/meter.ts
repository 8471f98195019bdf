/**
 * What the testbed measures per store: every apply's duration and entries, flushes, read
 * latencies, and per window of blocks a row of those plus bytes on disk and the process's RSS
 * and CPU, all against the state's size at the window's end.
 */
export interface Percentiles {
  p50: number
  p99: number
  max: number
}

/** Percentiles of a list of numbers (nearest rank); zeros for an empty one. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 }
  const sorted = Float64Array.from(values).sort()
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! }
}

export interface WindowRow {
  /** The chain's head at the window's end. */
  block: number
  /** Mosaic's state then. */
  accounts: number
  slots: number
  applyMs: Percentiles
  entriesPerSecond: number
  readUs: Percentiles
  bytesOnDisk: number
  rssBytes: number
  /** Process CPU over the window (all stores and the chain), ms. */
  cpuMs: number
}

/** One store's measurements. */
export class StoreMeter {
  readonly windows: WindowRow[] = []
  private readonly applies: number[] = []
  private windowApplies: number[] = []
  private windowEntries = 0
  private windowReads: number[] = []
  commits = 0
  reverts = 0
  entries = 0
  applyTotalMs = 0
  flushMs = 0
  flushes = 0

  applied(ms: number, entries: number, direction: 'commit' | 'revert'): void {
    this.applies.push(ms)
    this.windowApplies.push(ms)
    this.applyTotalMs += ms
    this.entries += entries
    this.windowEntries += entries
    if (direction === 'commit') this.commits++
    else this.reverts++
  }

  /** Mean apply time of the current window (the progress line). */
  windowMean(): number {
    if (this.windowApplies.length === 0) return this.windows[this.windows.length - 1]?.applyMs.p50 ?? 0
    return this.windowApplies.reduce((a, b) => a + b, 0) / this.windowApplies.length
  }

  read(ms: number): void {
    this.windowReads.push(ms * 1000)
  }

  flushed(ms: number): void {
    this.flushMs += ms
    this.flushes++
  }

  /** Closes the current window. */
  window(row: Omit<WindowRow, 'applyMs' | 'entriesPerSecond' | 'readUs'>): void {
    const ms = this.windowApplies.reduce((a, b) => a + b, 0)
    this.windows.push({ ...row, applyMs: percentiles(this.windowApplies), entriesPerSecond: ms > 0 ? (this.windowEntries * 1000) / ms : 0, readUs: percentiles(this.windowReads) })
    this.windowApplies = []
    this.windowEntries = 0
    this.windowReads = []
  }

  summary() {
    return {
      commits: this.commits,
      reverts: this.reverts,
      entries: this.entries,
      applyMs: { ...percentiles(this.applies), total: this.applyTotalMs },
      entriesPerSecond: this.applyTotalMs > 0 ? (this.entries * 1000) / this.applyTotalMs : 0,
      flushMs: { total: this.flushMs, count: this.flushes },
    }
  }
}
