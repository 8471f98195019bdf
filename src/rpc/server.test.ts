import { afterEach, describe, expect, test } from 'bun:test'
import * as net from 'node:net'
import { bytesToHex } from '../primitives/index.ts'
import { startRpcServer, type RpcServer, type ServerOptions } from './server.ts'
import { C, testNode } from './testing/harness.ts'

const h = bytesToHex
const servers: RpcServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
})

function serve(n: ReturnType<typeof testNode>, opts: Partial<ServerOptions> = {}) {
  const s = startRpcServer({ chain: n.chain, pool: n.pool, dev: n.dev, signer: n.signer }, { httpPort: 0, ws: true, ...opts })
  servers.push(s)
  return s
}

async function post(url: string, method: string, params: unknown[] = [], headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return { res, body: (await res.json()) as any }
}

/** A WebSocket client collecting messages. */
async function client(url: string) {
  const ws = new WebSocket(url)
  const inbox: any[] = []
  const waiters: (() => void)[] = []
  ws.onmessage = (e) => {
    inbox.push(JSON.parse(String(e.data)))
    waiters.splice(0).forEach((w) => w())
  }
  await new Promise<void>((ok, err) => {
    ws.onopen = () => ok()
    ws.onerror = () => err(new Error('ws error'))
  })
  let id = 0
  const next = async (pred: (m: any) => boolean) => {
    for (;;) {
      const i = inbox.findIndex(pred)
      if (i >= 0) return inbox.splice(i, 1)[0]
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  const call = async (method: string, params: unknown[] = []) => {
    const myId = ++id
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: myId, method, params }))
    const m = await next((x) => x.id === myId)
    if (m.error) throw Object.assign(new Error(m.error.message), m.error)
    return m.result
  }
  const notification = (sub: string) => next((m) => m.method === 'eth_subscription' && m.params.subscription === sub).then((m) => m.params.result)
  return { ws, call, notification, inbox }
}

