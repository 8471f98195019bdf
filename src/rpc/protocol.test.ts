import { describe, expect, test } from 'bun:test'
import { testNode } from './testing/harness.ts'

describe('JSON-RPC protocol', () => {
  test('single call, notification, batch', async () => {
    const n = testNode()
    const one = await n.postJson('{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}')
    expect(one).toEqual({ jsonrpc: '2.0', id: 7, result: '0x7a69' })
    const notif = await n.post('{"jsonrpc":"2.0","method":"eth_chainId"}')
    expect(notif.status).toBe(200)
    expect(await notif.text()).toBe('')
    const batch = await n.postJson('[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":"b","method":"nope_nope"}]')
    expect(batch).toEqual([
      { jsonrpc: '2.0', id: 1, result: '31337' },
      { jsonrpc: '2.0', id: 'b', error: { code: -32601, message: 'the method nope_nope does not exist/is not available' } },
    ])
  })

  test('parse error, invalid request, empty batch', async () => {
    const n = testNode()
    const parse = await n.postJson('{"jsonrpc":"2.0",')
    expect(parse.error.code).toBe(-32700)
    expect(parse.id).toBeNull()
    const invalid = await n.postJson('{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}')
    expect(invalid.error.code).toBe(-32600)
    expect(invalid.id).toBe(1)
    const notObject = await n.postJson('[1]')
    expect(notObject[0].error.code).toBe(-32600)
    const empty = await n.postJson('[]')
    expect(empty.error).toEqual({ code: -32600, message: 'empty batch' })
  })

  test('invalid params: types, counts, hex rules', async () => {
    const n = testNode()
    const cases: [string, unknown[], string][] = [
      ['eth_getBalance', ['0x1234'], 'invalid argument 0: hex string has length 4, want 40 for common.Address'],
      ['eth_getBalance', [42], 'invalid argument 0: expected a hex string, got number'],
      ['eth_getBalance', [], 'missing value for required argument 0'],
      ['eth_getBlockByNumber', ['0x01', false], 'invalid argument 0: hex number with leading zero digits'],
      ['eth_getBlockByNumber', ['12', false], 'invalid argument 0: hex string without 0x prefix'],
      ['eth_getBlockByNumber', ['0x1', 'yes'], 'invalid argument 1: expected a boolean, got string'],
      ['eth_chainId', [1], 'too many arguments, want at most 0'],
      ['web3_sha3', ['0x123'], 'invalid argument 0: hex string of odd length'],
      ['eth_getBlockByHash', ['0x12', false], 'invalid argument 0: hex string has length 2, want 64 for common.Hash'],
      ['eth_getBalance', ['0x' + '11'.repeat(20), { blockHash: '0x' + '00'.repeat(32), blockNumber: '0x1' }], 'invalid argument 1: cannot specify both BlockHash and BlockNumber, choose one or the other'],
    ]
    for (const [method, params, message] of cases) {
      const e = await n.fails(method, params)
      expect(e).toEqual({ code: -32602, message })
    }
    expect((await n.postJson('{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":{"a":1}}')).error.code).toBe(-32602)
  })

  test('oversize body is 413, wrong content type 415, GET is a health check', async () => {
    const n = testNode({ limits: { maxBodyBytes: 1000 } })
    const big = await n.post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'web3_sha3', params: ['0x' + '00'.repeat(2000)] }))
    expect(big.status).toBe(413)
    const text = await n.post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    expect((await n.app.request('/', { method: 'GET' })).status).toBe(200)
    expect((await n.app.request('/', { method: 'PUT' })).status).toBe(405)
  })

  test('batch limits: too many calls, response too large', async () => {
    const n = testNode({ limits: { maxBatch: 3, maxBatchResponseBytes: 200 } })
    const calls = (k: number) => JSON.stringify(Array.from({ length: k }, (_, i) => ({ jsonrpc: '2.0', id: i + 10, method: 'eth_chainId' })))
    const tooMany = await n.postJson(calls(4))
    expect(tooMany).toEqual([{ jsonrpc: '2.0', id: 10, error: { code: -32600, message: 'batch too large' } }])
    const big = JSON.stringify(Array.from({ length: 3 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_getBlockByNumber', params: ['0x0', false] })))
    const res = await n.postJson(big)
    expect(res[0].result.number).toBe('0x0')
    expect(res.at(-1).error).toEqual({ code: -32003, message: 'response too large' })
  })

  test('rpc_modules and web3/net', async () => {
    const n = testNode()
    expect(await n.call('web3_clientVersion')).toStartWith('Mosaic/v0.1.0/')
    expect(await n.call('web3_sha3', ['0x68656c6c6f'])).toBe('0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8')
    expect(await n.call('net_listening')).toBe(true)
    expect(await n.call('net_peerCount')).toBe('0x0')
    const mods = await n.call('rpc_modules')
    expect(mods.eth).toBe('1.0')
  })
})
