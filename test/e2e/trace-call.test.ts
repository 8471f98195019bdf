/**
 * The ad-hoc and single-transaction `trace_*` methods through `bin/mosaic --profile execution`,
 * each checked against what the same transaction gives once mined: trace_call (trace, vmTrace
 * and stateDiff; at "pending", which runs in the block the miner builds next, and at an older
 * block; a revert), trace_callMany (each call on the state the ones before left), trace_rawTransaction,
 * trace_get (a position in the flat list) and trace_replayTransaction, against
 * trace_transaction and trace_replayBlockTransactions of the mined blocks. Bad input is -32602;
 * `--rpc.max-trace-filter-blocks` caps trace_filter.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { getContractAddress, type Address, type Hex } from 'viem'
import { compileSolidity } from '../../bench/solc.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { CHAIN_ID, rpc, rpcRaw, startMosaic, type Child } from './processes.ts'
import { alice } from './scenario.ts'
import { until } from './wait.ts'

setDefaultTimeout(60_000)

const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Store {
    uint256 public n;
    function set(uint256 v) external { n = v; }
}
contract Main {
    uint256 public count;
    Store public store;
    constructor() { store = new Store(); }
    function bump(uint256 v) external { count += 1; store.set(v + count); }
    function fail() external { count = 99; revert("no"); }
}
`

const ALL = ['trace', 'vmTrace', 'stateDiff']
const GAS = 200_000n
const FEES = { maxFeePerGas: 5_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }
const q = (n: number | bigint) => '0x' + n.toString(16)
const word = (n: number) => n.toString(16).padStart(64, '0')

let node: Child
let main: Address
let sel: (sig: string) => string
let nonce = 0

/** A call object with the fields of the transaction `sign` makes from it. */
function callOf(data: string, extra: Record<string, string> = {}): Record<string, string> {
  return { from: alice.address, to: main, data, gas: q(GAS), maxFeePerGas: q(FEES.maxFeePerGas), maxPriorityFeePerGas: q(FEES.maxPriorityFeePerGas), ...extra }
}
const sign = (tx: { to?: Address; data: Hex }) => alice.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce: nonce++, gas: tx.to ? GAS : 1_000_000n, ...FEES, ...tx })

async function mined(hash: string): Promise<{ blockNumber: string; transactionIndex: string; status: string }> {
  let receipt: any
  await until(async () => (receipt = await rpc(node.url, 'eth_getTransactionReceipt', [hash])) !== null, `the receipt of ${hash}`)
  return receipt
}
async function send(raw: string) {
  const hash = await rpc(node.url, 'eth_sendRawTransaction', [raw])
  return { hash, receipt: await mined(hash) }
}
/** A transaction's TraceResults inside trace_replayBlockTransactions, without its hash. */
async function fromBlock(receipt: { blockNumber: string; transactionIndex: string }, types: string[]) {
  const { transactionHash: _, ...r } = (await rpc(node.url, 'trace_replayBlockTransactions', [receipt.blockNumber, types]))[Number(receipt.transactionIndex)]
  return r
}
/** trace_transaction's traces without their block and transaction fields: the `trace` of TraceResults. */
const unlocalized = (list: any[]) => list.map(({ type, action, error, result, subtraces, traceAddress }) => (error === undefined ? { type, action, result, subtraces, traceAddress } : { type, action, error, result, subtraces, traceAddress }))

beforeAll(async () => {
  node = await startMosaic(['--rpc.max-trace-filter-blocks', '3'])
  const C = compileSolidity(SOURCE)
  sel = (sig: string) => `0x${C.Main!.selectors[sig]}`
  main = getContractAddress({ from: alice.address, nonce: 0n })
  expect((await send(await sign({ data: bytesToHex(C.Main!.bytecode) as Hex }))).receipt.status).toBe('0x1')
})

afterAll(async () => {
  await node?.stop()
})

