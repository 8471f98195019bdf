/**
 * Bad requests against the real node (a child process, over its HTTP and WebSocket port): each
 * gets geth's JSON-RPC error or HTTP status, and the node keeps serving. Malformed JSON
 * (-32700), invalid requests (-32600), unknown methods (-32601), wrong parameter types
 * (-32602), an oversize body (413, with and without Content-Length), a batch above 1,000 calls,
 * eth_getLogs over a wider block range than allowed (-32005, the range limit lowered with
 * --rpc.max-blocks-per-filter so the test needs few blocks), and a WebSocket client that stops
 * reading while its subscriptions keep producing notifications: the node drops it and keeps
 * serving everyone else. Integer ids beyond 2^53 (which JSON.parse cannot hold) get -32600.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { rpc, rpcRaw, startMosaic, type Child } from './processes.ts'
import { until, within } from './wait.ts'

setDefaultTimeout(120_000)

const MAX_BLOCKS_PER_FILTER = 64
let node: Child

beforeAll(async () => {
  node = await startMosaic(['--rpc.max-blocks-per-filter', String(MAX_BLOCKS_PER_FILTER)])
})
afterAll(async () => {
  await node?.stop()
})

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; text: string; json?: any }> {
  const r = await fetch(node.url, { method: 'POST', headers, body })
  const text = await r.text()
  let json
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: r.status, text, json }
}

const call = (method: string, params: unknown, id: unknown = 1) => JSON.stringify({ jsonrpc: '2.0', id, method, params })

describe('malformed and invalid requests over HTTP', () => {
  test('malformed JSON: -32700 with id null', async () => {
    for (const body of ['{"jsonrpc":"2.0","id":1,"method":"eth_chainId"', 'not json', '{"jsonrpc":"2.0",}', '\u0000\u0001', '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},']) {
      const r = await post(body)
      expect(r.status).toBe(200)
      expect(r.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.any(String) } })
    }
  })

  test('deeply nested JSON is a parse or invalid-request error, not a crash', async () => {
    const r = await post('['.repeat(200_000) + ']'.repeat(200_000))
    expect(r.status).toBe(200)
    const err = Array.isArray(r.json) ? r.json[0]?.error : r.json?.error
    expect([-32700, -32600]).toContain(err?.code)
    expect(await rpc(node.url, 'eth_chainId')).toBe('0x7a69')
  })

  test('invalid requests: -32600', async () => {
    const cases = [
      '{"id":1,"method":"eth_chainId"}', // no jsonrpc
      '{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}',
      '{"jsonrpc":"2.0","id":1}', // no method
      '{"jsonrpc":"2.0","id":{"a":1},"method":"eth_chainId"}', // id must be a string, number or null
      '{"jsonrpc":"2.0","id":1,"method":42}',
      '42',
      '[]',
    ]
    for (const body of cases) {
      const r = await post(body)
      const e = Array.isArray(r.json) ? r.json[0] : r.json
      expect(e.error.code).toBe(-32600)
    }
  })

  test('unknown methods: -32601 with the request id', async () => {
    for (const method of ['eth_bogus', 'nonamespace', 'admin_nodeInfoX', '', 'eth_chainId ']) {
      const r = await post(call(method, [], 'abc'))
      if (method === '') expect(r.json.error.code).toBe(-32600)
      else expect(r.json).toEqual({ jsonrpc: '2.0', id: 'abc', error: { code: -32601, message: expect.stringContaining('does not exist') } })
    }
  })

  test('wrong parameter types and counts: -32602', async () => {
    const cases: [string, unknown][] = [
      ['eth_getBalance', [42, 'latest']],
      ['eth_getBalance', ['0x1234', 'latest']], // short address
      ['eth_getBalance', ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 'yesterday']],
      ['eth_getBlockByNumber', ['0x1', 'yes']],
      ['eth_getBlockByNumber', ['1', false]], // a quantity needs 0x
      ['eth_getBlockByNumber', ['0x01', false]], // no leading zeros in quantities
      ['eth_getBlockByHash', ['0x1234', false]],
      ['eth_call', ['not an object', 'latest']],
      ['eth_call', [{ to: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', gas: 'lots' }, 'latest']],
      ['eth_getStorageAt', ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 'slot', 'latest']],
      ['eth_getLogs', [{ fromBlock: 'first' }]],
      ['eth_getLogs', [{ topics: 'all' }]],
      ['eth_chainId', [1, 2, 3]], // too many
      ['eth_getBalance', []], // too few
      ['eth_getTransactionByHash', [{}]],
      ['eth_getBalance', 5], // params neither array nor object
    ]
    for (const [method, params] of cases) {
      const r = await post(call(method, params, 7))
      expect({ method, params, code: r.json?.error?.code }).toEqual({ method, params, code: -32602 })
      expect(r.json.id).toBe(7)
    }
  })

  test('undecodable raw transactions are refused with a message', async () => {
    for (const raw of ['0xdeadbeef', '0x', '0x02c0', '0x' + 'ff'.repeat(100)]) {
      const r = await rpcRaw(node.url, 'eth_sendRawTransaction', [raw])
      expect(r.error?.code).toBeDefined()
      expect(r.error!.message.length).toBeGreaterThan(0)
    }
  })

  test('HTTP framing: content type (415), GET health (200), notifications (no body)', async () => {
    expect((await post(call('eth_chainId', []), { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await fetch(node.url)).status).toBe(200)
    const n = await post('{"jsonrpc":"2.0","method":"eth_chainId","params":[]}')
    expect(n.status).toBe(200)
    expect(n.text).toBe('')
  })

  test('a mixed batch is answered call by call, in order', async () => {
    const r = await post(`[${call('eth_chainId', [], 1)},${call('eth_bogus', [], 2)},{"bad":true},${call('eth_getBalance', [1], 4)}]`)
    expect(r.json.map((x: any) => [x.id, x.result ?? x.error.code])).toEqual([[1, '0x7a69'], [2, -32601], [null, -32600], [4, -32602]])
  })

  test('an oversize body: 413, with Content-Length and chunked', async () => {
    const big = 'x'.repeat(6 * 1024 * 1024) // the default limit is 5 MiB (--rpc.max-request-size)
    expect((await post(big)).status).toBe(413)
    const chunks = Array.from({ length: 7 }, () => new TextEncoder().encode('y'.repeat(1024 * 1024)))
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift()
        if (next) c.enqueue(next)
        else c.close()
      },
    })
    const r = await fetch(node.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream }).catch((e: Error) => e)
    // the node may answer 413 or cut the upload short; either way it does not take the body
    if (!(r instanceof Error)) expect(r.status).toBe(413)
    expect(await rpc(node.url, 'eth_chainId')).toBe('0x7a69')
  })

  test('a batch above 1,000 calls: one "batch too large" error (as geth); 1,000 are served', async () => {
    const calls = (n: number) => '[' + Array.from({ length: n }, (_, i) => call('eth_chainId', [], i + 1)).join(',') + ']'
    const tooMany = await post(calls(1001))
    expect(tooMany.json).toEqual([{ jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'batch too large' } }])
    const ok = await post(calls(1000))
    expect(ok.json).toHaveLength(1000)
    expect(ok.json.every((x: any, i: number) => x.id === i + 1 && x.result === '0x7a69')).toBe(true)
  })

  test('eth_getLogs and log filters over too wide a block range: -32005', async () => {
    await rpc(node.url, 'anvil_mine', ['0x' + (MAX_BLOCKS_PER_FILTER + 36).toString(16)])
    const head = BigInt(await rpc(node.url, 'eth_blockNumber'))
    expect(head).toBeGreaterThan(BigInt(MAX_BLOCKS_PER_FILTER))
    const wide = await rpcRaw(node.url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])
    expect(wide.error?.code).toBe(-32005)
    expect(wide.error?.message).toContain(String(MAX_BLOCKS_PER_FILTER))
    const farFuture = await rpcRaw(node.url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: '0xffffffff' }])
    expect(farFuture.error).toBeDefined()
    // exactly the limit is fine
    const fits = await rpcRaw(node.url, 'eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x' + MAX_BLOCKS_PER_FILTER.toString(16) }])
    expect(fits).toMatchObject({ result: [] })
    const inverted = await rpcRaw(node.url, 'eth_getLogs', [{ fromBlock: '0x5', toBlock: '0x4' }])
    expect(inverted.error).toBeDefined()
    // an installed filter over the same range fails the same way when its logs are fetched
    const id = await rpc(node.url, 'eth_newFilter', [{ fromBlock: '0x0', toBlock: 'latest' }])
    expect((await rpcRaw(node.url, 'eth_getFilterLogs', [id])).error?.code).toBe(-32005)
  })
})

/** A WebSocket client on a raw TCP socket, so the test decides when (and whether) it reads. */
class RawWsClient {
  private text = ''
  private closed = false
  readonly opened: Promise<void>
  private readonly sock: Socket

