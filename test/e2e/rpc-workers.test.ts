/**
 * EVM workers (--rpc.workers) answer exactly as the event loop does: two dev nodes, one with two
 * workers and one with none, go through the same script (code and storage set by dev edits,
 * blocks mined at fixed timestamps, a transaction, pending edits) and every read — eth_call at
 * latest, at a historical block, by hash, at pending, with state and block overrides, reverts
 * and VM errors, estimateGas, createAccessList, simulateV1, traces of calls, transactions and
 * blocks, a batch past its gas budget, bundles (eth_callBundle), invalid params — gives the same
 * response text. Edits made
 * between calls are seen by the next call on a worker (no stale cache).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { hexToBytes } from '../../src/primitives/index.ts'
import { raw as rawTx, signedTx, word as wordOf } from '../bundles/helpers.ts'
import { startChild, type Spawned } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const READER = '0x' + '11'.repeat(20)
const WRITER = '0x' + '22'.repeat(20)
const OTHER = '0x' + '33'.repeat(20)
const LOOPER = '0x' + '44'.repeat(20)
const DEV0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const DEV1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
// slot 0, balance of calldata[0], TIMESTAMP, NUMBER, BLOCKHASH(NUMBER-1), BASEFEE as six words
const READER_CODE = '0x60005460005260003531602052426040524360605260014303406080524860a05260c06000f3'
const WRITER_CODE = '0x600035600055' + '00'
const REVERTER_CODE = '0x60aa60005260206000fd'
const LOOP_CODE = '0x5b600056'
const word = (a: string) => '0x' + a.slice(2).padStart(64, '0')

const nodes: Spawned<'rpc'>[] = []
async function start(workers: number): Promise<string> {
  const n = await startChild([MOSAIC, '--dev.memory', '--timestamp', '0', '--http.port', '0', '--no-mining', '--rpc.workers', String(workers), '--rpc.batch-gascap', '3000000'], {
    ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ },
    timeoutMs: 30_000,
  })
  nodes.push(n)
  return n.match.rpc[1]!
}
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
})

let id = 0
async function raw(url: string, body: unknown): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return (await res.text()).replace(/"id":\d+/g, '"id":0')
}
const req = (method: string, params: unknown[]) => ({ jsonrpc: '2.0', id: ++id, method, params })
async function rpc(url: string, method: string, params: unknown[]): Promise<any> {
  const r = JSON.parse(await raw(url, req(method, params)))
  if (r.error) throw new Error(`${method}: ${r.error.message}`)
  return r.result
}

/** The script, run on one node: the response text of every read, in order. */
async function script(url: string): Promise<string[]> {
  const reads: string[] = []
  const read = async (method: string, params: unknown[]) => void reads.push(await raw(url, req(method, params)))
  const callR = (block: unknown, extra: unknown[] = [], who = DEV1) => read('eth_call', [{ to: READER, data: word(who) }, block, ...extra])
  await rpc(url, 'anvil_setCode', [READER, READER_CODE])
  await rpc(url, 'anvil_setCode', [WRITER, WRITER_CODE])
  await rpc(url, 'anvil_setStorageAt', [READER, '0x0', word('0x07')])
  await rpc(url, 'evm_setNextBlockTimestamp', [1000])
  await rpc(url, 'evm_mine', [])
  const tx = await rpc(url, 'eth_sendTransaction', [{ from: DEV0, to: WRITER, data: word('0x05'), gas: '0x30000' }])
  await rpc(url, 'evm_setNextBlockTimestamp', [1012])
  await rpc(url, 'evm_mine', [])
  const block1 = (await rpc(url, 'eth_getBlockByNumber', ['0x1', false])).hash
  await rpc(url, 'anvil_setBalance', [DEV1, '0x1234'])

  await callR('latest')
  await callR('0x1')
  await callR({ blockHash: block1 })
  await callR('latest', [{ [READER]: { stateDiff: { '0x0': word('0x09') } }, [DEV1]: { balance: '0x99' } }, { time: '0x1388', number: '0x64' }])
  await rpc(url, 'evm_setNextBlockTimestamp', [1030])
  await callR('pending')
  await read('eth_call', [{ to: OTHER }, 'latest', { [OTHER]: { code: REVERTER_CODE } }])
  await read('eth_call', [{ to: OTHER, gas: '0xf4240' }, 'latest', { [OTHER]: { code: LOOP_CODE } }])
  await read('eth_call', [{ from: OTHER, to: WRITER, value: '0x1' }, 'latest'])
  await read('eth_call', [{ to: READER }, '0x99'])
  await read('eth_call', [{ to: '0x12' }, 'latest'])
  await read('eth_estimateGas', [{ from: DEV0, to: WRITER, data: word('0x06') }])
  await read('eth_estimateGas', [{ from: DEV0, to: OTHER }, 'latest', { [OTHER]: { code: REVERTER_CODE } }])
  await read('eth_createAccessList', [{ from: DEV0, to: READER, data: word(DEV1) }, 'latest'])
  await read('eth_simulateV1', [{ blockStateCalls: [{ calls: [{ from: DEV0, to: WRITER, data: word('0x08') }, { from: DEV0, to: READER, data: word(DEV0) }] }] }, 'latest'])
  await read('debug_traceCall', [{ from: DEV0, to: WRITER, data: word('0x0a') }, 'latest', { tracer: 'callTracer' }])
  await read('debug_traceCall', [{ from: DEV0, to: WRITER, data: word('0x0a') }, 'latest', { tracer: 'prestateTracer', tracerConfig: { diffMode: true } }])
  await read('debug_traceCall', [{ to: READER, data: word(DEV1) }, 'latest'])
  await read('debug_traceTransaction', [tx])
  await read('debug_traceTransaction', [tx, { tracer: 'callTracer' }])
  await read('debug_traceBlockByNumber', ['0x2', { tracer: 'prestateTracer' }])
  reads.push(await raw(url, [0, 1, 2].map(() => req('eth_call', [{ to: OTHER, gas: '0x1e8480' }, 'latest', { [OTHER]: { code: LOOP_CODE } }]))))
  // bundles: one that runs long sends the next of its size to a worker, which, light, sends the one after back
  const bundleTx = (account: number, nonce: bigint, to: string, n: bigint, gas?: bigint) => rawTx(signedTx({ account, nonce, to: hexToBytes(to), data: wordOf(n), value: n, gas }))
  const bundle = (txs: string[], extra: Record<string, unknown> = {}) => read('eth_callBundle', [{ txs, blockNumber: '0x10', ...extra }])
  await rpc(url, 'anvil_setCode', [LOOPER, LOOP_CODE])
  const heavy = bundleTx(4, 0n, LOOPER, 0n, 3_000_000n)
  await bundle([heavy])
  await bundle([bundleTx(2, 0n, WRITER, 3n)])
  await bundle([bundleTx(2, 0n, WRITER, 3n)])
  await bundle([heavy, bundleTx(2, 0n, READER, 1n), bundleTx(3, 0n, WRITER, 2n)])
  await bundle([bundleTx(2, 0n, WRITER, 6n), bundleTx(2, 1n, READER, 7n), bundleTx(3, 5n, WRITER, 8n)]) // the third's nonce is too high
  await bundle([bundleTx(2, 0n, READER, 4n), bundleTx(3, 0n, WRITER, 5n)], { stateBlockNumber: '0x1', timestamp: 2000, coinbase: OTHER, baseFee: '0x7' })
  await bundle([bundleTx(2, 0n, OTHER, 9n)], { applyPending: true })
  await bundle(['0x02c0'])

  // edits between calls: the next call sees them
  await rpc(url, 'anvil_setStorageAt', [READER, '0x0', word('0x42')])
  await callR('latest')
  await rpc(url, 'anvil_setCode', [READER, REVERTER_CODE])
  await callR('latest')
  await rpc(url, 'anvil_setCode', [READER, READER_CODE])
  await rpc(url, 'evm_setNextBlockTimestamp', [1050])
  await rpc(url, 'evm_mine', [])
  await callR('latest')
  await callR('0x2')
  return reads
}

