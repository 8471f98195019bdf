/**
 * The `sync` component: sync from eth peers (src/sync) over the chain and the store. The Engine
 * API gives it its targets (`onSyncTarget`, wired by the engine component when sync is present)
 * and RPC reads its progress (eth_syncing).
 */
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { createSyncer, SYNC_LIMITS, type SyncLimits, type Syncer } from '../../sync/index.ts'

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

export const syncComponent = defineComponent({
  provides: 'sync',
  requires: ['chain', 'eth', 'storage'],
  description: 'sync from peers: headers back from the Engine API\'s target, bodies from several peers, blocks imported in order',
  options: syncOptions,
  configure: (s, ctx): SyncConfig => ({ limits: limitsFrom(s.sync), log: ctx.log.with({ component: 'sync' }) }),
  create({ chain, eth, storage }, c) {
    const log = c.log
    const syncer = createSyncer({ chain, eth, db: storage, limits: c.limits, log: log && ((level, msg, fields) => log[level](msg, fields)) })
    return { service: syncer, start: () => syncer.start(), stop: () => syncer.stop() }
  },
})