describe('trace_* against the mined transaction', () => {
  test('trace_call at "pending" with trace, vmTrace and stateDiff equals trace_replayTransaction and trace_replayBlockTransactions of the same transaction mined', async () => {
    const data = sel('bump(uint256)') + word(7)
    const called = await rpc(node.url, 'trace_call', [callOf(data), ALL, 'pending'])
    // the chain has what the test claims: an internal call, storage writes in two contracts, a vmTrace with a sub-frame
    expect(called.trace.map((t: any) => t.traceAddress)).toEqual([[], [0]])
    expect(Object.values(called.stateDiff).filter((d: any) => Object.keys(d.storage).length > 0)).toHaveLength(2)
    expect(called.vmTrace.ops.some((o: any) => o.sub !== null)).toBe(true)
    const { hash, receipt } = await send(await sign({ to: main, data: data as Hex }))
    const replayed = await rpc(node.url, 'trace_replayTransaction', [hash, ALL])
    expect(called).toEqual(replayed)
    expect(await fromBlock(receipt, ALL)).toEqual(replayed)
    expect(unlocalized(await rpc(node.url, 'trace_transaction', [hash]))).toEqual(replayed.trace)
  })

  test('trace_call of a revert equals the mined reverted transaction', async () => {
    const data = sel('fail()')
    const called = await rpc(node.url, 'trace_call', [callOf(data), ALL, 'pending'])
    expect(called.trace[0].error).toBe('Reverted')
    // the revert undid the write to `count`: only the sender's and the fee recipient's balances, and the nonce
    for (const d of Object.values(called.stateDiff) as any[]) expect(d.storage).toEqual({})
    const { hash, receipt } = await send(await sign({ to: main, data: data as Hex }))
    expect(receipt.status).toBe('0x0')
    expect(called).toEqual(await rpc(node.url, 'trace_replayTransaction', [hash, ALL]))
    expect(unlocalized(await rpc(node.url, 'trace_transaction', [hash]))).toEqual(called.trace)
  })

  test('trace_call at an older block runs on that block\'s state', async () => {
    // after block 1 (the deployment) count is 0: the bump writes 0 -> 1 and the store 0 -> 8, as the first mined bump did
    const atOne = await rpc(node.url, 'trace_call', [callOf(sel('bump(uint256)') + word(7)), ['stateDiff'], '0x1'])
    const first = await rpc(node.url, 'trace_replayBlockTransactions', ['0x2', ['stateDiff']])
    const storageOf = (d: Record<string, any>) => Object.fromEntries(Object.entries(d).map(([a, x]) => [a, x.storage]))
    expect(storageOf(atOne.stateDiff)).toEqual(storageOf(first[0].stateDiff))
    // at latest, two bumps later, count goes 1 -> 2
    const latest = await rpc(node.url, 'trace_call', [callOf(sel('bump(uint256)') + word(7)), ['stateDiff']])
    expect(latest.stateDiff[main.toLowerCase()].storage[`0x${word(0)}`]).toEqual({ '*': { from: `0x${word(1)}`, to: `0x${word(2)}` } })
  })

  test('trace_callMany carries state from call to call, as the same transactions mined in one block', async () => {
    const datas = [sel('bump(uint256)') + word(1), sel('bump(uint256)') + word(2)]
    const many = await rpc(node.url, 'trace_callMany', [datas.map((d) => [callOf(d), ALL]), 'pending'])
    expect(many).toHaveLength(2)
    // the second call sees the first's count (and the sender's nonce after it)
    const counts = many.map((r: any) => r.stateDiff[main.toLowerCase()].storage[`0x${word(0)}`]['*'])
    expect(counts[1].from).toBe(counts[0].to)
    const nonces = many.map((r: any) => r.stateDiff[alice.address.toLowerCase()].nonce['*'])
    expect(nonces[1].from).toBe(nonces[0].to)
    await rpc(node.url, 'evm_setAutomine', [false])
    const hashes = []
    for (const d of datas) hashes.push(await rpc(node.url, 'eth_sendRawTransaction', [await sign({ to: main, data: d as Hex })]))
    await rpc(node.url, 'evm_mine', [])
    await rpc(node.url, 'evm_setAutomine', [true])
    const receipts = await Promise.all(hashes.map(mined))
    expect(receipts[0]!.blockNumber).toBe(receipts[1]!.blockNumber)
    const block = await rpc(node.url, 'trace_replayBlockTransactions', [receipts[0]!.blockNumber, ALL])
    expect(many).toEqual(block.map(({ transactionHash: _, ...r }: any) => r))
    // trace_replayTransaction of the second replays the first before it
    expect(await rpc(node.url, 'trace_replayTransaction', [hashes[1], ALL])).toEqual(many[1])
  })

  test('trace_rawTransaction at "pending" equals the transaction mined; at latest only the fee differs', async () => {
    const raw = await sign({ to: main, data: (sel('bump(uint256)') + word(3)) as Hex })
    const pending = await rpc(node.url, 'trace_rawTransaction', [raw, ALL, 'pending'])
    const latest = await rpc(node.url, 'trace_rawTransaction', [raw, ['trace', 'stateDiff']])
    const { hash, receipt } = await send(raw)
    const replayed = await rpc(node.url, 'trace_replayTransaction', [hash, ALL])
    expect(pending).toEqual(replayed)
    expect(await fromBlock(receipt, ALL)).toEqual(replayed)
    // latest runs in the mined block's parent, whose base fee is higher (blocks below the target fall 12.5% each): the sender pays more
    expect(latest.trace).toEqual(replayed.trace)
    const sender = alice.address.toLowerCase()
    const paid = (r: any) => BigInt(r.stateDiff[sender].balance['*'].from) - BigInt(r.stateDiff[sender].balance['*'].to)
    expect(paid(latest)).toBeGreaterThan(paid(replayed))
    const { [sender]: _a, ...restLatest } = latest.stateDiff
    const { [sender]: _b, ...restMined } = replayed.stateDiff
    expect(restLatest).toEqual(restMined)
  })

  test('trace_get picks one position of trace_transaction\'s list; out of range or several indices is null', async () => {
    const { hash } = await send(await sign({ to: main, data: (sel('bump(uint256)') + word(9)) as Hex }))
    const list = await rpc(node.url, 'trace_transaction', [hash])
    expect(list).toHaveLength(2)
    expect(await rpc(node.url, 'trace_get', [hash, ['0x0']])).toEqual(list[0])
    expect(await rpc(node.url, 'trace_get', [hash, ['0x1']])).toEqual(list[1])
    expect(list[1].traceAddress).toEqual([0])
    expect(await rpc(node.url, 'trace_get', [hash, ['0x2']])).toBeNull()
    expect(await rpc(node.url, 'trace_get', [hash, ['0x0', '0x1']])).toBeNull()
    expect(await rpc(node.url, 'trace_get', ['0x' + '11'.repeat(32), ['0x0']])).toBeNull()
  })

  test('--rpc.max-trace-filter-blocks caps the blocks one trace_filter replays', async () => {
    expect((await rpc(node.url, 'trace_filter', [{ fromBlock: '0x1', toBlock: '0x3' }])).length).toBeGreaterThan(3)
    const wide = await rpcRaw(node.url, 'trace_filter', [{ fromBlock: '0x1', toBlock: '0x4' }])
    expect(wide.error?.code).toBe(-32005)
    expect(wide.error?.message).toContain('more than 3')
  })

  test('bad input is -32602 on every method', async () => {
    const call = callOf(sel('fail()'))
    const hash = '0x' + '11'.repeat(32)
    const cases: [string, unknown[]][] = [
      ['trace_call', [call]],
      ['trace_call', [call, ['bogus']]],
      ['trace_call', [call, 'trace']],
      ['trace_call', [call, ALL, 'nope']],
      ['trace_call', [{ ...call, to: '0x1234' }, ALL]],
      ['trace_call', [{ ...call, gas: 'lots' }, ALL]],
      ['trace_callMany', [{}]],
      ['trace_callMany', [[call]]],
      ['trace_callMany', [[[call, ['bogus']]]]],
      ['trace_callMany', [[[call, ALL]], 'nope']],
      ['trace_rawTransaction', ['0xzz', ALL]],
      ['trace_rawTransaction', ['0x02', ['bogus']]],
      ['trace_rawTransaction', ['0x02', ALL, 'nope']],
      ['trace_rawTransaction', []],
      ['trace_get', [hash]],
      ['trace_get', ['0x1234', ['0x0']]],
      ['trace_get', [hash, '0x0']],
      ['trace_get', [hash, ['x']]],
      ['trace_replayTransaction', ['0x1234', ALL]],
      ['trace_replayTransaction', [hash, ['bogus']]],
      ['trace_replayTransaction', [hash]],
    ]
    const answers = await Promise.all(cases.map(([m, p]) => rpcRaw(node.url, m, p)))
    expect(answers.map((a, i) => `${i} ${cases[i]![0]}: ${a.error?.code}`)).toEqual(cases.map(([m], i) => `${i} ${m}: -32602`))
    // well-formed but not a transaction: the decoder's error, as eth_sendRawTransaction's (-32000, geth's)
    expect((await rpcRaw(node.url, 'trace_rawTransaction', ['0x02c0', ALL])).error?.code).toBe(-32000)
  })
})
