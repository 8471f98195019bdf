/**
 * `--ws.origins` on a running dev node, as a browser meets it: a page elsewhere on the web must
 * not open a WebSocket to the node (it would drive the unlocked dev accounts), a page on
 * localhost and a client without an Origin header may (geth's default), and the flag replaces
 * the default with its own list.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startChild, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const nodes: Spawned<'ws'>[] = []
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

async function devNode(extra: string[] = []): Promise<string> {
  const n = await startChild([MOSAIC, '--dev.memory', '--http.port', '0', ...extra], { ready: { ws: /HTTP server started .*ws=(ws:\/\/\S+)/ }, timeoutMs: 30_000 })
  nodes.push(n)
  return n.match.ws[1]!
}

/** Opens a WebSocket with `origin` (none: no header) and asks eth_chainId; the answer, or 'refused'. */
function tryOrigin(url: string, origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : ({ headers: { Origin: origin } } as never))
    ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }))
    ws.onmessage = (m) => {
      resolve((JSON.parse(String(m.data)) as { result: string }).result)
      ws.close()
    }
    ws.onerror = () => resolve('refused')
    ws.onclose = () => resolve('refused')
  })
}

describe('WebSocket origins', () => {
  test('by default: no Origin and localhost pages are let in; other pages are refused', async () => {
    const url = await devNode()
    expect(await tryOrigin(url)).toBe('0x7a69')
    expect(await tryOrigin(url, 'http://localhost:3000')).toBe('0x7a69')
    expect(await tryOrigin(url, 'http://127.0.0.1:5173')).toBe('0x7a69')
    expect(await tryOrigin(url, 'https://evil.example')).toBe('refused')
    expect(await tryOrigin(url, 'http://localhost.evil.example')).toBe('refused')
    expect(await tryOrigin(url, 'null')).toBe('refused')
    // the refusal is an HTTP 403 before any upgrade
    const res = await fetch(url.replace('ws://', 'http://'), { headers: { Origin: 'https://evil.example', Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' } })
    expect(res.status).toBe(403)
  }, 60_000)

  test('--ws.origins replaces the default with its list; * lets any page in', async () => {
    const listed = await devNode(['--ws.origins', 'https://app.example,wallet.example'])
    expect(await tryOrigin(listed, 'https://app.example')).toBe('0x7a69')
    expect(await tryOrigin(listed, 'http://app.example')).toBe('refused')
    expect(await tryOrigin(listed, 'https://wallet.example:8443')).toBe('0x7a69')
    expect(await tryOrigin(listed, 'http://localhost:3000')).toBe('refused')
    expect(await tryOrigin(listed)).toBe('0x7a69')
    const any = await devNode(['--ws.origins', '*'])
    expect(await tryOrigin(any, 'https://evil.example')).toBe('0x7a69')
  }, 60_000)
})
