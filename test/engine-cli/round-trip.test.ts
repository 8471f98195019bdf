/**
 * The payload round trip through processes, on a Cancun genesis: node A (`bin/mosaic` in Engine
 * API mode) is driven by `bin/mosaic cl-mock` over 50 slots while viem sends a legacy, an
 * EIP-2930, an EIP-1559 and a blob transaction to A's public RPC; node B, driven by `cl-mock
 * --follow <A's RPC>`, ends on A's head hash and state root. Each slot's blockValue (from
 * getPayload, in cl-mock's log line) is the fee recipient's balance change in that block. And
 * cl-mock's failures: a wrong JWT secret and an unreachable engine end it with one clear line.
 *
 * The blob is the zero blob: its KZG commitment and proof are both the point at infinity, so
 * the sidecar is valid (c-kzg verifies it) without a KZG library in the test.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseGwei, type Hex } from 'viem'
import { hexToBytes } from '../../src/primitives/index.ts'
import { cleanup, clMock, genesis, latest, logLines, rpc, startNode, viemClients, waitForHead, workdir, type Node } from './nodes.ts'

const work = workdir()
let a: Node
let b: Node

beforeAll(async () => {
  ;[a, b] = await Promise.all([startNode(genesis(), 'a', work), startNode(genesis(), 'b', work)])
}, 40_000)

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  cleanup()
})

const FEE = '0x00000000000000000000000000000000000fee01' as Hex
const TO = '0x000000000000000000000000000000000000dead' as Hex
const ZERO_BLOB = `0x${'00'.repeat(131_072)}` as Hex
const INFINITY = hexToBytes(`0xc0${'00'.repeat(47)}`)
/** KZG for the zero blob only: its polynomial is zero, so commitment and proof are the point at infinity. */
const zeroBlobKzg = { blobToKzgCommitment: () => INFINITY, computeBlobKzgProof: () => INFINITY }

test('a wrong JWT secret and an unreachable engine end cl-mock with a clear message', async () => {
  const bad = join(work.dir, 'wrong.hex')
  writeFileSync(bad, '43'.repeat(32))
  const [refused, unreachable, usage] = await Promise.all([
    clMock(['--engine', a.engineUrl, '--jwtsecret', bad, '--slot-time', '0', '--blocks', '1']).done,
    clMock(['--engine', 'http://127.0.0.1:1', '--jwtsecret', work.secretFile, '--blocks', '1']).done,
    clMock(['--engine', a.engineUrl, '--jwtsecret', work.secretFile, '--blocks', 'many']).done,
  ])
  expect(refused.code).toBe(1)
  expect(refused.log).toContain('refused the JWT (HTTP 401): check --jwtsecret')
  expect(unreachable.code).toBe(1)
  expect(unreachable.log).toContain('cannot reach the engine at http://127.0.0.1:1 (check --engine')
  expect(usage.code).toBe(2)
  expect(usage.log).toContain('--blocks must be a whole number')
  expect((await latest(a.rpcUrl)).number).toBe('0x0')
}, 20_000)

test('cl-mock builds 50 slots on A while viem sends transactions; B follows A to the same head and state root', async () => {
  const runA = clMock(['--engine', a.engineUrl, '--jwtsecret', work.secretFile, '--slot-time', '0.1', '--blocks', '50', '--fee-recipient', FEE, '--withdrawals', '--blobs'])
  const runB = clMock(['--engine', b.engineUrl, '--jwtsecret', work.secretFile, '--follow', a.rpcUrl, '--slot-time', '0.05'])
  const u0 = viemClients(a.rpcUrl, 0)
  const u1 = viemClients(a.rpcUrl, 1)
  const u2 = viemClients(a.rpcUrl, 2)
  const sent: Hex[] = []
  const mined = async (hash: Hex) => {
    sent.push(hash)
    const r = await u0.public.waitForTransactionReceipt({ hash, timeout: 10_000 })
    expect(r.status).toBe('success')
    return r
  }
  await mined(await u0.wallet.sendTransaction({ to: TO, value: 1n, type: 'legacy', gasPrice: parseGwei('3') }))
  await mined(await u0.wallet.sendTransaction({ to: TO, value: 2n, type: 'eip2930', gasPrice: parseGwei('3'), accessList: [{ address: TO, storageKeys: [] }] }))
  await mined(await u1.wallet.sendTransaction({ to: TO, value: 3n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('2') }))
  const blob = await mined(await u2.wallet.sendTransaction({ to: TO, blobs: [ZERO_BLOB], kzg: zeroBlobKzg, gas: 21_000n, maxFeePerBlobGas: parseGwei('30'), maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('1') }))

  const resA = await runA.done
  expect(resA.code).toBe(0)
  const slots = logLines(resA.log, 'Slot')
  expect(slots.map((s) => Number(s.number))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
  expect(slots.every((s) => s.fork === 'cancun')).toBe(true)
  expect(slots.reduce((n, s) => n + Number(s.txs), 0)).toBe(4)
  // the blob transaction's block carried its blob (cl-mock --blobs checked the bundle)
  expect(slots.find((s) => BigInt(s.number!) === blob.blockNumber)!.blobs).toBe('1')
  // blockValue = the fee recipient's balance change, block by block
  const balance = async (n: number) => BigInt(await rpc<Hex>(a.rpcUrl, 'eth_getBalance', [FEE, `0x${n.toString(16)}`]))
  const balances = await Promise.all(Array.from({ length: 51 }, (_, n) => balance(n)))
  for (const s of slots) expect(balances[Number(s.number)]! - balances[Number(s.number) - 1]!).toBe(BigInt(s.value!))
  expect(slots.filter((s) => BigInt(s.value!) > 0n)).toHaveLength(4)
  // four synthetic withdrawals per block of 1..4 million Gwei
  expect(BigInt(await rpc<Hex>(a.rpcUrl, 'eth_getBalance', ['0x00000000000000000000000000000000000000c3', 'latest']))).toBe(50n * 4_000_000n * 10n ** 9n)

  const headA = await latest(a.rpcUrl)
  expect(headA.number).toBe('0x32')
  await waitForHead(b.rpcUrl, headA.hash)
  expect((await latest(b.rpcUrl)).stateRoot).toBe(headA.stateRoot)
  for (const h of sent) expect((await rpc<{ status: Hex }>(b.rpcUrl, 'eth_getTransactionReceipt', [h])).status).toBe('0x1')
  runB.proc.kill('SIGTERM')
  const resB = await runB.done
  expect(resB.code).toBe(0)
  expect(resB.log).toContain('Stopped')
  expect(logLines(resB.log, 'Followed')).toHaveLength(50)
}, 60_000)
