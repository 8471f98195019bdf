/** The replica's head-state methods over a plain in-memory HeadState: reads at the head, every other block refused, async reads. */
import { describe, expect, test } from 'bun:test'
import { hexToBytes } from '../../primitives/index.ts'
import { createDispatcher } from '../dispatch.ts'
import { createContext } from '../server.ts'
import { headStateMethods, type HeadState } from './head-state.ts'

const A = '0x00000000000000000000000000000000000000aa'
const HASH = `0x${'11'.repeat(32)}`
const CODE_HASH = `0x${'22'.repeat(32)}`

function replica(empty = false) {
  const state: HeadState = {
    head: async () => (empty ? undefined : { number: 7n, hash: hexToBytes(HASH) }),
    account: async (a) => (a[19] === 0xaa ? { nonce: 3n, balance: 1000n, codeHash: hexToBytes(CODE_HASH) } : undefined),
    slot: (_a, s) => (s === 5n ? 9n : 0n),
    code: (h) => (h[0] === 0x22 ? new Uint8Array([0x60, 0x00]) : undefined),
  }
  const d = createDispatcher(headStateMethods(state, 381337n))
  const ctx = createContext({ chain: {} as never })
  return (method: string, params: unknown[] = []) => d.call(method, params, ctx).then((result) => ({ result }), (e) => ({ error: e.toJSON?.() ?? e }))
}

describe('head-state methods (a statesync replica)', () => {
  test('reads at its head: latest, pending, its number, its hash', async () => {
    const call = replica()
    expect(await call('eth_blockNumber')).toEqual({ result: '0x7' })
    expect(await call('eth_chainId')).toEqual({ result: '0x5d199' })
    expect(await call('net_version')).toEqual({ result: '381337' })
    for (const at of ['latest', 'pending', '0x7', { blockHash: HASH }]) expect(await call('eth_getBalance', [A, at])).toEqual({ result: '0x3e8' })
    expect(await call('eth_getTransactionCount', [A])).toEqual({ result: '0x3' })
    expect(await call('eth_getCode', [A, 'latest'])).toEqual({ result: '0x6000' })
    expect(await call('eth_getCode', ['0x00000000000000000000000000000000000000bb', 'latest'])).toEqual({ result: '0x' })
    expect(await call('eth_getStorageAt', [A, '0x5', 'latest'])).toEqual({ result: `0x${'9'.padStart(64, '0')}` })
  })

  test('any other block is -32000 naming the head; bad params are -32602; no state yet is said so', async () => {
    const call = replica()
    for (const at of ['0x6', 'earliest', 'finalized', { blockHash: `0x${'33'.repeat(32)}` }]) {
      const r = (await call('eth_getBalance', [A, at])) as { error: { code: number; message: string } }
      expect(r.error.code).toBe(-32000)
      expect(r.error.message).toContain(`serves only its head (block 7 ${HASH})`)
    }
    expect(((await call('eth_getBalance', ['0x12'])) as { error: { code: number } }).error.code).toBe(-32602)
    expect(((await call('eth_getBlockByNumber', ['latest', false])) as { error: { code: number } }).error.code).toBe(-32601)
    const empty = replica(true)
    const r = (await empty('eth_blockNumber')) as { error: { code: number; message: string } }
    expect(r.error.code).toBe(-32000)
    expect(r.error.message).toContain('has no state yet')
  })
})
