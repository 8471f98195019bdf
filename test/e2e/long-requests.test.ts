/**
 * Long requests on a running dev node do not stall other clients: while one client's batch of
 * 50M-gas eth_calls, or an anvil_mine of 12,000 blocks, runs, a second client's eth_blockNumber
 * keeps being answered (between the batch's calls, between mining chunks), and a batch past
 * --rpc.batch-timeout answers its remaining calls with -32000 "execution timeout".
 *
 * With the EVM workers (--rpc.workers, the default) the calls run off the event loop, so the
 * second client's p99 stays under 50 ms during a 100-call batch; on the event loop
 * (--rpc.workers 0) it waits up to one call between the batch's calls.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startChild, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const TARGET = '0x' + '42'.repeat(20)
const LOOP = '0x5b600056' // JUMPDEST PUSH1 0 JUMP: burns all its gas

const nodes: Spawned<'rpc'>[] = []
async function start(extra: string[] = []): Promise<string> {
  const n = await startChild([MOSAIC, '--dev.memory', '--http.port', '0', ...extra], { ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 })
  nodes.push(n)
  return n.match.rpc[1]!
}
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

const heavyCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [{ to: TARGET, gas: '0x2faf080' }, 'latest', { [TARGET]: { code: LOOP } }] })
const post = async (url: string, body: unknown): Promise<any> => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()

/** Polls eth_blockNumber on a connection of its own until `work` settles; each answer's latency in ms. */
async function pollDuring(url: string, work: Promise<unknown>): Promise<{ latencies: number[]; result: unknown }> {
  let done = false
  const finished = work.finally(() => (done = true))
  const latencies: number[] = []
  const poll = (async () => {
    while (!done) {
      const t = performance.now()
      await post(url, { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] })
      if (!done) latencies.push(performance.now() - t)
      await Bun.sleep(5)
    }
  })()
  const result = await finished
  await poll
  return { latencies, result }
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!

describe('long requests', () => {
  let url = ''
  beforeAll(async () => {
    url = await start()
  })

  test('a batch of 20 50M-gas eth_calls: another client is answered between its calls', async () => {
    const started = performance.now()
    const { latencies, result } = await pollDuring(url, post(url, Array.from({ length: 20 }, (_, i) => heavyCall(i))))
    const took = performance.now() - started
    console.log(`batch of 20 took ${took.toFixed(0)} ms; the other client got ${latencies.length} answers meanwhile, max ${Math.max(...latencies).toFixed(0)} ms`)
    expect((result as unknown[]).length).toBe(20)
    expect(took).toBeGreaterThan(1000)
    // before: not one answer until the whole batch was done
    expect(latencies.length).toBeGreaterThan(5)
    expect(Math.max(...latencies)).toBeLessThan(took / 3)
  }, 60_000)

  test('a batch of 100 50M-gas eth_calls on the EVM workers: another client\'s eth_blockNumber p99 under 50 ms; calls past the batch gas budget answer execution timeout', async () => {
    const started = performance.now()
    const { latencies, result } = await pollDuring(url, post(url, Array.from({ length: 100 }, (_, i) => heavyCall(i))))
    const took = performance.now() - started
    const out = result as { id: number; error: { code: number; message: string } }[]
    console.log(`batch of 100 took ${took.toFixed(0)} ms; the other client got ${latencies.length} answers meanwhile, p99 ${p99(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`)
    expect(out.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    // each call uses its 50M gas: the default budget (1G) runs 20 of them
    expect(out.filter((r) => r.error.message === 'out of gas').length).toBe(20)
    expect(out.slice(20).every((r) => r.error.code === -32000 && r.error.message === 'execution timeout')).toBe(true)
    expect(latencies.length).toBeGreaterThan(50)
    expect(p99(latencies)).toBeLessThan(50)
  }, 60_000)

  test('anvil_mine of 12,000 blocks: another client is answered between chunks', async () => {
    const started = performance.now()
    const { latencies } = await pollDuring(url, post(url, { jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0x2ee0'] }))
    const took = performance.now() - started
    console.log(`anvil_mine 12000 took ${took.toFixed(0)} ms; the other client got ${latencies.length} answers meanwhile, max ${Math.max(...latencies).toFixed(0)} ms`)
    expect(latencies.length).toBeGreaterThan(5)
    expect(Math.max(...latencies)).toBeLessThan(took / 3)
    expect((await post(url, { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] })).result).toBe('0x2ee0')
  }, 60_000)

  test('past --rpc.batch-timeout the remaining calls answer -32000 execution timeout', async () => {
    const short = await start(['--rpc.batch-timeout', '300'])
    const out = (await post(short, Array.from({ length: 20 }, (_, i) => heavyCall(i)))) as { id: number; error: { code: number; message: string } }[]
    expect(out.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    const timedOut = out.filter((r) => r.error.message === 'execution timeout')
    expect(timedOut.length).toBeGreaterThan(10)
    expect(timedOut.every((r) => r.error.code === -32000)).toBe(true)
    expect(out[0]!.error.message).toBe('out of gas')
  }, 60_000)
})
