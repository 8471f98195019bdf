import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import { C, testNode } from './testing/harness.ts'

const h = bytesToHex
const word = (n: number) => '0x' + n.toString(16).padStart(64, '0')
const READ_SLOT0 = '0x600054600052' + '60206000f3'

describe('eth_simulateV1', () => {
  test('blocks build on each other; calls see earlier effects; results in geth shape', async () => {
    const n = testNode()
    const from = h(n.accounts[0]!)
    const res = await n.call('eth_simulateV1', [
      {
        blockStateCalls: [
          { calls: [{ from, to: h(C.storeLog), input: word(5) }, { from, to: h(C.reverter) }] },
          { blockOverrides: { time: '0x7fffffff' }, stateOverrides: { [h(C.storeLog)]: { code: READ_SLOT0 } }, calls: [{ from, to: h(C.storeLog) }] },
        ],
      },
      'latest',
    ])
    expect(res).toHaveLength(2)
    const [b1, b2] = res
    expect(b1.number).toBe('0x1')
    expect(b2.number).toBe('0x2')
    expect(b2.timestamp).toBe('0x7fffffff')
    expect(b2.parentHash).toBe(b1.hash)
    expect(b1.transactions).toHaveLength(2)
    expect(b1.calls[0]).toMatchObject({ returnData: word(5), status: '0x1' })
    expect(b1.calls[0].logs[0]).toMatchObject({ address: h(C.storeLog), data: word(5), blockHash: b1.hash, blockNumber: '0x1', logIndex: '0x0', transactionIndex: '0x0', transactionHash: b1.transactions[0] })
    expect(b1.calls[1]).toMatchObject({ status: '0x0', logs: [], error: { code: 3, message: 'execution reverted: nope' } })
    expect(BigInt(b1.gasUsed)).toBe(BigInt(b1.calls[0].gasUsed) + BigInt(b1.calls[1].gasUsed))
    expect(b2.calls[0].returnData).toBe(word(5))
    // nothing was written to the chain
    expect(await n.call('eth_blockNumber')).toBe('0x0')
  })

  test('full transactions, halts, unsupported options, limits', async () => {
    const n = testNode({ limits: { simulateMaxBlocks: 2 } })
    const from = h(n.accounts[0]!)
    const [b] = await n.call('eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from, to: h(C.loop), gas: '0x10000' }] }], returnFullTransactions: true }])
    expect(b.transactions[0].from).toBe(from)
    expect(b.calls[0].error).toEqual({ message: 'out of gas', code: -32015 })
    expect((await n.fails('eth_simulateV1', [{ blockStateCalls: [{}, {}, {}] }])).code).toBe(-38026)
    expect((await n.fails('eth_simulateV1', [{ blockStateCalls: [], validation: true }])).message).toContain('validation=true')
    expect((await n.fails('eth_simulateV1', [{ blockStateCalls: [{ blockOverrides: { number: '0x5' } }, { blockOverrides: { number: '0x3' } }] }])).code).toBe(-38020)
    const poor = '0x' + '98'.repeat(20)
    expect((await n.fails('eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from: poor, to: h(C.storeLog), value: '0x1' }] }] }])).code).toBe(-38014)
  })
})
