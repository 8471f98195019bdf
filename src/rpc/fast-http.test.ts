import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { parseHead, startFastHttp } from './fast-http.ts'
import { startRpcServer, type RpcServer } from './server.ts'
import { testNode } from './testing/harness.ts'

const MAX = 1024

describe('fast path: request heads', () => {
  const head = (...lines: string[]) => parseHead(lines.join('\r\n'), MAX)
  test('a plain JSON POST is taken, with its length and keep-alive', () => {
    expect(head('POST / HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Content-Length: 12')).toEqual({ bodyLength: 12, close: false })
    expect(head('POST /rpc HTTP/1.1', 'content-type: Application/JSON; charset=utf-8', 'content-length:0', 'Connection: close')).toEqual({ bodyLength: 0, close: true })
    expect(head('POST / HTTP/1.0', 'Content-Type: application/json', 'Content-Length: 2')).toEqual({ bodyLength: 2, close: true })
  })
  test('everything else goes to the full server', () => {
    const ok = ['Content-Type: application/json', 'Content-Length: 2']
    expect(head('GET / HTTP/1.1', ...ok)).toBeUndefined()
    expect(head('POST / HTTP/2', ...ok)).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: text/plain', 'Content-Length: 2')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: application/json')).toBeUndefined()
    expect(head('POST / HTTP/1.1', ...ok, 'Transfer-Encoding: chunked')).toBeUndefined()
    expect(head('POST / HTTP/1.1', ...ok, 'Expect: 100-continue')).toBeUndefined()
    expect(head('POST / HTTP/1.1', ...ok, 'Upgrade: websocket')).toBeUndefined()
    expect(head('POST / HTTP/1.1', ...ok, 'Content-Length: 2')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: application/json', 'Content-Length: -1')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: application/json', `Content-Length: ${MAX + 1}`)).toBeUndefined()
    expect(head('POST / HTTP/1.1', ...ok, ' folded')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: application/json', 'Content-Length : 2')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 2', 'Connection: keep-alive, Upgrade')).toBeUndefined()
    expect(head('POST / HTTP/1.1', 'X-Note: a:b', ...ok)).toEqual({ bodyLength: 2, close: false })
  })
  test('the Origin is read for the CORS headers', () => {
    expect(head('POST / HTTP/1.1', 'Origin: http://localhost:3000', 'Content-Type: application/json', 'Content-Length: 2')).toEqual({ bodyLength: 2, close: false, origin: 'http://localhost:3000' })
  })
})

