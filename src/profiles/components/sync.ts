/**
 * The `sync` component: sync from eth peers (src/sync) over the chain and the store. The Engine
 * API gives it its targets (`onSyncTarget`, wired by the engine component when sync is present)
 * and RPC reads its progress (eth_syncing). On a terminal (the logger's status line) it draws a
 * progress bar from `Syncer.progress()` below the log lines: blocks done of the total, blocks/s
 * over the last seconds and the time left; src/sync itself has no terminal code.
 */
import { defineComponent, progressBar, type Logger, type OptionSpec } from '../../node/index.ts'
import { createSyncer, formatDuration, SYNC_LIMITS, type SyncLimits, type SyncProgress, type Syncer } from '../../sync/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    sync: Syncer
  }
}

export interface SyncConfig {
  limits?: Partial<SyncLimits>
  log?: Logger
}

export const syncOptions: OptionSpec[] = [
  { flag: 'sync.timeout', type: 'int', section: 'sync', key: 'timeoutMs', min: 100, help: `ms a peer has to answer one sync request before it is dropped (default ${SYNC_LIMITS.requestTimeoutMs})` },
  { flag: 'sync.log-interval', type: 'int', section: 'sync', key: 'logInterval', min: 1, help: `seconds between sync progress lines (default ${SYNC_LIMITS.logIntervalMs / 1000})` },
]

function limitsFrom(s: Record<string, unknown> | undefined): Partial<SyncLimits> {
  const out: Partial<SyncLimits> = {}
  if (typeof s?.timeoutMs === 'number') out.requestTimeoutMs = s.timeoutMs
  if (typeof s?.logInterval === 'number') out.logIntervalMs = s.logInterval * 1000
  return out
}

/** How often the bar is redrawn, and the window its blocks/s is measured over. */
const BAR_REDRAW_MS = 250
const BAR_RATE_WINDOW_MS = 10_000

/** The bar's text: `Syncing [====>   ] 766/2,000 blocks 38.3%  350.2 blocks/s  left 3s`, counted from the sync's first block. */
export function syncStatusText(p: SyncProgress, blocksPerSecond: number): string {
  const total = p.highestBlock - p.startingBlock
  if (total <= 0n) return `Syncing ${progressBar(0)} waiting for the target's headers`
  const done = p.currentBlock - p.startingBlock
  const fraction = Number(done) / Number(total)
  const left = blocksPerSecond > 0 ? formatDuration(Number(p.highestBlock - p.currentBlock) / blocksPerSecond) : 'unknown'
  return (
    `Syncing ${progressBar(fraction)} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} blocks ${(100 * fraction).toFixed(1)}%` +
    `  ${blocksPerSecond.toFixed(1)} blocks/s  left ${left}`
  )
}

/** Blocks/s over the last `windowMs`, from (time, block) samples. */
export function blockRate(windowMs = BAR_RATE_WINDOW_MS) {
  const samples: { t: number; n: bigint }[] = []
  return {
    sample(t: number, n: bigint): number {
      samples.push({ t, n })
      while (samples.length > 2 && t - samples[1]!.t >= windowMs) samples.shift()
      const first = samples[0]!
      return t > first.t ? (Number(n - first.n) * 1000) / (t - first.t) : 0
    },
    reset: () => void (samples.length = 0),
  }
}

/** Redraws the status line from the syncer's progress; returns the stop. */
function drawBar(syncer: Pick<Syncer, 'progress'>, status: (text: string | undefined) => void): () => void {
  const rate = blockRate()
  const timer = setInterval(() => {
    const p = syncer.progress()
    if (p === false) {
      rate.reset()
      return status(undefined)
    }
    status(syncStatusText(p, rate.sample(performance.now(), p.currentBlock)))
  }, BAR_REDRAW_MS)
  timer.unref?.()
  return () => {
    clearInterval(timer)
    status(undefined)
  }
}

export const syncComponent = defineComponent({
  provides: 'sync',
  requires: ['chain', 'eth', 'storage'],
  description: 'sync from peers: headers back from the Engine API\'s target, bodies from several peers, blocks imported in order',
  options: syncOptions,
  configure: (s, ctx): SyncConfig => ({ limits: limitsFrom(s.sync), log: ctx.log.with({ component: 'sync' }) }),
  create({ chain, eth, storage }, c) {
    const log = c.log
    const syncer = createSyncer({ chain, eth, db: storage, limits: c.limits, log: log && ((level, msg, fields) => log[level](msg, fields)) })
    const status = log?.status?.bind(log)
    let stopBar: (() => void) | undefined
    return {
      service: syncer,
      start() {
        syncer.start()
        if (status) stopBar = drawBar(syncer, status)
      },
      async stop() {
        stopBar?.()
        await syncer.stop()
      },
    }
  },
})
