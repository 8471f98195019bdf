/**
 * The `sync` component: sync from eth peers (src/sync) over the chain and the store. The Engine
 * API gives it its targets (`onSyncTarget`, wired by the engine component when sync is present)
 * and RPC reads its progress (eth_syncing).
 */
import { defineComponent, type Logger } from '../../node/index.ts'
import { createSyncer, type SyncLimits, type Syncer } from '../../sync/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    sync: Syncer
  }
}

export interface SyncConfig {
  limits?: Partial<SyncLimits>
  log?: Logger
}

export const syncComponent = defineComponent({
  provides: 'sync',
  requires: ['chain', 'eth', 'storage'],
  description: 'sync from peers: headers back from the Engine API\'s target, bodies from several peers, blocks imported in order',
  configure: (s, ctx): SyncConfig => ({ limits: s.sync as Partial<SyncLimits> | undefined, log: ctx.log.with({ component: 'sync' }) }),
  create({ chain, eth, storage }, c) {
    const log = c.log
    const syncer = createSyncer({ chain, eth, db: storage, limits: c.limits, log: log && ((level, msg, fields) => log[level](msg, fields)) })
    return { service: syncer, start: () => syncer.start(), stop: () => syncer.stop() }
  },
})
