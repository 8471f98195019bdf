/**
 * A client split into processes (issue 17 item 5), through bin/mosaic: node A runs the
 * execution profile (`--execution-only`), process B the txpool profile with A as its state node
 * and forward target (`--txpool-only --state.url A --txpool.forward A --nodiscover`).
 * Transactions sent to B are validated against A's head and appear in A's blocks; bundles are
 * simulated on A's head through B and sent on to A; A keeps serving when B dies; when A
 * restarts, B waits with backoff (logging each retry) and then forwards what arrived meanwhile.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'
import { transactionHash, type Transaction } from '../../src/types/index.ts'
import { startChild, type Spawned } from '../child-process.ts'
import { MOSAIC, rpc, rpcRaw } from '../e2e/processes.ts'
import { until } from '../txpool-profile/helpers.ts'
import { raw, signedTx } from '../bundles/helpers.ts'

setDefaultTimeout(90_000)

const dir = mkdtempSync(join(tmpdir(), 'mosaic-split-'))
const SERVER = /HTTP server started.*endpoint=(http:\/\/\S+)/
const TO = hexToBytes('0x000000000000000000000000000000000000dead')
let port: number
let a: Spawned<'rpc'>
let b: Spawned<'rpc'>
let aUrl: string
let bUrl: string

function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const p = s.port
  s.stop(true)
  return p
}

const startA = () => startChild([MOSAIC, '--execution-only', '--datadir', join(dir, 'a'), '--http.port', String(port)], { ready: { rpc: SERVER }, timeoutMs: 30_000, name: 'node A' })
const startB = () =>
  startChild([MOSAIC, '--txpool-only', '--chain', 'dev', '--datadir', join(dir, 'b'), '--nodiscover', '--port', '0', '--http.port', '0', '--state.url', aUrl, '--state.poll', '100', '--txpool.forward', aUrl], {
    ready: { rpc: SERVER },
    timeoutMs: 30_000,
    name: 'process B',
  })
const transfer = (account: number, nonce: bigint) => signedTx({ account, nonce, to: TO, value: 1n, gas: 21_000n })
const hashOf = (t: Transaction) => bytesToHex(transactionHash(t))
const minedOnA = (t: Transaction) => until(async () => (await rpcRaw(aUrl, 'eth_getTransactionReceipt', [hashOf(t)])).result?.status === '0x1', 15_000)

beforeAll(async () => {
  port = freePort()
  a = await startA()
  aUrl = a.match.rpc[1]!
  b = await startB()
  bUrl = b.match.rpc[1]!
})

afterAll(async () => {
  await b?.stop()
  await a?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('txpool process B in front of execution node A', () => {
  test('a transaction sent to B appears in a block of A', async () => {
    expect(b.startLog).toContain('Following the state node')
    expect(b.startLog).toContain('Forwarding transactions')
    const t = transfer(1, 0n)
    expect(await rpc(bUrl, 'eth_sendRawTransaction', [raw(t)])).toBe(hashOf(t))
    expect(await minedOnA(t)).toBe(true)
    const receipt = await rpc(aUrl, 'eth_getTransactionReceipt', [hashOf(t)])
    const block = await rpc(aUrl, 'eth_getBlockByNumber', [receipt.blockNumber, false])
    expect(block.transactions).toContain(hashOf(t))
    // B's pool drops it once its state node's head has it
    expect(await until(async () => Number((await rpc(bUrl, 'txpool_status')).pending) === 0, 5000)).toBe(true)
  })

  test("B refuses what A's head makes invalid (a used nonce)", async () => {
    const r = await rpcRaw(bUrl, 'eth_sendRawTransaction', [raw(transfer(1, 0n))])
    expect(r.error?.message).toStartWith('nonce too low')
  })

  test("eth_callBundle on B simulates on A's head, as A does", async () => {
    const head = BigInt(await rpc(aUrl, 'eth_blockNumber'))
    const params = { txs: [raw(transfer(2, 0n)), raw(transfer(2, 1n))], blockNumber: `0x${(head + 1n).toString(16)}`, stateBlockNumber: 'latest', timestamp: 2_000_000_000 }
    expect(await until(async () => (await rpcRaw(bUrl, 'eth_callBundle', [params])).result?.stateBlockNumber === Number(head), 5000)).toBe(true)
    const viaB = await rpc(bUrl, 'eth_callBundle', [params])
    expect(viaB).toEqual(await rpc(aUrl, 'eth_callBundle', [params]))
    expect(viaB.totalGasUsed).toBe(42_000)
    expect(BigInt(viaB.coinbaseDiff)).toBeGreaterThan(0n)
    // a block B's state node has not got
    const far = await rpcRaw(bUrl, 'eth_callBundle', [{ ...params, stateBlockNumber: '0x0' }])
    expect(far.error?.code).toBe(-32000)
    expect(far.error?.message).toContain("state node's head")
  })

  test('eth_sendBundle on B goes on to A, which mines it at the top of its next block', async () => {
    const txs = [transfer(3, 0n), transfer(3, 1n)]
    const target = BigInt(await rpc(aUrl, 'eth_blockNumber')) + 1n
    const sent = await rpc(bUrl, 'eth_sendBundle', [{ txs: txs.map(raw), blockNumber: `0x${target.toString(16)}` }])
    expect(sent.bundleHash).toMatch(/^0x[0-9a-f]{64}$/)
    await rpc(aUrl, 'evm_mine')
    expect((await rpc(aUrl, 'eth_getBlockByNumber', [`0x${target.toString(16)}`, false])).transactions).toEqual(txs.map(hashOf))
    // A's own refusal comes back through B as A gave it
    const stale = await rpcRaw(bUrl, 'eth_sendBundle', [{ txs: [raw(transfer(3, 2n))], blockNumber: `0x${target.toString(16)}` }])
    expect(stale.error?.code).toBe(-32000)
    expect(stale.error?.message).toContain('already on the chain')
  })

  test('when A restarts, B retries with backoff and then forwards what arrived meanwhile', async () => {
    await until(async () => Number((await rpc(bUrl, 'txpool_status')).pending) === 0, 5000)
    // a nonce-gapped transaction waits in B's pool (and B has read its sender at A's head)
    const later = transfer(4, 1n)
    await rpc(bUrl, 'eth_sendRawTransaction', [raw(later)])
    expect(await rpc(bUrl, 'txpool_status')).toMatchObject({ pending: '0x0', queued: '0x1' })
    expect(await a.stop()).toBe(143) // SIGTERM
    // the gap closes while A is down: both become executable, and the forward fails
    const t = transfer(4, 0n)
    expect(await rpc(bUrl, 'eth_sendRawTransaction', [raw(t)])).toBe(hashOf(t))
    // at least two retries (250 ms, then 500 ms) while A is down
    expect(await until(() => (b.log().match(/Forward target unreachable, retrying/g) ?? []).length >= 2, 10_000)).toBe(true)
    expect(b.log()).toMatch(/Forward target unreachable, retrying.*in=250ms/)
    expect(b.log()).toMatch(/Forward target unreachable, retrying.*in=500ms/)
    // and B's head follower has noticed too (its polls retry before they report)
    expect(await until(() => b.log().includes('State node unreachable'), 10_000)).toBe(true)
    a = await startA()
    expect(await minedOnA(t)).toBe(true)
    expect(await minedOnA(later)).toBe(true)
    expect(await until(() => b.log().includes('Forward target reachable again'), 5000)).toBe(true)
    expect(await until(() => b.log().includes('State node reachable again'), 5000)).toBe(true)
    // and B keeps forwarding
    const next = transfer(4, 2n)
    expect(await until(async () => (await rpcRaw(bUrl, 'eth_sendRawTransaction', [raw(next)])).result === hashOf(next), 5000)).toBe(true)
    expect(await minedOnA(next)).toBe(true)
  })

  test('A keeps serving RPC when B dies', async () => {
    b.proc.kill('SIGKILL')
    await b.proc.exited
    const before = BigInt(await rpc(aUrl, 'eth_blockNumber'))
    const t = transfer(5, 0n)
    await rpc(aUrl, 'eth_sendRawTransaction', [raw(t)])
    expect(await minedOnA(t)).toBe(true)
    expect(BigInt(await rpc(aUrl, 'eth_blockNumber'))).toBeGreaterThan(before)
  })
})
