/**
 * Synchronous calls to the upstream. The EVM, the flat state and the chain read state
 * synchronously (src/state, src/storage: reads never wait on the event loop), so a read that
 * must go to the upstream blocks the main thread: the call is posted to a worker that owns the
 * asynchronous client (./upstream.ts: batches, retries, backoff), and the main thread sleeps in
 * Atomics.wait on a shared buffer until the worker writes the answer. A fork's reads are few
 * and each is cached on disk after its first trip, so blocking is cheap next to re-executing on
 * every miss, and every existing caller (eth_call, the dev miner, the pool, tracing) works over
 * remote state unchanged.
 */
import { workerUrl } from '../primitives/index.ts'
import { RemoteError, type RemoteErrorKind } from './errors.ts'
import { BRIDGE_HEADER_BYTES, BridgeState, type BridgeRequest } from './bridge-protocol.ts'
import type { RpcCall, RpcOutcome, UpstreamOptions } from './upstream.ts'
import { UpstreamClient } from './upstream.ts'

/** What the state reader needs: a batch of calls answered before the function returns. */
export interface SyncUpstream {
  readonly url: string
  batchSync(calls: RpcCall[], what: string): RpcOutcome[]
  close(): void
}

const BUFFER_BYTES = 32 * 1024 * 1024
const WORKER_START_MS = 10_000

/** Starts the bridge; resolves once its worker answers (a worker that cannot load is an error here, not a hang later). */
export async function openSyncUpstream(options: UpstreamOptions): Promise<SyncUpstream> {
  const buffer = new SharedArrayBuffer(BRIDGE_HEADER_BYTES + BUFFER_BYTES)
  const control = new Int32Array(buffer, 0, 3)
  let seq = 0
  const worker = new Worker(workerUrl(import.meta.url, './bridge-worker.ts', './remote/bridge-worker.ts').href)
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve()
    worker.onerror = (e) => reject(new RemoteError('unreachable', `the upstream bridge's worker did not start: ${e.message}`))
    setTimeout(() => reject(new RemoteError('unreachable', `the upstream bridge's worker did not start within ${WORKER_START_MS} ms`)), WORKER_START_MS).unref()
  })
  worker.postMessage({ init: { options, buffer } })
  try {
    await ready
  } catch (err) {
    worker.terminate()
    throw err
  }
  worker.unref()
  const deadlineOf = (n: number) => new UpstreamClient(options).worstCaseMs(n) + 5_000
  return {
    url: options.url,
    batchSync(calls, what) {
      const mine = ++seq
      Atomics.store(control, 0, BridgeState.Waiting)
      worker.postMessage({ seq: mine, calls, what } satisfies BridgeRequest)
      const deadline = performance.now() + deadlineOf(calls.length)
      for (;;) {
        const left = deadline - performance.now()
        if (left <= 0 || Atomics.wait(control, 0, BridgeState.Waiting, left) === 'timed-out')
          throw new RemoteError('unreachable', `upstream ${options.url} did not answer ${what} in time`)
        if (control[2] === mine) break
        Atomics.store(control, 0, BridgeState.Waiting) // the late answer of a request that timed out
      }
      const state = Atomics.load(control, 0)
      const payload = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, BRIDGE_HEADER_BYTES, control[1]!).slice()))
      if (state === BridgeState.Failed) throw new RemoteError(payload.kind as RemoteErrorKind, payload.message)
      return payload as RpcOutcome[]
    },
    close: () => worker.terminate(),
  }
}
