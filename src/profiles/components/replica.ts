/**
 * The statesync replica: a store that follows the chain's state-diff stream on NATS JetStream
 * (`--source nats://HOST:PORT[/STREAM]`, src/statediff/nats-source.ts) through a durable
 * consumer of its own (`--replica NAME`), and the RPC that answers account reads at its head
 * from that store (src/rpc/methods/head-state.ts). Any number of replicas, each its own process
 * and store, serve the same chain: the answer for RPC load that outgrows one machine.
 *
 * `--store NAME[:ARG]`: a built-in store (memory, rocksdb, sqlite, lmdb: ARG is its directory,
 * default DATADIR/REPLICA, else DATADIR/replica-STORE; postgres: ARG is the server's URL, its
 * schema named after that directory). A restarted replica resumes after its store's head: at its
 * consumer's acknowledged sequence, or, for a new consumer on an old store (or an empty store
 * behind an old consumer), where the stream reaches that head (src/statediff/nats-source.ts).
 * A store whose server is lost is waited for with backoff; a store that fails stops the feed,
 * and every read then answers -32000 with the reason (the log says it too).
 */
import { join, resolve } from 'node:path'
import { defineComponent, type ConfigSections, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { headStateMethods, ServerError, startRpcServer, type ChainReader, type HeadState, type RpcServer } from '../../rpc/index.ts'
import { BUILTIN_STORES, openNatsSource, StateDiffError, type Feed, type NatsSource, type StateStore } from '../../statediff/index.ts'
import { configureRpc, rpcOptions, serverOptions } from './rpc.ts'
import { storageOptions } from './storage.ts'

export interface Replica {
  readonly name: string
  readonly store: StateStore
  readonly chainId: bigint
  readonly source: NatsSource
  /** Why the feed stopped, if it failed. */
  readonly failure: Error | undefined
  /** The store's reads at its head, failing once the feed has failed. */
  readonly state: HeadState
}

declare module '../../node/component.ts' {
  interface Services {
    replica: Replica
  }
}

export interface ReplicaConfig {
  source: string
  store: { name: string; dir: string; arg?: string }
  consumer: string
  log?: Logger
}

/** Whether the statesync profile runs as a replica: its `--source` is a NATS stream. */
export const replicaRequested = (s: ConfigSections): boolean => ((s.statesync?.sources as string[] | undefined) ?? []).some((x) => x.startsWith('nats://'))

/** `--source nats://…` and `--store` are the statesync profile's own flags (./state-stores.ts, ./block-file-source.ts). */
export const replicaOptions: OptionSpec[] = [
  { flag: 'replica', type: 'string', section: 'replica', key: 'name', help: 'the replica\'s name, its durable consumer on the stream (default: from the store\'s directory)' },
  // the storage component's --datadir: where a store without its own DIR goes
  storageOptions.find((o) => o.flag === 'datadir')!,
]

class ReplicaConfigError extends StateDiffError {}

function storeOf(spec: string, datadir: () => string, replica: string | undefined): ReplicaConfig['store'] {
  const colon = spec.indexOf(':')
  const name = colon < 0 ? spec : spec.slice(0, colon)
  const arg = colon < 0 ? undefined : spec.slice(colon + 1)
  if (!BUILTIN_STORES[name]) throw new ReplicaConfigError('BAD_STORE', `unknown store ${JSON.stringify(spec)}`, { details: `choose ${Object.keys(BUILTIN_STORES).join(', ')}` })
  const own = arg && name !== 'postgres' ? resolve(arg) : undefined
  // a postgres store's schema is named after its directory: one per replica name
  return { name, dir: own ?? join(datadir(), replica ?? `replica-${name}`), ...(name === 'postgres' && arg ? { arg } : {}) }
}

/** A consumer name from a directory: its last part, with what a name cannot hold replaced. */
const nameFromDir = (dir: string) => {
  const last = (dir.split('/').filter(Boolean).pop() ?? 'store').replace(/[^A-Za-z0-9_-]/g, '_')
  return (last.startsWith('replica') ? last : `replica-${last}`).slice(0, 64)
}

export const replicaComponent = defineComponent({
  provides: 'replica',
  requires: [],
  description: 'a store fed from the chain\'s state-diff stream on NATS JetStream, through a durable consumer of its own',
  options: replicaOptions,
  configure(s, ctx): ReplicaConfig {
    const r = s.replica ?? {}
    const sources = (s.statesync?.sources as string[] | undefined) ?? []
    const stores = (s.statesync?.stores as string[] | undefined) ?? []
    const source = sources[0]
    if (!source) throw new ReplicaConfigError('BAD_STORE', 'the statesync replica needs --source nats://HOST:PORT[/STREAM]')
    if (sources.length > 1 || !source.startsWith('nats://')) throw new ReplicaConfigError('BAD_STORE', `--source ${sources.join(' --source ')}: a replica follows one NATS stream (nats://HOST:PORT[/STREAM])`)
    if (stores.length > 1) throw new ReplicaConfigError('BAD_STORE', 'a replica keeps one --store: run one replica per store')
    const store = storeOf(stores[0] ?? 'rocksdb', () => ctx.datadir(), r.name as string | undefined)
    return { source, store, consumer: (r.name as string | undefined) ?? nameFromDir(store.dir), log: ctx.log.with({ component: 'replica' }) }
  },
  async create(_deps, c) {
    const store = await BUILTIN_STORES[c.store.name]!({ dir: c.store.dir, arg: c.store.arg })
    let source: NatsSource
    try {
      source = await openNatsSource({ url: c.source, consumer: c.consumer })
    } catch (e) {
      await store.close()
      throw e
    }
    let feed: Feed | undefined
    let failure: Error | undefined
    const alive = () => {
      if (failure) throw new ServerError(`the replica stopped following the stream: ${failure.message}`)
    }
    const state: HeadState = {
      head: () => (alive(), store.head()),
      account: (a) => (alive(), store.account(a)),
      slot: (a, k) => (alive(), store.slot(a, k)),
      code: (h) => (alive(), store.code(h)),
    }
    let applied = 0
    let logged = 0
    const service: Replica = { name: c.consumer, store, chainId: source.chainId, source, state, get failure() { return failure } }
    return {
      service,
      async start() {
        const head = await store.head()
        const acknowledged = await source.acknowledged()
        try {
          feed = await source.feed(store, {
            onApplied(d, seq) {
              applied++
              const now = Date.now()
              if (now - logged > 5000) {
                logged = now
                c.log?.info('Replica applied', { number: d.number, hash: bytesToHex(d.hash), seq, applied })
              }
            },
            onRetry: ({ attempt, delayMs, error }) => c.log?.warn('Store unreachable, retrying', { store: c.store.name, attempt, retryInMs: delayMs, error: error.message }),
          })
        } catch (e) {
          // a component whose start fails is not stopped: release the connection and the store here
          await source.close().catch(() => {})
          await store.close().catch(() => {})
          throw e
        }
        // where it resumes is the store's head, whatever the consumer acknowledged (a new --replica name on an old store)
        c.log?.info('Replica following', { stream: source.stream, consumer: c.consumer, store: c.store.name, dir: c.store.dir, head: head ? String(head.number) : 'empty', acknowledged, resumeAfter: feed.resumed.after, from: feed.resumed.reason })
        feed.done.catch((e) => {
          failure = e instanceof Error ? e : new Error(String(e))
          c.log?.error('Replica stopped following the stream', { error: failure.message, details: (e as { details?: string }).details ?? '' })
        })
      },
      async stop() {
        await feed?.stop()
        await source.close()
        await store.close()
      },
    }
  },
})

/** No chain behind a replica: RPC reads go through `HeadState`, anything that asks the chain is refused. */
function noChain(chainId: bigint): ChainReader {
  const refuse = (): never => {
    throw new ServerError('a statesync replica keeps no blocks: it serves account and storage reads at its head')
  }
  return {
    get spec(): never {
      return refuse()
    },
    head: refuse, headerByNumber: refuse, headerByHash: refuse, blockByHash: refuse, canonicalHash: refuse, safe: refuse, finalized: refuse,
    receipts: refuse, senders: refuse, transactionLocation: refuse, stateAt: refuse, onHead: () => () => void chainId,
  }
}

/** The rpc component of a replica: the same server and flags, the head-state method table. */
export const replicaRpcComponent = defineComponent({
  name: 'replica-rpc',
  provides: 'rpc',
  requires: ['replica'],
  description: 'JSON-RPC over HTTP and WebSocket answering eth_getBalance/getStorageAt/getCode/getTransactionCount at the replica\'s head',
  options: rpcOptions,
  configure: configureRpc,
  create({ replica }, c) {
    const server: RpcServer = startRpcServer({ chain: noChain(replica.chainId) }, { ...serverOptions(c), methods: headStateMethods(replica.state, replica.chainId) })
    c.log?.info('HTTP server started', { endpoint: server.httpUrl, ws: server.wsUrl ?? 'off' })
    return { service: server, stop: () => server.stop() }
  },
})