  constructor(url: string) {
    const u = new URL(url)
    this.sock = connect(Number(u.port), u.hostname)
    this.sock.setEncoding('latin1')
    this.sock.on('data', (d: string) => (this.text += d))
    this.sock.on('close', () => (this.closed = true))
    this.sock.on('error', () => (this.closed = true))
    const key = randomBytes(16).toString('base64')
    this.sock.write(`GET / HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    this.opened = until(() => this.text.includes('\r\n\r\n'), 'the WebSocket handshake').then(() => {
      if (!this.text.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${this.text.slice(0, 200)}`)
    })
  }

  /** Sends one masked text frame (RFC 6455 §5.2: client frames are masked). */
  send(message: string): void {
    const payload = Buffer.from(message, 'utf8')
    const mask = randomBytes(4)
    const len = payload.length
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : len < 65536 ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(len)])
    for (let i = 0; i < len; i++) payload[i]! ^= mask[i % 4]!
    this.sock.write(Buffer.concat([head, mask, payload]))
  }

  /** How often `needle` occurs in what was received so far. */
  count(needle: string): number {
    let n = 0
    for (let i = this.text.indexOf(needle); i >= 0; i = this.text.indexOf(needle, i + needle.length)) n++
    return n
  }

  /** Stops reading: the kernel buffers fill, then the node's send queue does. */
  stopReading(): void {
    this.sock.pause()
  }

  resumeReading(): void {
    this.sock.resume()
  }

  isClosed(): boolean {
    return this.closed
  }

  destroy(): void {
    this.sock.destroy()
  }
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

