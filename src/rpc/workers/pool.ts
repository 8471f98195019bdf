/**
 * The pool of EVM workers (issue 19): eth_call & co. and traces run on worker threads, so the
 * event loop only parses, dispatches and writes while a 50M-gas call runs. Workers start on the
 * first such call and are unref'd (they never keep the process alive). A job goes to an idle
 * worker, or waits in order; its reads are answered from this thread (./chain-host.ts), and a
 * job whose chain moved while it ran starts over (at most `MAX_RESTARTS` times, then it runs on
 * this thread, where nothing can move under it). A worker that fails fails its job with -32603
 * and is replaced at the next job. eth_calls that proved light run on the event loop
 * (./placement.ts): for them the trip costs more than the call.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, Worker } from 'node:worker_threads'
import { workerUrl } from '../../primitives/index.ts'
import type { Handler, Methods, RpcBackend, RpcContext } from '../context.ts'
import { InternalError, RpcError } from '../errors.ts'
import type { RpcLimits } from '../limits.ts'
import { RawJson } from '../raw-json.ts'
import { systemCallPrelude } from '../replay.ts'
import { answerBlocking } from './blocking-port.ts'
import { createChainHost } from './chain-host.ts'
import { createPlacement } from './placement.ts'
import { OFFLOADED, OWN_STATE, readsPool, REPLAYING } from './methods.ts'
import type { Job, JobOutcome, ReadRequest, WorkerInit } from './protocol.ts'

const MAX_RESTARTS = 3
/** A call that ran under this stays on the event loop next time (./placement.ts). */
const LIGHT_MS = 1

/** `--rpc.workers`' default: one per core. */
export const defaultWorkerCount = (): number => availableParallelism()

export interface WorkerPoolOptions {
  size: number
  limits: RpcLimits
  clientVersion: string
}

export interface WorkerPool {
  /** Runs `method` on a worker; the result as its JSON text, or the call's RpcError. */
  run(method: string, params: unknown, ctx: RpcContext): Promise<RawJson>
  /** The handler of `method`: on a worker, or in-thread for a light eth_call. */
  handler(method: string): Handler
  /** Whether `method` runs on the workers for this backend. */
  runs(method: string): boolean
  stop(): Promise<void>
}

interface Waiting {
  job: Job
  /** The call's kind for ./placement.ts. */
  kind?: string
  ctx: RpcContext
  restarts: number
  resolve(r: RawJson): void
  reject(e: unknown): void
}

interface Slot {
  worker: Worker
  busy?: Waiting
}

