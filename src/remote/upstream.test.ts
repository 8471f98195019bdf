import { afterAll, describe, expect, test } from 'bun:test'
import { RemoteError } from './errors.ts'
import { UpstreamClient } from './upstream.ts'

/** An upstream in this process (the asynchronous client does not block it): answers by script. */
let script: (calls: { id: number; method: string }[], n: number) => Response = () => new Response('')
let requests = 0
const server = Bun.serve({
  port: 0,
  async fetch(req) {
    const body = await req.json()
    return script(body as { id: number; method: string }[], ++requests)
  },
})
afterAll(() => server.stop(true))
const url = `http://127.0.0.1:${server.port}`
const ok = (calls: { id: number }[]) => Response.json(calls.map((c) => ({ jsonrpc: '2.0', id: c.id, result: `0x${c.id.toString(16)}` })))

describe('UpstreamClient', () => {
  test('HTTP 429 and -32005 are retried until answered', async () => {
    requests = 0
    let limitedCalls = 0
    script = (calls, n) => {
      if (n === 1) return new Response('', { status: 429 })
      if (n === 2) return Response.json(calls.map((c, i) => (i === 0 ? (limitedCalls++, { jsonrpc: '2.0', id: c.id, error: { code: -32005, message: 'limit' } }) : { jsonrpc: '2.0', id: c.id, result: '0x1' })))
      return ok(calls)
    }
    const c = new UpstreamClient({ url, backoffMs: 1, computeUnitsPerSecond: 1e6 })
    const out = await c.batch([{ method: 'eth_chainId', params: [] }, { method: 'eth_chainId', params: [] }], 'two calls')
    expect(out.every((o) => 'result' in o)).toBe(true)
    expect(requests).toBe(3)
    expect(limitedCalls).toBe(1)
  })

  test('garbage, then nothing: an unreachable error naming the upstream and the key', async () => {
    script = () => new Response('<html>bad gateway</html>', { status: 200 })
    const c = new UpstreamClient({ url, backoffMs: 1, retries: 2 })
    const err = await c.batch([{ method: 'eth_getBalance', params: [] }], 'account 0xaa').catch((e) => e)
    expect(err).toBeInstanceOf(RemoteError)
    expect(err.message).toContain(`upstream ${url} did not answer account 0xaa after 3 attempts: HTTP 200, not JSON`)
  })

  test('a stalled upstream times out instead of hanging', async () => {
    script = () => new Response(new ReadableStream({ start() {} }))
    const c = new UpstreamClient({ url, backoffMs: 1, retries: 1, timeoutMs: 100 })
    const t = performance.now()
    const err = await c.call('eth_chainId', [], 'eth_chainId').catch((e) => e)
    expect(err).toBeInstanceOf(RemoteError)
    expect(performance.now() - t).toBeLessThan(5_000)
  })

  test('a JSON-RPC error is passed on, not retried', async () => {
    requests = 0
    script = (calls) => Response.json(calls.map((c) => ({ jsonrpc: '2.0', id: c.id, error: { code: -32000, message: 'header not found' } })))
    const c = new UpstreamClient({ url, backoffMs: 1 })
    expect(await c.batch([{ method: 'eth_getBalance', params: [] }], 'x')).toEqual([{ error: { code: -32000, message: 'header not found', data: undefined } }])
    expect(requests).toBe(1)
  })

  test('large batches are split and sent several at a time, within the limit', async () => {
    let inFlight = 0
    let most = 0
    let sizes: number[] = []
    script = (calls) => {
      sizes.push(calls.length)
      most = Math.max(most, ++inFlight)
      return new Response(
        new ReadableStream({
          async start(ctl) {
            await Bun.sleep(20)
            inFlight--
            ctl.enqueue(new TextEncoder().encode(JSON.stringify(calls.map((c) => ({ jsonrpc: '2.0', id: c.id, result: '0x0' })))))
            ctl.close()
          },
        }),
      )
    }
    const c = new UpstreamClient({ url, maxBatch: 10, maxInFlight: 3 })
    const out = await c.batch(Array.from({ length: 95 }, () => ({ method: 'eth_chainId', params: [] })), 'many')
    expect(out.length).toBe(95)
    expect(sizes.sort((a, b) => b - a)[0]).toBe(10)
    expect(sizes.length).toBe(10)
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(3)
    sizes = []
  })
})
