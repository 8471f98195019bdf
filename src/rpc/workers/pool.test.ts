import { afterAll, describe, expect, test } from 'bun:test'
import { bytesToHex } from '../../primitives/index.ts'
import { headerHash } from '../../types/index.ts'
import type { RpcContext } from '../context.ts'
import { RpcError } from '../errors.ts'
import { RawJson } from '../raw-json.ts'
import { C, testNode } from '../testing/harness.ts'
import { createChainHost } from './chain-host.ts'
import { OFFLOADED } from './methods.ts'
import { createWorkerPool } from './pool.ts'

const word = (n: number) => '0x' + n.toString(16).padStart(64, '0')

describe('chain host', () => {
  test('a generation lasts until the head moves or the state version changes; reads of an older one are stale', () => {
    const n = testNode()
    let version = 0
    const host = createChainHost({ ...n.ctx, stateVersion: () => version })
    const g = host.generation()
    expect(host.generation()).toBe(g)
    const head = bytesToHex(headerHash(n.chain.head()))
    expect(host.answer({ job: 1, op: 'stateRoot', args: [headerHash(n.chain.head())] }, g)).toEqual({ value: n.chain.head().stateRoot })
    version++
    expect(host.generation()).toBe(g + 1)
    expect(host.answer({ job: 1, op: 'head', args: [] }, g)).toEqual({ stale: true })
    expect(host.answer({ job: 1, op: 'account', args: [C.storeLog, C.storeLog] }, g + 1)).toEqual({ value: undefined })
    expect(bytesToHex(headerHash((host.answer({ job: 2, op: 'head', args: [] }, g + 1) as { value: never }).value))).toBe(head)
  })

  test('a read that throws is answered with the error the dispatcher would send', () => {
    const n = testNode()
    const chain = Object.assign(Object.create(n.chain) as typeof n.chain, { headerByNumber: () => { throw new Error('disk on fire') } })
    const host = createChainHost({ ...n.ctx, chain })
    expect(host.answer({ job: 1, op: 'headerByNumber', args: [1n] }, host.generation())).toEqual({ error: { code: -32603, message: 'internal error: disk on fire' } })
  })
})

describe('worker pool', () => {
  const n = testNode()
  const pool = createWorkerPool(n.ctx, { size: 2, limits: n.ctx.limits, clientVersion: n.ctx.clientVersion })
  afterAll(() => pool.stop())
  const inThread = (method: string, params: unknown[], ctx: RpcContext = n.ctx): unknown => {
    try {
      const r = OFFLOADED[method]!(ctx, params)
      return r instanceof RawJson ? JSON.parse(r.text) : JSON.parse(JSON.stringify(r))
    } catch (e) {
      return (e as RpcError).toJSON()
    }
  }
  const onWorker = async (method: string, params: unknown[], ctx: RpcContext = n.ctx): Promise<unknown> => {
    try {
      return JSON.parse((await pool.run(method, params, ctx)).text)
    } catch (e) {
      expect(e).toBeInstanceOf(RpcError)
      return (e as RpcError).toJSON()
    }
  }

  test('results and errors equal the in-thread ones, calls in parallel', async () => {
    const cases: [string, unknown[]][] = [
      ['eth_call', [{ to: bytesToHex(C.storeLog), data: word(9) }, 'latest']],
      ['eth_call', [{ to: bytesToHex(C.reverter) }]],
      ['eth_call', [{ to: bytesToHex(C.loop), gas: '0x10000' }]],
      ['eth_call', [{ to: bytesToHex(C.storeLog), gas: 'x' }]],
      ['eth_call', [{ to: bytesToHex(C.storeLog) }, '0x5']],
      ['eth_estimateGas', [{ to: bytesToHex(C.needs50k) }]],
      ['eth_createAccessList', [{ to: bytesToHex(C.forwarder), data: word(3) }]],
      ['debug_traceCall', [{ to: bytesToHex(C.forwarder), data: word(3) }, 'latest', { tracer: 'callTracer' }]],
    ]
    const got = await Promise.all(cases.map(([m, p]) => onWorker(m, p)))
    expect(got).toEqual(cases.map(([m, p]) => inThread(m, p)))
    expect(got[0]).toBe(word(9))
  })

  test('a light eth_call runs on the event loop once one like it proved light; others stay on workers', async () => {
    const light = [{ to: bytesToHex(C.storeLog), data: word(5) }, 'latest']
    const h = pool.handler('eth_call')
    expect(h(n.ctx, light)).toBeInstanceOf(Promise) // unknown: a worker, which measures it
    // once the worker's code is warm, a run under 1 ms moves the kind to the event loop
    let r: unknown = h(n.ctx, light)
    for (let i = 0; i < 200 && r instanceof Promise; i++) r = (await r, h(n.ctx, light))
    expect(r).toBe(word(5)) // in-thread, synchronous
    const heavy = [{ to: bytesToHex(C.loop), gas: '0x2000000' }, 'latest']
    await (h(n.ctx, heavy) as Promise<unknown>).catch(() => {})
    const again = h(n.ctx, heavy)
    expect(again).toBeInstanceOf(Promise)
    // awaited: its out-of-gas answer would otherwise land, unhandled, in the next test
    await (again as Promise<unknown>).catch(() => {})
    expect(pool.handler('eth_estimateGas')(n.ctx, [{ to: bytesToHex(C.storeLog) }])).toBeInstanceOf(Promise)
  })

  test('a batch budget: gas used comes back to the batch, a call past the batch end answers execution timeout', async () => {
    const batch = { end: performance.now() + 10_000, gasUsed: 0n }
    await onWorker('eth_call', [{ to: bytesToHex(C.storeLog), data: word(9) }], { ...n.ctx, batch })
    expect(batch.gasUsed).toBeGreaterThan(21_000n)
    const late = { ...n.ctx, batch: { end: performance.now() - 1, gasUsed: 0n } }
    expect(await onWorker('eth_call', [{ to: bytesToHex(C.loop) }], late)).toEqual({ code: -32000, message: 'execution timeout' })
  })
})