export function createWorkerPool(backend: RpcBackend, opts: WorkerPoolOptions): WorkerPool {
  // the chain is first asked when a worker starts (see initOf)
  let chainHost: ReturnType<typeof createChainHost> | undefined
  const host = () => (chainHost ??= createChainHost(backend))
  // traces replay mined blocks with the node's ReplayDeps: a worker knows src/executor's only
  const systemCallsOnly = backend.replay === undefined || (backend.replay.prelude === systemCallPrelude && backend.replay.execute === undefined)
  // made at the first worker's start: a server without EVM methods (a statesync replica's) has a
  // chain that refuses every read, its spec included
  const initOf = (): Omit<WorkerInit, 'reads' | 'signal'> => ({
    spec: { ...backend.chain.spec, alloc: undefined },
    limits: opts.limits,
    clientVersion: opts.clientVersion,
    dev: backend.dev !== undefined,
    pending: backend.pending !== undefined,
    systemCalls: backend.replay !== undefined,
  })
  let init: Omit<WorkerInit, 'reads' | 'signal'> | undefined
  // a txpool node simulates on its state node's head, or refuses: not a worker's bridged chain
  const ownState = backend.stateHead === undefined && backend.noState === undefined
  const placement = createPlacement(LIGHT_MS)
  let slots: Slot[] | undefined
  const queue: Waiting[] = []
  let nextId = 0
  let stopped = false

  const inThread = (w: Waiting) => {
    try {
      const r = OFFLOADED[w.job.method]!(w.ctx, w.job.params)
      w.resolve(r instanceof RawJson ? r : new RawJson(JSON.stringify(r === undefined ? null : r)))
    } catch (err) {
      w.reject(err)
    }
  }

  function spawn(): Slot {
    const worker = new Worker(workerUrl(import.meta.url, './worker.ts', './rpc/workers/worker.ts'))
    worker.unref()
    const { port1, port2 } = new MessageChannel()
    const signal = new SharedArrayBuffer(4)
    const slot: Slot = { worker }
    answerBlocking(port1, signal, (req) => host().answer(req as ReadRequest, slot.busy?.job.gen ?? -1))
    port1.unref()
    worker.on('message', (m: JobOutcome | { ready: true }) => {
      if ('ready' in m) return
      const w = slot.busy
      slot.busy = undefined
      if (w && w.job.id === m.id) finish(w, m)
      pump()
    })
    const fail = (why: string) => {
      const w = slot.busy
      slot.busy = undefined
      slots = slots?.map((s) => (s === slot ? spawnLater() : s))
      port1.close()
      w?.reject(new InternalError(`internal error: the EVM worker ${why}`))
      pump()
    }
    worker.on('error', (e: Error) => fail(`failed: ${e.message}`))
    worker.on('exit', (code) => {
      if (!stopped) fail(`exited (${code})`)
    })
    worker.postMessage({ init: { ...(init ??= initOf()), reads: port2, signal } satisfies WorkerInit }, [port2 as never])
    return slot
  }
  // a replacement starts with its first job, not at once (a worker failing to load would spin)
  const spawnLater = (): Slot => ({ worker: undefined as unknown as Worker })

  function finish(w: Waiting, m: JobOutcome): void {
    if ('stale' in m) {
      if (++w.restarts > MAX_RESTARTS) return inThread(w)
      queue.unshift(w)
      return
    }
    if (w.ctx.batch) w.ctx.batch.gasUsed += m.gasUsed
    if (w.kind !== undefined) placement.record(w.kind, m.ms)
    if (m.ok) w.resolve(new RawJson(m.json))
    else w.reject(new RpcError(m.error.message, { code: m.error.code, data: m.error.data }))
  }

  function pump(): void {
    while (queue.length > 0 && !stopped) {
      slots ??= Array.from({ length: opts.size }, spawn)
      const i = slots.findIndex((s) => !s.busy)
      if (i < 0) return
      if (!slots[i]!.worker) slots[i] = spawn()
      const slot = slots[i]!
      const w = queue.shift()!
      w.job.gen = host().generation()
      w.job.chainId = backend.chain.spec.chainId
      w.job.signatures = backend.signatures?.size ? backend.signatures.entries() : undefined
      if (w.ctx.batch) w.job.batchLeftMs = w.ctx.batch.end - performance.now()
      slot.busy = w
      slot.worker.postMessage({ job: w.job })
    }
  }

  const run = (method: string, params: unknown, ctx: RpcContext, kind?: string) =>
    new Promise<RawJson>((resolve, reject) => {
      const w: Waiting = { job: { id: ++nextId, method, params, gen: 0, chainId: backend.chain.spec.chainId }, kind, ctx, restarts: 0, resolve, reject }
      if (stopped) return inThread(w)
      queue.push(w)
      pump()
    })

  return {
    runs: (method) => Object.hasOwn(OFFLOADED, method) && (!REPLAYING.has(method) || systemCallsOnly) && (!OWN_STATE.has(method) || ownState),
    run,
    handler(method) {
      const local = OFFLOADED[method]!
      return (ctx, params) => {
        if (readsPool(method, params)) return local(ctx, params)
        const kind = placement.kind(method, params)
        if (kind === undefined || !placement.light(kind)) return run(method, params, ctx, kind)
        const started = performance.now()
        try {
          return local(ctx, params)
        } finally {
          placement.record(kind, performance.now() - started)
        }
      }
    },
    async stop() {
      stopped = true
      for (const w of queue.splice(0)) w.reject(new InternalError('internal error: the server is stopping'))
      await Promise.all((slots ?? []).filter((s) => s.worker).map((s) => s.worker.terminate()))
    },
  }
}

/** `methods` with the ones the pool runs sent to it. */
export function withWorkers(methods: Methods, pool: WorkerPool): Methods {
  const out: Methods = { ...methods }
  for (const name of Object.keys(methods)) {
    // a method replaced by a plugin, or wrapped, is not the one a worker would run
    if (!pool.runs(name) || methods[name] !== OFFLOADED[name]) continue
    out[name] = pool.handler(name)
  }
  return out
}