describe('JSON-RPC ids beyond 2^53', () => {
  const BIG = '9007199254740993' // 2^53 + 1: JSON.parse reads it as ...992
  const MAX_SAFE = '9007199254740991'
  const raw = (id: string) => `{"jsonrpc":"2.0","id":${id},"method":"eth_chainId","params":[]}`

  test('over HTTP: refused with -32600 (never answered under another id); 2^53-1 and string ids echo exactly', async () => {
    for (const id of [BIG, '-' + BIG, '1e300', '18446744073709551616']) {
      const r = await post(raw(id))
      expect(r.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('2^53') } })
    }
    expect((await post(raw(MAX_SAFE))).text).toBe(`{"jsonrpc":"2.0","id":${MAX_SAFE},"result":"0x7a69"}`)
    expect((await post(raw(`"${BIG}"`))).text).toBe(`{"jsonrpc":"2.0","id":"${BIG}","result":"0x7a69"}`)
    // in a batch, only that call is refused
    const batch = await post(`[${raw(BIG)},${raw('7')}]`)
    expect(batch.json).toEqual([{ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } }, { jsonrpc: '2.0', id: 7, result: '0x7a69' }])
  })

  test('over WebSocket: the same', async () => {
    const ws = new WebSocket(node.wsUrl)
    const open = new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)))
    const got: string[] = []
    ws.onmessage = (e) => got.push(String(e.data))
    try {
      await within(open, 'the client to connect')
      ws.send(raw(BIG))
      ws.send(raw(MAX_SAFE))
      await until(() => got.length >= 2, 'two answers')
      expect(JSON.parse(got[0]!).error.code).toBe(-32600)
      expect(JSON.parse(got[0]!).id).toBeNull()
      expect(got[1]).toBe(`{"jsonrpc":"2.0","id":${MAX_SAFE},"result":"0x7a69"}`)
    } finally {
      ws.close()
    }
  })
})

