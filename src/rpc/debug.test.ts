import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import { decodeBlock, decodeHeader, decodeReceipt, decodeTransaction } from '../types/index.ts'
import { C, testNode } from './testing/harness.ts'

const h = bytesToHex
const word = (n: number) => '0x' + n.toString(16).padStart(64, '0')
const w64 = (n: number) => n.toString(16).padStart(64, '0')

async function mined() {
  const n = testNode()
  const from = h(n.accounts[0]!)
  const hash = await n.call('eth_sendTransaction', [{ from, to: h(C.forwarder), input: word(42), gas: '0x30000' }])
  return { n, from, hash }
}

describe('debug_ traces', () => {
  test('struct logger: geth layout, storage on SSTORE, options', async () => {
    const { n, hash } = await mined()
    const receipt = await n.call('eth_getTransactionReceipt', [hash])
    const t = await n.call('debug_traceTransaction', [hash])
    expect(t.gas).toBe(Number(receipt.gasUsed))
    expect(t.failed).toBe(false)
    expect(t.returnValue).toBe(word(42))
    const first = t.structLogs[0]
    expect(first).toEqual({ pc: 0, op: 'CALLDATASIZE', gas: first.gas, gasCost: 2, depth: 1, stack: [] })
    const call = t.structLogs.find((s: any) => s.op === 'CALL')
    expect(call.depth).toBe(1)
    const inner = t.structLogs.filter((s: any) => s.depth === 2)
    expect(inner[0]).toMatchObject({ pc: 0, op: 'PUSH1' })
    const sstore = inner.find((s: any) => s.op === 'SSTORE')
    expect(sstore.storage).toEqual({ [w64(0)]: w64(42) })
    expect(sstore.stack.slice(-2)).toEqual(['0x2a', '0x0'])
    expect(t.structLogs.at(-1).op).toBe('RETURN')
    const lean = await n.call('debug_traceTransaction', [hash, { disableStack: true, disableStorage: true, enableMemory: true, limit: 40 }])
    expect(lean.structLogs.length).toBeLessThanOrEqual(40)
    expect(lean.structLogs[0]).not.toHaveProperty('stack')
    expect(lean.structLogs.find((s: any) => s.op === 'SSTORE')).not.toHaveProperty('storage')
    expect(lean.structLogs.find((s: any) => s.memory)?.memory[0]).toHaveLength(64)
  })

  test('callTracer: nested frames, logs, revert reason, onlyTopCall', async () => {
    const { n, from, hash } = await mined()
    const t = await n.call('debug_traceTransaction', [hash, { tracer: 'callTracer', tracerConfig: { withLog: true } }])
    expect(Object.keys(t)).toEqual(['type', 'from', 'gas', 'gasUsed', 'to', 'input', 'output', 'calls', 'value'])
    expect(t).toMatchObject({ type: 'CALL', from, gas: '0x30000', to: h(C.forwarder), input: word(42), output: word(42), value: '0x0' })
    expect(t.gasUsed).toBe((await n.call('eth_getTransactionReceipt', [hash])).gasUsed)
    expect(t.calls).toHaveLength(1)
    expect(t.calls[0]).toMatchObject({ type: 'CALL', from: h(C.forwarder), to: h(C.storeLog), input: word(42), output: word(42), value: '0x0' })
    expect(t.calls[0].logs).toEqual([{ address: h(C.storeLog), topics: ['0x' + w64(0xaa)], data: word(42), position: '0x0' }])
    const top = await n.call('debug_traceTransaction', [hash, { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } }])
    expect(top).not.toHaveProperty('calls')
    const rev = await n.call('debug_traceCall', [{ from, to: h(C.reverter) }, 'latest', { tracer: 'callTracer' }])
    expect(rev).toMatchObject({ type: 'CALL', error: 'execution reverted', revertReason: 'nope' })
    expect(rev.output.startsWith('0x08c379a0')).toBe(true)
  })

  test('prestateTracer: prestate and diff mode', async () => {
    const { n, from, hash } = await mined()
    const pre = await n.call('debug_traceTransaction', [hash, { tracer: 'prestateTracer' }])
    expect(pre[h(C.storeLog)].storage).toEqual({ [word(0)]: word(0) })
    expect(pre[h(C.storeLog)].code).toBe(await n.call('eth_getCode', [h(C.storeLog), '0x0']))
    expect(pre[from]).toEqual({ balance: await n.call('eth_getBalance', [from, '0x0']) })
    // the coinbase (zero address, no account yet) is listed with balance 0, as geth does
    expect(pre['0x' + '00'.repeat(20)]).toEqual({ balance: '0x0' })
    const diff = await n.call('debug_traceTransaction', [hash, { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }])
    expect(diff.post[h(C.storeLog)]).toEqual({ storage: { [word(0)]: word(42) } })
    // a slot that was zero is not listed in pre
    expect(diff.pre[h(C.storeLog)]).not.toHaveProperty('storage')
    expect(diff.pre[h(C.forwarder)]).toBeUndefined()
    expect(diff.post[from].nonce).toBe(1)
    expect(diff.pre[from]).toEqual({ balance: await n.call('eth_getBalance', [from, '0x0']) })
  })

  test('traceBlock and traceCall with overrides', async () => {
    const { n, from, hash } = await mined()
    await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: word(1) }])
    n.dev.setAutomine(false)
    const h2 = await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: word(2) }])
    const h3 = await n.call('eth_sendTransaction', [{ from: h(n.accounts[1]!), to: h(C.forwarder), input: word(3) }])
    await n.call('evm_mine')
    const traces = await n.call('debug_traceBlockByNumber', ['0x3', { tracer: 'callTracer' }])
    expect(traces.map((t: any) => t.txHash).sort()).toEqual([h2, h3].sort())
    expect(traces.find((t: any) => t.txHash === h3).result.calls).toHaveLength(1)
    const b1 = await n.call('eth_getBlockByNumber', ['0x1', false])
    const byHash = await n.call('debug_traceBlockByHash', [b1.hash])
    expect(byHash[0].txHash).toBe(hash)
    expect(byHash[0].result.structLogs.length).toBeGreaterThan(10)
    // state override in traceCall: SLOAD of an overridden slot is visible in the struct log
    const code = '0x600154600052' + '60206000f3'
    const t = await n.call('debug_traceCall', [{ to: h(C.storeLog) }, 'latest', { stateOverrides: { [h(C.storeLog)]: { code, stateDiff: { '0x1': word(9) } } } }])
    expect(t.returnValue).toBe(word(9))
    expect(t.structLogs.find((s: any) => s.op === 'SLOAD').storage).toEqual({ [w64(1)]: w64(9) })
    expect((await n.fails('debug_traceTransaction', ['0x' + '00'.repeat(32)])).message).toContain('not found')
    expect((await n.fails('debug_traceTransaction', [hash, { tracer: 'fourByteTracer' }])).code).toBe(-32601)
    expect((await n.fails('debug_traceTransaction', [hash, { timeout: 'soon' }])).code).toBe(-32602)
  })

  test('raw encodings', async () => {
    const { n, hash } = await mined()
    const block = decodeBlock(Buffer.from((await n.call('debug_getRawBlock', ['0x1'])).slice(2), 'hex'))
    expect(block.header.number).toBe(1n)
    const header = decodeHeader(Buffer.from((await n.call('debug_getRawHeader', ['latest'])).slice(2), 'hex'))
    expect(header.number).toBe(1n)
    const tx = decodeTransaction(Buffer.from((await n.call('debug_getRawTransaction', [hash])).slice(2), 'hex'))
    expect(tx.nonce).toBe(0n)
    const receipts = (await n.call('debug_getRawReceipts', ['0x1'])).map((r: string) => decodeReceipt(Buffer.from(r.slice(2), 'hex')))
    expect(receipts[0].status).toBe(1)
    expect(await n.call('debug_getRawTransaction', ['0x' + '00'.repeat(32)])).toBe('0x')
  })
})