describe('fast path: on the wire', () => {
  let server: RpcServer
  let port: number
  beforeAll(() => {
    const n = testNode()
    server = startRpcServer({ chain: n.chain, pool: n.pool, dev: n.dev, signer: n.signer }, { httpPort: 0, ws: true, limits: { maxBodyBytes: 4096 } })
    port = Number(new URL(server.httpUrl).port)
  })
  afterAll(() => server.stop())

  /** Writes `chunks` (with a pause between them) on one connection; resolves with all bytes read until `done` says so or the server closes. */
  async function exchange(chunks: (string | Uint8Array)[], done: (text: string) => boolean): Promise<string> {
    let text = ''
    let finish!: () => void
    const ended = new Promise<void>((r) => (finish = r))
    const sock = await Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        data(_s, d) {
          text += d.toString('latin1')
          if (done(text)) finish()
        },
        close: () => finish(),
        error: () => finish(),
      },
    })
    for (const c of chunks) {
      sock.write(c)
      await Bun.sleep(5)
    }
    await Promise.race([ended, Bun.sleep(3000)])
    sock.end()
    return text
  }
  const rpc = (method: string, id = 1, extra = '') => {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: [] })
    return `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`
  }
  const count = (s: string, sub: string) => s.split(sub).length - 1

  test('pipelined requests in one write are answered in order', async () => {
    const out = await exchange([rpc('eth_chainId', 1) + rpc('eth_blockNumber', 2) + rpc('net_version', 3)], (t) => count(t, '"jsonrpc"') === 3)
    expect(count(out, 'HTTP/1.1 200 OK')).toBe(3)
    const ids = [...out.matchAll(/"id":(\d)/g)].map((m) => m[1])
    expect(ids).toEqual(['1', '2', '3'])
  })

  test('a request split into single bytes is reassembled', async () => {
    const req = rpc('eth_chainId', 7)
    const out = await exchange([...req].map((c) => c), (t) => t.includes('"id":7'))
    expect(out).toStartWith('HTTP/1.1 200 OK')
    expect(out).toContain('"result":"0x7a69"')
  })

  test('Connection: close and HTTP/1.0 close after the answer', async () => {
    const out = await exchange([rpc('eth_chainId', 1, 'Connection: close\r\n')], () => false)
    expect(out).toContain('Connection: close')
    expect(out).toContain('"result":"0x7a69"')
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] })
    const out10 = await exchange([`POST / HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`], () => false)
    expect(out10).toContain('"result":"0x7a69"')
  })

  test('a notification gets an empty 200', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'eth_chainId', params: [] })
    const out = await exchange([`POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`], () => false)
    expect(out).toStartWith('HTTP/1.1 200 OK')
    expect(out).toContain('Content-Length: 0')
  })

  test('chunked bodies, wrong content types, oversize bodies and GET reach the full server', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'eth_chainId', params: [] })
    const chunked = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
    expect(await exchange([chunked], (t) => t.includes('"id":5'))).toContain('"result":"0x7a69"')
    const wrongType = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
    expect(await exchange([wrongType], () => false)).toStartWith('HTTP/1.1 415')
    const big = 'x'.repeat(5000)
    const oversize = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n${big}`
    expect(await exchange([oversize], () => false)).toStartWith('HTTP/1.1 413')
    expect(await exchange(['GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'], () => false)).toStartWith('HTTP/1.1 200')
  })

  test('fast requests, then a spliced one, on one connection keep their order', async () => {
    const get = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
    const out = await exchange([rpc('eth_chainId', 1) + get + rpc('eth_chainId', 2)], (t) => t.includes('"id":2'))
    expect(count(out, 'HTTP/1.1 200')).toBe(3)
    expect(out.indexOf('"id":1')).toBeLessThan(out.indexOf('"id":2'))
  })

  test('WebSocket on the same port goes through, and fetch clients work as before', async () => {
    const ws = new WebSocket(server.wsUrl!)
    await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)))
    const reply = new Promise<string>((r) => (ws.onmessage = (e) => r(String(e.data))))
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_chainId', params: [] }))
    expect(JSON.parse(await reply)).toEqual({ jsonrpc: '2.0', id: 9, result: '0x7a69' })
    ws.close()
    const r = await fetch(server.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) })
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(await r.json()).toEqual({ jsonrpc: '2.0', id: 1, result: '0x7a69' })
  })

  test('a taken port is one clear error', () => {
    const n = testNode()
    const backend = { chain: n.chain, pool: n.pool, dev: n.dev, signer: n.signer }
    expect(() => startRpcServer(backend, { httpPort: port, ws: true })).toThrow(`cannot listen for HTTP on 127.0.0.1:${port}: the port is in use`)
    expect(() => startRpcServer(backend, { httpPort: port, ws: true, fastPath: false })).toThrow('choose another with --http.port')
  })

  test('a head without an end beyond 16 KiB is not buffered for ever', async () => {
    const out = await exchange(['POST / HTTP/1.1\r\nX-Filler: ' + 'a'.repeat(20_000)], () => false)
    expect(out).toMatch(/^HTTP\/1.1 (400|431)/)
  })
})

describe('fast path: the full server out of reach', () => {
  test('a spliced request gets 503 with Retry-After after the connect retries, not a silent close', async () => {
    const fast = startFastHttp({ hostname: '127.0.0.1', port: 0, upstream: '\0mosaic-no-such-socket', maxBodyBytes: 1024, maxQueuedBytes: 1 << 20, idleSeconds: 10, handle: () => undefined })
    try {
      const r = await fetch(`http://127.0.0.1:${fast.port}/`)
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBe('1')
      expect(await r.text()).toBe('server is busy')
    } finally {
      fast.stop()
    }
  })
})
