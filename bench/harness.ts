/**
 * Tiny benchmark harness: time a function for a while, report ops/s, compare with a peer run
 * on the same input in the same process. Speed is measured here, never in tests.
 */

export interface Measurement {
  name: string
  opsPerSec: number
  /** Operations counted per call of the measured function (e.g. items in a batch). */
  opsPerCall: number
}

/** Calls `fn` repeatedly for about `ms` milliseconds after a short warm-up. */
export function measure(name: string, fn: () => unknown, opts: { ms?: number; opsPerCall?: number } = {}): Measurement {
  const ms = opts.ms ?? 1000
  const opsPerCall = opts.opsPerCall ?? 1
  const warmEnd = performance.now() + Math.min(200, ms / 5)
  while (performance.now() < warmEnd) fn()
  let calls = 0
  const start = performance.now()
  let now = start
  while (now - start < ms) {
    fn()
    calls++
    now = performance.now()
  }
  return { name, opsPerSec: (calls * opsPerCall * 1000) / (now - start), opsPerCall }
}

/** Times one call (for work that is long by itself, like a 100k-leaf trie). Best of `runs`. */
export async function timeOnce(name: string, fn: () => unknown, runs = 3): Promise<Measurement> {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    best = Math.min(best, performance.now() - t)
  }
  return { name, opsPerSec: 1000 / best, opsPerCall: 1 }
}

/**
 * Best time (ms) of each variant over `rounds` rounds, interleaved so that a load change on the
 * machine hits every variant alike; each round starts with another variant, so none always runs
 * after the same one.
 */
export async function interleavedBest(variants: { run: () => unknown }[], rounds = 3): Promise<number[]> {
  const best = variants.map(() => Infinity)
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length
      const t = performance.now()
      await variants[i]!.run()
      best[i] = Math.min(best[i]!, performance.now() - t)
    }
  }
  return best
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3))

/** Prints a group: each row's ops/s and its ratio to the baseline row (the peer). */
export function report(title: string, rows: Measurement[], baseline: Measurement): void {
  console.log(`\n${title}`)
  const width = Math.max(...rows.map((r) => r.name.length))
  for (const r of rows) {
    const ratio = r.opsPerSec / baseline.opsPerSec
    console.log(`  ${r.name.padEnd(width)}  ${fmt(r.opsPerSec).padStart(14)} ops/s  ${ratio.toFixed(2).padStart(8)}x ${r === baseline ? '(baseline)' : `vs ${baseline.name}`}`)
  }
}
