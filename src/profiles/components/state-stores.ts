/**
 * The `stateStores` component, the statesync profile's consumers: each `--store` (a built-in
 * name; `rocksdb:DIR`, `sqlite:DIR`, `lmdb:DIR` with its directory, else <stores-dir>/NAME;
 * `postgres:URL`; or a plugin file) gets a subscription of its own to the state-diff stream,
 * from its own head, and applies every block's diff at its own pace. The chain never waits for
 * a store: import only wakes the subscriptions, and a store that falls behind (or was stopped)
 * catches up from the retained diffs and the chain's stored change sets.
 *
 * Exactly once: a store writes each block and its new head in one atomic step (src/statediff/
 * store.ts), so its head is its acknowledged height on disk. After a crash of the node (SIGKILL
 * included) the store resumes after that head: no block is missed or applied twice. Every
 * `--store.flush-blocks` blocks, and when a store is idle, it is flushed (made durable) and its
 * head acknowledged to the stream, which then keeps nothing older for it.
 *
 * A store whose server is lost (PostgreSQL stopped or restarting) waits and retries with
 * backoff, saying so in the log ("Store unreachable, retrying", then "Store reconnected"), and
 * resumes after its head (src/statediff/stores/retry.ts). A store that throws otherwise is
 * reported with its name and the block and stops; the chain and the other stores go on.
 */
import { join, resolve } from 'node:path'
import { openStore, storeLabel } from '../../cli/commands/statesync-stores.ts'
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { StateDiffError, writeRetrying, type BlockDiff, type StateStore, type Subscription } from '../../statediff/index.ts'

/** One store as the follower runs it. */
export interface FollowedStore {
  readonly name: string
  readonly store: StateStore
  readonly subscription: Subscription
  /** The store's failure, once it failed. */
  readonly failure?: string
}

export interface StateStoresService {
  readonly stores: readonly FollowedStore[]
}

declare module '../../node/component.ts' {
  interface Services {
    stateStores: StateStoresService
  }
}

export interface StateStoresConfig {
  specs: string[]
  dir: string
  flushBlocks: number
  flushMs: number
  log?: Logger
}

export const stateStoresOptions: OptionSpec[] = [
  {
    flag: 'store',
    type: 'list',
    section: 'statesync',
    key: 'stores',
    help: 'a store the chain\'s state diffs are applied to: memory, rocksdb, sqlite, lmdb, postgres[:URL], or a plugin file (./my-store.ts); repeat for more',
  },
  { flag: 'stores-dir', type: 'string', section: 'statesync', key: 'storesDir', help: 'where the stores keep their files, one directory each (default: <datadir>/stores)' },
  { flag: 'store.flush-blocks', type: 'int', section: 'statesync', key: 'flushBlocks', default: 64, min: 1, help: 'flush each store (fsync) and acknowledge its head every this many blocks, and when it is idle' },
]

/** The stores whose `NAME:ARG` names their directory (postgres' is its server's URL). */
const DIR_STORES = new Set(['rocksdb', 'sqlite', 'lmdb'])
const split = (spec: string) => {
  const i = spec.indexOf(':')
  return i > 0 && DIR_STORES.has(spec.slice(0, i)) ? { name: spec.slice(0, i), dir: resolve(spec.slice(i + 1)) } : undefined
}
const storeSpec = (spec: string) => split(spec)?.name ?? spec
const storeDir = (spec: string, fallback: string) => split(spec)?.dir ?? fallback

/** Lets timers and I/O run while a synchronous store works through a long backlog. */
const YIELD_MS = 20