describe('a WebSocket client that never reads', () => {
  test('is dropped once its send queue is full; the node keeps serving HTTP and other WebSocket clients', async () => {
    const SUBS = 1000 // the per-connection subscription limit
    const slow = new RawWsClient(node.wsUrl)
    const good = new WebSocket(node.wsUrl)
    const goodOpen = new Promise((r, j) => ((good.onopen = r), (good.onerror = j)))
    const heads: number[] = []
    try {
      await slow.opened
      slow.send('[' + Array.from({ length: SUBS }, (_, i) => call('eth_subscribe', ['newHeads'], i + 1)).join(',') + ']')
      await until(() => slow.count('"result":"0x') >= SUBS, 'the slow client to subscribe')
      slow.stopReading()

      await within(goodOpen, 'the good client to connect')
      good.onmessage = (e) => {
        const m = JSON.parse(String(e.data))
        if (m.method === 'eth_subscription') heads.push(Number(m.params.result.number))
      }
      good.send(call('eth_subscribe', ['newHeads']))
      // the subscription is live once a mined block reaches it
      const start = Number(BigInt(await rpc(node.url, 'eth_blockNumber')))
      await until(async () => (heads.length > 0 || (await rpc(node.url, 'evm_mine'), false)), 'the good client to see a block')

      // each block now queues SUBS notifications (about 1 kB each) for the slow client: mine far
      // more than its send queue (16 MiB) and both kernel socket buffers can hold
      const perBlock = SUBS * 900
      const blocks = Math.ceil((64 * 1024 * 1024) / perBlock)
      for (let i = 0; i < blocks; i++) {
        await rpc(node.url, 'evm_mine')
        // HTTP and the reading client keep being served while the slow client's queue grows
        if (i % 10 === 0) expect(Number(BigInt(await rpc(node.url, 'eth_blockNumber')))).toBeGreaterThan(start + i)
      }
      const head = Number(BigInt(await rpc(node.url, 'eth_blockNumber')))
      await until(() => heads.at(-1) === head, 'the good client to receive the last block')
      // the good client saw every block, in order, none twice
      expect(heads).toEqual(Array.from({ length: heads.length }, (_, i) => heads[0]! + i))

      // now read what the node managed to send: the connection ends before all notifications
      slow.resumeReading()
      await until(() => slow.isClosed(), 'the node to have dropped the slow client')
      const delivered = slow.count('"eth_subscription"')
      // some blocks' notifications got through (the kernel buffers), far from all of them
      expect(delivered).toBeGreaterThanOrEqual(SUBS)
      expect(delivered).toBeLessThan(blocks * SUBS / 2)
      expect(await rpc(node.url, 'eth_chainId')).toBe('0x7a69')
    } finally {
      slow.destroy()
      good.close()
    }
  })

  test('a WebSocket client sending malformed JSON gets -32700 and stays connected', async () => {
    const ws = new WebSocket(node.wsUrl)
    const open = new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)))
    const got: any[] = []
    ws.onmessage = (e) => got.push(JSON.parse(String(e.data)))
    try {
      await within(open, 'the client to connect')
      ws.send('{"jsonrpc":"2.0","id":1,')
      ws.send(call('eth_bogus', [], 2))
      ws.send(call('eth_chainId', [], 3))
      await until(() => got.length >= 3, 'three answers')
      expect(got.map((m) => m.error?.code ?? m.result)).toEqual([-32700, -32601, '0x7a69'])
      expect(ws.readyState).toBe(WebSocket.OPEN)
    } finally {
      ws.close()
    }
  })
})
