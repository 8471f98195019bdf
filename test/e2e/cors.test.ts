/**
 * CORS on `bin/mosaic` as a browser meets it, with raw fetches: the dev node answers any origin
 * with `Access-Control-Allow-Origin: *` as anvil does, preflights included, on the fast HTTP path
 * (a keep-alive connection's POSTs after a preflight too); `--http.corsdomain` gives geth's
 * list semantics (an origin not on it gets no CORS headers) and `""` turns CORS off; a chain
 * other than dev keeps geth's default of none.
 */
import { afterAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMosaic } from './processes.ts'

setDefaultTimeout(60_000)

const BODY = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}'
const post = (url: string, origin?: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) }, body: BODY })
const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })

const tmp = mkdtempSync(join(tmpdir(), 'mosaic-cors-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

test("the dev node answers any origin with *, as anvil, preflight included", async () => {
  const n = await startMosaic()
  try {
    for (const origin of [undefined, 'http://localhost:3000']) {
      const r = await post(n.url, origin)
      expect(r.headers.get('access-control-allow-origin')).toBe('*')
      // answered on the fast path: Bun.serve would add a Date header, the raw writer does not
      expect(r.headers.get('date')).toBeNull()
      expect(((await r.json()) as { result: string }).result).toBe('0x7a69')
    }
    const pre = await preflight(n.url, 'http://localhost:3000')
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST')
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
    // after the preflight (spliced to the full server) the next POSTs still carry the header
    for (let i = 0; i < 3; i++) expect((await post(n.url, 'http://localhost:3000')).headers.get('access-control-allow-origin')).toBe('*')
  } finally {
    await n.stop()
  }
})

test('--http.corsdomain: a listed origin is echoed, another gets no CORS headers; "" turns CORS off', async () => {
  const n = await startMosaic(['--http.corsdomain', 'http://app.example'])
  const off = await startMosaic(['--http.corsdomain', ''])
  try {
    const ok = await post(n.url, 'http://app.example')
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://app.example')
    expect(ok.headers.get('vary')).toContain('Origin')
    expect((await post(n.url, 'http://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
    expect((await preflight(n.url, 'http://app.example')).headers.get('access-control-allow-origin')).toBe('http://app.example')
    expect((await preflight(n.url, 'http://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
    expect((await post(off.url, 'http://app.example')).headers.get('access-control-allow-origin')).toBeNull()
  } finally {
    await Promise.all([n.stop(), off.stop()])
  }
})

test("a chain other than dev keeps geth's default: no CORS headers", async () => {
  writeFileSync(join(tmp, 'jwt.hex'), '11'.repeat(32))
  const n = await startMosaic(['--chain', 'sepolia', '--authrpc.port', '0', '--authrpc.jwtsecret', join(tmp, 'jwt.hex')])
  try {
    expect((await post(n.url, 'http://localhost:3000')).headers.get('access-control-allow-origin')).toBeNull()
  } finally {
    await n.stop()
  }
})