describe('EVM workers answer as the event loop does', () => {
  let onWorkers: string[] = []
  let inThread: string[] = []
  beforeAll(async () => {
    const [a, b] = await Promise.all([start(2), start(0)])
    ;[onWorkers, inThread] = await Promise.all([script(a), script(b)])
  }, 60_000)

  test('every response is the same text', () => {
    expect(onWorkers.length).toBe(inThread.length)
    for (let i = 0; i < onWorkers.length; i++) expect(`${i}: ${onWorkers[i]}`).toBe(`${i}: ${inThread[i]}`)
  })

  test('the reads saw what the script did', () => {
    const result = (i: number) => JSON.parse(onWorkers[i]!).result as string
    const words = (i: number) => result(i).slice(2).match(/.{64}/g)!.map((w) => BigInt('0x' + w))
    expect(words(0).slice(0, 4)).toEqual([7n, 0x1234n, 1012n, 2n]) // pending edit seen at latest
    expect(words(1)[1]).toBe(10_000n * 10n ** 18n) // block 1: before the edit
    expect(result(2)).toBe(result(1)) // by hash
    expect(words(3).slice(0, 4)).toEqual([9n, 0x99n, 5000n, 100n]) // overrides
    expect(words(4).slice(2, 4)).toEqual([1030n, 3n]) // pending
    expect(JSON.parse(onWorkers[5]!).error).toEqual({ code: 3, message: 'execution reverted', data: word('0xaa') })
    expect(JSON.parse(onWorkers[6]!).error.message).toBe('out of gas')
    expect(JSON.parse(onWorkers[10]!).result).toBe('0x677c')
    const batch = JSON.parse(onWorkers[20]!) as { error: { message: string } }[]
    expect(batch.map((r) => r.error.message)).toEqual(['out of gas', 'out of gas', 'execution timeout'])
    const bundle = (i: number) => JSON.parse(onWorkers[21 + i]!)
    expect(bundle(0).result.results[0]).toMatchObject({ gasUsed: 3_000_000, error: 'out of gas' })
    expect(bundle(1).result.results[0].gasUsed).toBeGreaterThan(21_000)
    expect(bundle(2)).toEqual(bundle(1))
    expect(bundle(3).result.results).toHaveLength(3)
    expect(bundle(4).error.code).toBe(-32000)
    expect(bundle(4).error.message).toContain('transaction 2')
    expect(bundle(5).result.stateBlockNumber).toBe(1)
    expect(bundle(6).result.results).toHaveLength(1)
    expect(bundle(7).error.code).toBe(-32602)
    const n = onWorkers.length
    expect(words(n - 4)[0]).toBe(0x42n) // a storage edit after a call
    expect(JSON.parse(onWorkers[n - 3]!).error.code).toBe(3) // a code edit after a call
    expect(words(n - 2).slice(0, 4)).toEqual([0x42n, 0x1234n, 1050n, 3n]) // mined
    expect(words(n - 1)[0]).toBe(7n) // block 2 keeps its state
  })
})
