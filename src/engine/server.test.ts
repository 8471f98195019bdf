import { afterAll, describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import * as net from 'node:net'
import { DEFAULT_LIMITS, type RpcContext } from '../rpc/index.ts'
import { createEngineApp, ENGINE_ETH_METHODS, hostAllowed } from './app.ts'
import { createEngineClient, EngineCallError } from './client.ts'
import { signJwt } from './jwt.ts'
import { getClientVersionV1, withCapabilities } from './methods/index.ts'
import { startEngineServer, type EngineServer } from './server.ts'
import type { EngineMethods } from './types.ts'

const secret = new Uint8Array(32).fill(0x5a)
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const good = () => bearer(signJwt(secret))

let slowDone = 0
const methods: EngineMethods = withCapabilities({
  engine_getClientVersionV1: getClientVersionV1({ version: '0.1.0', commit: '0x01020304' }),
  // ordered: a slow newPayload holds back the forkchoiceUpdated sent after it
  engine_newPayloadV4: async () => {
    await Bun.sleep(50)
    return ++slowDone
  },
  engine_forkchoiceUpdatedV3: () => slowDone,
})
// The public RPC's table: only the spec's eth_ subset may show through.
const eth = {
  methods: { eth_chainId: () => '0x1', eth_getBalance: () => '0x0', eth_blockNumber: (ctx: RpcContext) => `0x${ctx.limits.maxBatch.toString(16)}` },
  context: { limits: DEFAULT_LIMITS } as unknown as RpcContext,
}
const server: EngineServer = startEngineServer({ secret, port: 0, methods, eth, limits: { maxBatch: 3 } })
afterAll(() => server.stop())

async function post(body: string, headers: Record<string, string> = good()) {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  return { status: res.status, text: await res.text() }
}
const call = async (method: string, params: unknown[] = [], headers?: Record<string, string>) =>
  post(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers)
const json = async (method: string, params: unknown[] = []) => JSON.parse((await call(method, params)).text)

describe('Engine API server over HTTP', () => {
  test('a good token reaches engine_exchangeCapabilities and engine_getClientVersionV1', async () => {
    const caps = await json('engine_exchangeCapabilities', [['engine_newPayloadV4']])
    expect(caps.result.sort()).toEqual(['engine_forkchoiceUpdatedV3', 'engine_getClientVersionV1', 'engine_newPayloadV4'])
    const v = await json('engine_getClientVersionV1', [{ code: 'LH', name: 'Lighthouse', version: 'v5.0.0', commit: '0x00000000' }])
    expect(v.result).toEqual([{ code: 'MS', name: 'Mosaic', version: '0.1.0', commit: '0x01020304' }])
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  test('each JWT refusal is a 401 with a reason: none, stale iat, alg none, wrong secret', async () => {
    const now = Math.floor(Date.now() / 1000)
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iat: now })}.`
    const hs512 = (() => {
      const input = `${b64({ alg: 'HS512' })}.${b64({ iat: now })}`
      return `${input}.${createHmac('sha512', secret).update(input).digest('base64url')}`
    })()
    const cases: [Record<string, string>, string][] = [
      [{}, 'missing token'],
      [bearer(signJwt(secret, {}, now - 120)), 'stale'],
      [bearer(signJwt(secret, {}, now + 120)), 'future'],
      [bearer(algNone), '"none"'],
      [bearer(hs512), 'only HS256'],
      [bearer(signJwt(new Uint8Array(32).fill(1))), 'invalid signature'],
      [{ authorization: signJwt(secret) }, 'Bearer'],
    ]
    for (const [headers, reason] of cases) {
      const r = await call('engine_exchangeCapabilities', [[]], headers)
      expect(r.status).toBe(401)
      expect(r.text).toContain(reason)
    }
    // refused before the body is looked at: even garbage gets the 401
    expect((await post('{{{', {})).status).toBe(401)
    expect((await fetch(server.url)).status).toBe(401)
    expect((await fetch(server.url, { headers: good() })).status).toBe(200)
  })

  test('JSON-RPC envelope: malformed body -32700, bad request -32600, unknown method -32601, batches', async () => {
    expect(JSON.parse((await post('{"jsonrpc":"2.0",')).text).error.code).toBe(-32700)
    expect(JSON.parse((await post('{"id":1,"method":"engine_exchangeCapabilities"}')).text).error.code).toBe(-32600)
    expect((await json('engine_newPayloadV9')).error.code).toBe(-32601)
    expect((await json('engine_exchangeCapabilities', [7])).error.code).toBe(-32602)
    const batch = JSON.parse((await post(JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'engine_exchangeCapabilities', params: [[]] },
      { jsonrpc: '2.0', id: 2, method: 'nope_nope' },
    ]))).text)
    expect(batch.map((r: any) => r.id)).toEqual([1, 2])
    expect(batch[1].error.code).toBe(-32601)
    const many = Array.from({ length: 4 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' }))
    expect(JSON.parse((await post(JSON.stringify(many))).text)[0].error.code).toBe(-32600)
    expect((await post('{}', { ...good(), 'content-type': 'text/plain' })).status).toBe(415)
  })

  test('the spec\'s eth_ subset is served from the public table, nothing else of it', async () => {
    expect(ENGINE_ETH_METHODS).toContain('eth_chainId')
    expect((await json('eth_chainId')).result).toBe('0x1')
    expect((await json('eth_getBalance')).error.code).toBe(-32601)
    // eth_ handlers get the context with the engine port's limits
    expect((await json('eth_blockNumber')).result).toBe('0x3')
  })

  test('newPayload and forkchoiceUpdated run in arrival order', async () => {
    const before = slowDone
    const [np, fcu] = await Promise.all([json('engine_newPayloadV4'), (async () => (await Bun.sleep(5), json('engine_forkchoiceUpdatedV3')))()])
    expect(np.result).toBe(before + 1)
    expect(fcu.result).toBe(before + 1)
  })

  test('Host header: localhost and IP literals pass, other names are 403', async () => {
    const raw = (host: string) =>
      new Promise<string>((ok, fail) => {
        const sock = net.connect(server.port, '127.0.0.1', () => {
          const body = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}'
          sock.write(`POST / HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${good().authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
        })
        let buf = ''
        sock.on('data', (d) => (buf += d.toString()))
        sock.on('end', () => ok(buf.split('\r\n')[0]!))
        sock.on('error', fail)
      })
    expect(await raw('localhost:8551')).toContain('200')
    expect(await raw('127.0.0.1')).toContain('200')
    expect(await raw('[::1]:8551')).toContain('200')
    expect(await raw('evil.example:8551')).toContain('403')
  })

  test('the vhosts rule (geth\'s): no Host or an IP passes, names must be listed, * allows any', () => {
    expect(hostAllowed(null, ['localhost'])).toBe(true)
    expect(hostAllowed('LocalHost:8551', ['localhost'])).toBe(true)
    expect(hostAllowed('10.0.0.7:8551', ['localhost'])).toBe(true)
    expect(hostAllowed('[fe80::1]', ['localhost'])).toBe(true)
    expect(hostAllowed('node.internal:8551', ['localhost'])).toBe(false)
    expect(hostAllowed('node.internal:8551', ['localhost', 'node.internal'])).toBe(true)
    expect(hostAllowed('anything', ['*'])).toBe(true)
  })

  test('a 100 MiB body is refused quickly, unread: declared and chunked', async () => {
    const hundred = 100 * 1024 * 1024
    const t0 = performance.now()
    const declared = await new Promise<string>((ok) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write(`POST / HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${good().authorization}\r\nContent-Type: application/json\r\nContent-Length: ${hundred}\r\n\r\n`)
        sock.write('['.repeat(64 * 1024))
      })
      let buf = ''
      sock.on('data', (d) => {
        buf += d.toString()
        if (buf.includes('\r\n')) ok(buf.split('\r\n')[0]!), sock.destroy()
      })
      sock.on('error', () => ok(buf))
    })
    expect(declared).toContain('413')

    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled++ >= 100) return c.close()
        c.enqueue(new Uint8Array(1024 * 1024).fill(0x20))
      },
    })
    const res = await fetch(server.url, { method: 'POST', headers: { ...good(), 'content-type': 'application/json' }, body })
    expect(res.status).toBe(413)
    expect(pulled).toBeLessThan(100)
    expect(performance.now() - t0).toBeLessThan(5_000)
  })

  test('the app alone (no Bun limit in front) stops reading a chunked body at its limit', async () => {
    const app = createEngineApp({ secret, methods, limits: { maxBodyBytes: 1024 } })
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulled++ >= 1000) return c.close()
        c.enqueue(new Uint8Array(100).fill(0x20))
      },
    })
    const req = new Request('http://localhost/', { method: 'POST', headers: { ...good(), 'content-type': 'application/json' }, body: stream })
    const res = await app(req)
    expect(res.status).toBe(413)
    expect(pulled).toBeLessThan(20)
    const declared = new Request('http://localhost/', { method: 'POST', headers: { ...good(), 'content-type': 'application/json', 'content-length': '4096' }, body: ' '.repeat(4096) })
    expect((await app(declared)).status).toBe(413)
    const fits = new Request('http://localhost/', { method: 'POST', headers: { ...good(), 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine_exchangeCapabilities', params: [[]] }) })
    expect(((await (await app(fits)).json()) as any).result).toContain('engine_newPayloadV4')
  })

  test('the client signs a fresh token per call and surfaces error codes', async () => {
    const client = createEngineClient({ url: server.url, secret })
    expect(await client.call<string[]>('engine_exchangeCapabilities', [[]])).toContain('engine_newPayloadV4')
    const err = (await client.call('engine_exchangeCapabilities', [1]).catch((e) => e)) as EngineCallError
    expect(err).toBeInstanceOf(EngineCallError)
    expect(err.rpcCode).toBe(-32602)
    const wrong = (await createEngineClient({ url: server.url, secret: new Uint8Array(32) }).call('engine_exchangeCapabilities', [[]]).catch((e) => e)) as EngineCallError
    expect([wrong.rpcCode, wrong.message]).toEqual([0, expect.stringContaining('HTTP 401: invalid signature')])
  })

  test('a taken port is one clear error naming the flag', () => {
    expect(() => startEngineServer({ secret, port: server.port, methods })).toThrow('--authrpc.port')
  })
})
