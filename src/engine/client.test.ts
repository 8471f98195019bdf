/** The Engine API client: how each kind of failure is told apart, the answer cap, no token without a secret. */
import { afterAll, expect, test } from 'bun:test'
import { createEngineClient, EngineCallError } from './client.ts'

const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(req) {
    const { method } = (await req.json()) as { method: string }
    if (method === 'auth') return req.headers.get('authorization') ? new Response('invalid signature', { status: 401 }) : Response.json({ jsonrpc: '2.0', id: 1, result: 'no token' })
    if (method === 'big') return Response.json({ jsonrpc: '2.0', id: 1, result: 'x'.repeat(2_000) })
    if (method === 'error') return Response.json({ jsonrpc: '2.0', id: 1, error: { code: -38005, message: 'Unsupported fork' } })
    if (method === 'empty') return Response.json({ jsonrpc: '2.0', id: 1 })
    return Response.json({ jsonrpc: '2.0', id: 1, result: method })
  },
})
afterAll(() => server.stop(true))
const url = `http://127.0.0.1:${server.port}`

async function failure(p: Promise<unknown>): Promise<EngineCallError> {
  try {
    await p
  } catch (err) {
    if (err instanceof EngineCallError) return err
    throw err
  }
  throw new Error('the call did not fail')
}

test('rpc, http (with its status), unreachable and malformed failures', async () => {
  const withSecret = createEngineClient({ url, secret: new Uint8Array(32), maxAnswerBytes: 1_000 })
  expect(await withSecret.call('ok')).toBe('ok')
  const rpc = await failure(withSecret.call('error'))
  expect([rpc.failure, rpc.rpcCode, rpc.method]).toEqual(['rpc', -38005, 'error'])
  const http = await failure(withSecret.call('auth'))
  expect([http.failure, http.httpStatus]).toEqual(['http', 401])
  expect((await failure(withSecret.call('big'))).failure).toBe('malformed')
  expect((await failure(withSecret.call('empty'))).failure).toBe('malformed')
  const gone = await failure(createEngineClient({ url: 'http://127.0.0.1:1', secret: new Uint8Array(32) }).call('ok'))
  expect([gone.failure, gone.rpcCode]).toEqual(['unreachable', 0])
})

test('without a secret no token is sent (a public JSON-RPC)', async () => {
  expect(await createEngineClient({ url }).call('auth')).toBe('no token')
})
