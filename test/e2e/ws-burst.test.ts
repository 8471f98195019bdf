/**
 * A burst of WebSocket connects on a running node: 5,000 clients open at once (raw TCP sockets
 * sending the upgrade handshake, so every outcome is seen), and each gets either the 101 of a
 * WebSocket or an HTTP 503 with Retry-After; none is closed without an answer. After the burst
 * the node still serves plain requests.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startChild, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const CLIENTS = 5_000

let node: Spawned<'rpc'>
beforeAll(async () => {
  node = await startChild([MOSAIC, '--dev.memory', '--http.port', '0'], { ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 })
})
afterAll(async () => {
  await node?.stop()
})

type Outcome = 'upgraded' | 'busy' | 'silent' | `other: ${string}`

/** Opens a TCP connection, sends a WebSocket upgrade, resolves with what came back. */
function upgrade(host: string, port: number): Promise<{ outcome: Outcome; close: () => void }> {
  return new Promise((resolve) => {
    let text = ''
    let done = false
    const finish = (outcome: Outcome, close: () => void) => {
      if (!done) (done = true), resolve({ outcome, close })
    }
    Bun.connect({
      hostname: host,
      port,
      socket: {
        open(s) {
          s.write(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
        },
        data(s, d) {
          text += d.toString('latin1')
          if (!text.includes('\r\n\r\n')) return
          const status = text.slice(9, 12)
          if (status === '101') finish('upgraded', () => s.end())
          else if (status === '503' && /\r\nretry-after: *\d+/i.test(text)) finish('busy', () => s.end())
          else finish(`other: ${text.split('\r\n')[0]}`, () => s.end())
        },
        close: () => finish('silent', () => {}),
        error: () => finish('silent', () => {}),
      },
    }).catch(() => finish('silent', () => {}))
  })
}

test(`${CLIENTS} simultaneous WebSocket connects: each upgraded or told 503 with Retry-After, none dropped silently`, async () => {
  const url = new URL(node.match.rpc[1]!)
  const results = await Promise.all(Array.from({ length: CLIENTS }, () => upgrade(url.hostname, Number(url.port))))
  const counts: Record<string, number> = {}
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1
  for (const r of results) r.close()
  console.log('burst outcomes:', counts)
  expect(Object.keys(counts).filter((k) => k !== 'upgraded' && k !== 'busy')).toEqual([])
  expect(counts.upgraded ?? 0).toBeGreaterThan(0)
  await Bun.sleep(500)
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
  expect(((await r.json()) as { result: string }).result).toBe('0x7a69')
}, 120_000)