export const stateStoresComponent = defineComponent({
  provides: 'stateStores',
  requires: ['stateDiffs'],
  description: 'the statesync follower\'s data stores (--store): each fed the state-diff stream by its own subscription, at its own pace, resuming after its own head',
  options: stateStoresOptions,
  configure(s, ctx): StateStoresConfig {
    const c = s.statesync ?? {}
    if (!(c.stores as string[] | undefined)?.length)
      throw new StateDiffError('BAD_STORE', 'the statesync profile needs a --store', { details: `give --store memory, rocksdb, sqlite, lmdb, postgres[:URL] or a plugin file (repeat for more)` })
    return {
      specs: (c.stores as string[] | undefined) ?? [],
      dir: (c.storesDir as string | undefined) ?? join(ctx.datadir(), 'stores'),
      flushBlocks: (c.flushBlocks as number | undefined) ?? 64,
      flushMs: 1000,
      log: ctx.log.with({ component: 'statesync' }),
    }
  },
  async create({ stateDiffs }, c) {
    const log = c.log
    const opened: { name: string; store: StateStore }[] = []
    try {
      const names = new Set<string>()
      for (const spec of c.specs) {
        let name = storeLabel(spec)
        for (let i = 2; names.has(name); i++) name = `${storeLabel(spec)}-${i}`
        names.add(name)
        opened.push({ name, store: (await openStore(storeSpec(spec), storeDir(spec, join(c.dir, name)))).store })
      }
    } catch (e) {
      for (const o of opened) await o.store.close().catch(() => {})
      throw e
    }

    const feeds = await Promise.all(opened.map(async ({ name, store }) => follow(name, store, await store.head())))
    const timer = setInterval(() => feeds.forEach((f) => f.tick()), c.flushMs)

    /** One store's subscription; every store call goes through `queue`, so a flush never runs inside an apply. */
    function follow(name: string, store: StateStore, from: Awaited<ReturnType<StateStore['head']>>) {
      let queue: Promise<unknown> = Promise.resolve()
      let since = 0
      let lastYield = performance.now()
      let acked = from?.number
      let failure: string | undefined
      let stopping = false
      const run = <T>(op: () => T | Promise<T>): Promise<T> => {
        const p = queue.then(op)
        queue = p.catch(() => {})
        return p
      }
      const flush = () =>
        run(async () => {
          const at = sub.position
          if (failure || !at || at.number === acked) return
          await store.flush()
          sub.acknowledge(at.number)
          acked = at.number
          since = 0
          log?.info('Store synced', { store: name, number: at.number, hash: bytesToHex(at.hash) })
        })
      /** The block's write, waiting out a lost server: each retry and the reconnection are logged. */
      const write = (d: BlockDiff) =>
        writeRetrying(store, d, {
          stopped: () => stopping,
          onRetry: ({ attempt, delayMs, error }) =>
            log?.warn('Store unreachable, retrying', { store: name, block: String(d.number), op: d.direction, attempt, retryInMs: delayMs, storeHead: String(sub.position?.number ?? 'none'), error: error.message, ...(error.details ? { details: error.details } : {}) }),
          onRecovered: ({ attempts, downMs, alreadyApplied }) =>
            log?.info('Store reconnected', { store: name, block: String(d.number), failedAttempts: attempts, downMs: Math.round(downMs), ...(alreadyApplied ? { note: 'the block was written before the connection went: not applied again' } : {}) }),
        })
      const step = (d: BlockDiff) =>
        run(async () => {
          await write(d)
          since++
          if (performance.now() - lastYield > YIELD_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve))
            lastYield = performance.now()
          }
        })
      const sub = stateDiffs.subscribe(
        {
          // between notifications every block delivered is applied: flush when enough have been
          onNotification: () => (since >= c.flushBlocks ? flush() : undefined),
          onCommit: step,
          onRevert: step,
        },
        { name, from },
      )
      sub.done.catch((e) => {
        failure = e instanceof Error ? e.message : String(e)
        log?.error('Store failed', { store: name, error: failure, ...((e as { details?: string }).details ? { details: (e as { details: string }).details } : {}) })
      })
      log?.info('Following the chain into a store', { store: name, kind: store.kind, from: from ? from.number : 'genesis' })
      const feed = {
        name,
        store,
        subscription: sub,
        get failure() {
          return failure
        },
        /** Idle or due: flush and acknowledge. */
        tick: () => void flush().catch((e) => log?.warn('Store flush failed', { store: name, error: e instanceof Error ? e.message : String(e) })),
        async stop() {
          stopping = true
          sub.close()
          await queue
          await flush().catch(() => {})
          await store.close()
        },
      }
      return feed
    }

    return {
      service: { stores: feeds },
      async stop() {
        clearInterval(timer)
        for (const f of feeds) await f.stop().catch((e) => log?.warn('Store close failed', { store: f.name, error: e instanceof Error ? e.message : String(e) }))
      },
    }
  },
})
