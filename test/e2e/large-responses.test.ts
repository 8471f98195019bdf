/**
 * Large responses on a running node: a debug_traceCall of a 3M-gas loop (about 250,000
 * struct-log entries, tens of MB of JSON) arrives whole with a Content-Length that matches, a
 * response above --rpc.response-max-size is refused with -32003 before anything is sent
 * (never cut under a 200), and geth's `limit` option caps the entries.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startChild, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const LOOP = '0x5b600056' // JUMPDEST PUSH1 0 JUMP: runs until out of gas
const TARGET = '0x' + '42'.repeat(20)
const GAS = 3_000_000

const nodes: Spawned<'rpc'>[] = []
const start = async (extra: string[] = []) => {
  const n = await startChild([MOSAIC, '--dev.memory', '--http.port', '0', ...extra], { ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 })
  nodes.push(n)
  return n.match.rpc[1]!
}
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

const traceCall = (opts: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_traceCall', params: [{ to: TARGET, gas: `0x${GAS.toString(16)}` }, 'latest', { stateOverrides: { [TARGET]: { code: LOOP } }, ...opts }] })

async function post(url: string, body: string): Promise<{ status: number; length: string | null; text: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  return { status: r.status, length: r.headers.get('content-length'), text: await r.text() }
}

describe('large responses', () => {
  let url = ''
  beforeAll(async () => {
    url = await start()
  })

  test('a 3M-gas struct-log trace arrives whole', async () => {
    const r = await post(url, traceCall())
    expect(r.status).toBe(200)
    expect(r.text.length).toBeGreaterThan(30 * 1024 * 1024)
    expect(Number(r.length)).toBe(Buffer.byteLength(r.text))
    const trace = JSON.parse(r.text).result as { failed: boolean; structLogs: { op: string }[] }
    expect(trace.failed).toBe(true)
    expect(trace.structLogs.length).toBeGreaterThan(200_000)
    expect(trace.structLogs[1]!.op).toBe('PUSH1')
    // the node still serves
    expect(JSON.parse((await post(url, '{"jsonrpc":"2.0","id":2,"method":"eth_chainId","params":[]}')).text).result).toBe('0x7a69')
  }, 60_000)

  test('geth\'s limit option caps the entries', async () => {
    const r = await post(url, traceCall({ limit: 10 }))
    expect((JSON.parse(r.text).result as { structLogs: unknown[] }).structLogs).toHaveLength(10)
  }, 30_000)

  test('above --rpc.response-max-size: -32003 before anything is sent, the node keeps serving', async () => {
    const small = await start(['--rpc.response-max-size', '1000000'])
    const r = await post(small, traceCall())
    expect(r.status).toBe(200)
    const body = JSON.parse(r.text)
    expect(body.error.code).toBe(-32003)
    expect(body.error.message).toContain('--rpc.response-max-size')
    expect(body.id).toBe(1)
    // a large result that is not a trace (2 MiB returned, 4 MiB of hex): refused the same way
    const big = await post(small, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'eth_call', params: [{ to: TARGET, data: '0x' }, 'latest', { [TARGET]: { code: '0x622000006000f3' } }] }))
    expect(JSON.parse(big.text).error.code).toBe(-32003)
    expect(JSON.parse((await post(small, '{"jsonrpc":"2.0","id":2,"method":"eth_chainId","params":[]}')).text).result).toBe('0x7a69')
  }, 60_000)
})
