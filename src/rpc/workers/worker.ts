/**
 * An EVM worker of the RPC server (./pool.ts): runs the methods of ./methods.ts on a chain whose
 * reads are the server thread's (./bridged-chain.ts), with the server's limits, and answers each
 * job with the result's JSON text or the error the dispatcher would send, and the EVM gas used
 * (a batch's gas budget).
 */
import { parentPort, type MessagePort } from 'node:worker_threads'
import type { ChainSpec } from '../../chainspec/index.ts'
import { SignatureTable } from '../../evm/index.ts'
import { hexToBytes } from '../../primitives/index.ts'
import type { DevControls } from '../backend.ts'
import type { RpcContext } from '../context.ts'
import { toRpcError } from '../errors.ts'
import { RawJson } from '../raw-json.ts'
import { systemCallPrelude } from '../replay.ts'
import { blockingRequester } from './blocking-port.ts'
import { bridgedChain, StaleChain, type BridgedChain } from './bridged-chain.ts'
import { OFFLOADED } from './methods.ts'
import type { Job, JobOutcome, WorkerInit } from './protocol.ts'

/** Only its presence is read by the offloaded methods (`safe`/`finalized` trail a dev head). */
const DEV_PRESENT = new Proxy({} as DevControls, {
  get: (_t, k) => {
    throw new Error(`dev control ${String(k)} is not available in an EVM worker`)
  },
})

let bridge: BridgedChain
let base: RpcContext
let spec: ChainSpec

function init(m: WorkerInit): void {
  spec = { ...(m.spec as ChainSpec), alloc: () => new Map() }
  bridge = bridgedChain(spec, blockingRequester(m.reads as unknown as MessagePort, m.signal) as (r: unknown) => unknown)
  base = {
    chain: bridge.chain,
    pending: m.pending ? bridge.pending : undefined,
    dev: m.dev ? DEV_PRESENT : undefined,
    replay: m.systemCalls ? { prelude: systemCallPrelude } : undefined,
    limits: m.limits,
    filters: undefined as never,
    clientVersion: m.clientVersion,
  }
}

function run(job: Job): JobOutcome {
  bridge.begin(job.id, job.gen)
  spec.chainId = job.chainId
  const ctx: RpcContext = job.batchLeftMs === undefined ? { ...base } : { ...base, batch: { end: performance.now() + job.batchLeftMs, gasUsed: 0n } }
  // outside a batch the gas is counted too, on a budget of its own
  ctx.batch ??= { end: Infinity, gasUsed: 0n }
  if (job.signatures) ctx.signatures = new SignatureTable(job.signatures.map(([sig, addr]) => [hexToBytes(sig), hexToBytes(addr)]))
  const started = performance.now()
  try {
    const r = OFFLOADED[job.method]!(ctx, job.params)
    const json = r instanceof RawJson ? r.text : JSON.stringify(r === undefined ? null : r)
    return { id: job.id, ok: true, json, gasUsed: ctx.batch.gasUsed, ms: performance.now() - started }
  } catch (err) {
    if (err instanceof StaleChain) return { id: job.id, stale: true }
    return { id: job.id, ok: false, error: toRpcError(err).toJSON(), gasUsed: ctx.batch.gasUsed, ms: performance.now() - started }
  }
}

parentPort!.on('message', (m: { init?: WorkerInit; job?: Job }) => {
  if (m.init) {
    init(m.init)
    parentPort!.postMessage({ ready: true })
  } else if (m.job) parentPort!.postMessage(run(m.job))
})