describe('server: HTTP and WebSocket on Bun.serve', () => {
  test('HTTP and WS on one port; subscriptions to heads, logs, pending transactions', async () => {
    const n = testNode()
    const s = serve(n)
    expect((await post(s.httpUrl, 'eth_chainId')).body.result).toBe('0x7a69')
    const c = await client(s.wsUrl!)
    expect(await c.call('eth_chainId')).toBe('0x7a69')
    const heads = await c.call('eth_subscribe', ['newHeads'])
    const logs = await c.call('eth_subscribe', ['logs', { address: h(C.storeLog) }])
    expect(heads).toMatch(/^0x[0-9a-f]{32}$/)
    const from = h(n.accounts[0]!)
    const hash = await c.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: '0x' + '00'.repeat(31) + '09' }])
    const head = await c.notification(heads)
    expect(head.number).toBe('0x1')
    expect(head).not.toHaveProperty('transactions')
    const log = await c.notification(logs)
    expect(log).toMatchObject({ transactionHash: hash, removed: false, blockNumber: '0x1' })
    expect(await c.call('eth_unsubscribe', [heads])).toBe(true)
    expect(await c.call('eth_unsubscribe', [heads])).toBe(false)
    n.dev.setAutomine(false)
    const pendingFull = await c.call('eth_subscribe', ['newPendingTransactions', true])
    const pendingHash = await c.call('eth_subscribe', ['newPendingTransactions'])
    const h2 = await c.call('eth_sendTransaction', [{ from, to: h(C.storeLog) }])
    expect(await c.notification(pendingHash)).toBe(h2)
    expect((await c.notification(pendingFull)).hash).toBe(h2)
    await expect(c.call('eth_subscribe', ['nope'])).rejects.toMatchObject({ code: -32601, message: 'no "nope" subscription in eth namespace' })
    c.ws.close()
  })

  test('logs subscription reports removed logs on a reorg', async () => {
    const n = testNode()
    const s = serve(n)
    const c = await client(s.wsUrl!)
    const sub = await c.call('eth_subscribe', ['logs', {}])
    const from = h(n.accounts[0]!)
    await c.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: '0x' + '00'.repeat(31) + '01' }])
    const first = await c.notification(sub)
    // a competing block 1 without the transaction replaces it
    n.chain.mine([], { parentNumber: 0n, timestamp: 1_800_000_000n })
    const removed = await c.notification(sub)
    expect(removed).toEqual({ ...first, removed: true })
    c.ws.close()
  })

  test('eth_subscribe over HTTP is refused', async () => {
    const s = serve(testNode())
    expect((await post(s.httpUrl, 'eth_subscribe', ['newHeads'])).body.error).toEqual({ code: -32601, message: 'notifications not supported' })
  })

  test('--http.api / --ws.api namespaces, separate WS port, CORS', async () => {
    const n = testNode()
    const s = serve(n, { httpApi: ['eth'], wsApi: ['web3'], wsPort: 0, corsDomains: ['http://app.example'] })
    expect(new URL(s.wsUrl!).port).not.toBe(new URL(s.httpUrl).port)
    expect((await post(s.httpUrl, 'web3_clientVersion')).body.error.code).toBe(-32601)
    const { res, body } = await post(s.httpUrl, 'eth_blockNumber', [], { origin: 'http://app.example' })
    expect(body.result).toBe('0x0')
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example')
    const pre = await fetch(s.httpUrl, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } })
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
    expect((await post(s.httpUrl, 'rpc_modules')).body.result).toEqual({ eth: '1.0' })
    const c = await client(s.wsUrl!)
    expect(await c.call('web3_clientVersion')).toStartWith('Mosaic/')
    expect(await c.call('rpc_modules')).toEqual({ web3: '1.0' })
    await expect(c.call('eth_blockNumber')).rejects.toMatchObject({ code: -32601 })
    // the HTTP port does not upgrade when WS has its own port
    const up = await fetch(s.httpUrl, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } })
    expect(up.status).toBe(200)
    c.ws.close()
  })

  test('WebSocket batches', async () => {
    const s = serve(testNode())
    const c = await client(s.wsUrl!)
    c.ws.send(JSON.stringify([{ jsonrpc: '2.0', id: 'a', method: 'eth_chainId' }, { jsonrpc: '2.0', id: 'b', method: 'net_version' }]))
    for (let i = 0; i < 500 && c.inbox.length === 0; i++) await Bun.sleep(2)
    expect(c.inbox.shift()).toEqual([{ jsonrpc: '2.0', id: 'a', result: '0x7a69' }, { jsonrpc: '2.0', id: 'b', result: '31337' }])
    c.ws.close()
  })

  test('an oversize WebSocket message closes the connection', async () => {
    const s = serve(testNode(), { limits: { wsMaxMessageBytes: 1024 } })
    const c = await client(s.wsUrl!)
    const closed = new Promise<number>((r) => (c.ws.onclose = (e) => r(e.code)))
    c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'web3_sha3', params: ['0x' + '00'.repeat(4096)] }))
    expect(await closed).toBe(1009)
  })

  test('a WebSocket client that does not read is dropped; the server stays responsive', async () => {
    const n = testNode()
    const big = '0x' + 'ab'.repeat(24_000)
    await n.call('anvil_setCode', [h(C.loop), big])
    const s = serve(n, { limits: { wsMaxSendQueueBytes: 256 * 1024 } })
    const url = new URL(s.wsUrl!)
    const sock = net.connect(Number(url.port), url.hostname)
    await new Promise<void>((r) => sock.once('connect', () => r()))
    sock.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    await new Promise<void>((r) => sock.once('data', () => r()))
    sock.pause() // never read again
    expect(s.connections()).toBe(1)
    const frame = (text: string) => {
      const payload = Buffer.from(text)
      const mask = Buffer.from([1, 2, 3, 4])
      const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255])
      return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))])
    }
    const req = frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getCode', params: [h(C.loop), 'latest'] }))
    // ~2000 × 48 KB of answers: far more than socket buffers and the 256 KB queue bound
    for (let i = 0; i < 2000 && s.connections() > 0; i++) {
      if (!sock.write(req)) await new Promise((r) => setTimeout(r, 1))
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1))
    }
    for (let i = 0; i < 200 && s.connections() > 0; i++) await new Promise((r) => setTimeout(r, 5))
    expect(s.connections()).toBe(0)
    expect((await post(s.httpUrl, 'eth_blockNumber')).body.result).toBe('0x0')
    sock.destroy()
  })
})
