/**
 * cl-mock on Prague and Osaka chains, through processes:
 *
 * - Prague at genesis: the round trip (cl-mock learning the fork from -38005 answers) with an
 *   EIP-7702 transaction from viem (`signAuthorization`); B follows to the same head and state
 *   root; an EIP-7002 withdrawal request then makes a V4 payload with executionRequests, which
 *   `--follow` refuses by name (JSON-RPC does not serve requests); the version and fork
 *   mismatches answer -38005 and -32602 over HTTP.
 * - Osaka at genesis: the round trip with `--chain` (getPayloadV5), getPayloadV4 -38005.
 * - Cancun → Prague → Osaka within one run: the probed schedule follows the forks.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseGwei, type Hex } from 'viem'
import { createEngineClient } from '../../src/engine/index.ts'
import { hexToBytes } from '../../src/primitives/index.ts'
import { errorCode, fcState, hex } from '../engine/helpers.ts'
import { cleanup, clMock, genesis, latest, logLines, rpc, SECRET_HEX, startNode, viemClients, waitForHead, workdir, type Node } from './nodes.ts'

const work = workdir()
let pa: Node, pb: Node, oa: Node, ob: Node, tx: Node
const osakaGenesis = genesis({ pragueTime: 0, osakaTime: 0 })
const osakaFile = join(work.dir, 'osaka.json')
writeFileSync(osakaFile, JSON.stringify(osakaGenesis))

beforeAll(async () => {
  const prague = genesis({ pragueTime: 0 })
  ;[pa, pb, oa, ob, tx] = await Promise.all([
    startNode(prague, 'pa', work),
    startNode(prague, 'pb', work),
    startNode(osakaGenesis, 'oa', work),
    startNode(osakaGenesis, 'ob', work),
    startNode(genesis({ pragueTime: 3, osakaTime: 6 }), 'tx', work),
  ])
}, 60_000)

afterAll(async () => {
  await Promise.all([pa, pb, oa, ob, tx].map((n) => n?.stop()))
  cleanup()
})

const drive = (n: Node, ...args: string[]) => clMock(['--engine', n.engineUrl, '--jwtsecret', work.secretFile, ...args])
const follow = (n: Node, from: Node, ...args: string[]) => drive(n, '--follow', from.rpcUrl, ...args)
const DELEGATE = '0x00000000000000000000000000000000000de1e7' as Hex
const WITHDRAWAL_REQUESTS = '0x00000961ef480eb55e80d19ad83579a64c007002' as Hex

test('Prague: a 7702 transaction through cl-mock slots; B follows to the same head and state root', async () => {
  const run = drive(pa, '--slot-time', '0.1', '--blocks', '10')
  const sponsor = viemClients(pa.rpcUrl, 0)
  const authority = viemClients(pa.rpcUrl, 3)
  const authorization = await authority.wallet.signAuthorization({ account: authority.account, contractAddress: DELEGATE })
  const hash = await sponsor.wallet.sendTransaction({ to: authority.account.address, authorizationList: [authorization], gas: 100_000n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('1') })
  expect((await sponsor.public.waitForTransactionReceipt({ hash, timeout: 10_000 })).status).toBe('success')
  expect(await rpc(pa.rpcUrl, 'eth_getCode', [authority.account.address, 'latest'])).toBe(`0xef0100${DELEGATE.slice(2)}`)
  const res = await run.done
  expect(res.code).toBe(0)
  const slots = logLines(res.log, 'Slot')
  expect(slots).toHaveLength(10)
  expect(slots.every((s) => s.fork === 'prague' && s.requests === '0')).toBe(true)

  const head = await latest(pa.rpcUrl)
  const b = await follow(pb, pa, '--slot-time', '0', '--blocks', '10').done
  expect(b.code).toBe(0)
  expect(await latest(pb.rpcUrl)).toEqual(head)
  expect(await rpc(pb.rpcUrl, 'eth_getCode', [authority.account.address, 'latest'])).toBe(`0xef0100${DELEGATE.slice(2)}`)
}, 30_000)

test('Prague: a withdrawal request makes a payload with executionRequests; --follow refuses it by name', async () => {
  const u = viemClients(pa.rpcUrl, 1)
  const fee = BigInt(await rpc<Hex>(pa.rpcUrl, 'eth_call', [{ to: WITHDRAWAL_REQUESTS, data: '0x' }, 'latest']))
  // EIP-7002: 48-byte validator pubkey and an 8-byte amount
  const data = `0x${'ab'.repeat(48)}${'00'.repeat(8)}` as Hex
  await u.wallet.sendTransaction({ to: WITHDRAWAL_REQUESTS, data, value: fee, gas: 200_000n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('1') })
  const res = await drive(pa, '--slot-time', '0', '--blocks', '1').done
  expect(res.code).toBe(0)
  expect(logLines(res.log, 'Slot')[0]).toMatchObject({ fork: 'prague', txs: '1', requests: '1' })
  const b = await follow(pb, pa, '--slot-time', '0', '--blocks', '1').done
  expect(b.code).toBe(1)
  expect(b.log).toContain('carries execution requests')
}, 20_000)

test('Prague: version and fork mismatches answer -38005 and -32602 over HTTP', async () => {
  const engine = createEngineClient({ url: pa.engineUrl, secret: hexToBytes(`0x${SECRET_HEX}`) })
  const head = await latest(pa.rpcUrl)
  const { timestamp } = await rpc<{ timestamp: Hex }>(pa.rpcUrl, 'eth_getBlockByHash', [head.hash, false])
  const beacon = `0x${'be'.repeat(32)}` as Hex
  const attrs = { timestamp: hex(BigInt(timestamp) + 1n), prevRandao: beacon, suggestedFeeRecipient: `0x${'00'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: beacon }
  const { payloadId } = await engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(head.hash), attrs])
  expect(await errorCode(engine.call('engine_getPayloadV3', [payloadId]))).toBe(-38005)
  expect(await errorCode(engine.call('engine_getPayloadV5', [payloadId]))).toBe(-38005)
  const { withdrawals: _, parentBeaconBlockRoot: __, ...v1attrs } = attrs
  expect(await errorCode(engine.call('engine_forkchoiceUpdatedV2', [fcState(head.hash), { ...v1attrs, withdrawals: [] }]))).toBe(-38005)
  const got = await engine.call<{ executionPayload: Record<string, unknown>; executionRequests: Hex[] }>('engine_getPayloadV4', [payloadId])
  expect(got.executionRequests).toEqual([])
  const p = got.executionPayload
  expect(await errorCode(engine.call('engine_newPayloadV3', [p, [], beacon]))).toBe(-38005)
  expect(await errorCode(engine.call('engine_newPayloadV4', [p, [], beacon, null]))).toBe(-32602)
  expect(await errorCode(engine.call('engine_newPayloadV4', [p, [], beacon, ['0x00']]))).toBe(-32602)
  expect(await errorCode(engine.call('engine_newPayloadV4', [{ ...p, blobGasUsed: undefined }, [], beacon, []]))).toBe(-32602)
  expect(await engine.call('engine_newPayloadV4', [p, [], beacon, []])).toMatchObject({ status: 'VALID' })
}, 20_000)

test('Osaka: the round trip with --chain (getPayloadV5); getPayloadV4 is -38005', async () => {
  const u = viemClients(oa.rpcUrl, 0)
  const hash = await u.wallet.sendTransaction({ to: DELEGATE, value: 5n, gas: 21_000n, maxFeePerGas: parseGwei('30'), maxPriorityFeePerGas: parseGwei('2') })
  const res = await drive(oa, '--chain', osakaFile, '--slot-time', '0', '--blocks', '5', '--blobs').done
  expect(res.code).toBe(0)
  const slots = logLines(res.log, 'Slot')
  expect(slots.map((s) => s.fork)).toEqual(['osaka', 'osaka', 'osaka', 'osaka', 'osaka'])
  expect(slots[0]!.txs).toBe('1')
  const b = follow(ob, oa, '--slot-time', '0')
  const head = await latest(oa.rpcUrl)
  await waitForHead(ob.rpcUrl, head.hash)
  expect((await latest(ob.rpcUrl)).stateRoot).toBe(head.stateRoot)
  expect((await rpc<{ status: Hex }>(ob.rpcUrl, 'eth_getTransactionReceipt', [hash])).status).toBe('0x1')
  b.proc.kill('SIGINT')
  expect((await b.done).code).toBe(0)

  const engine = createEngineClient({ url: oa.engineUrl, secret: hexToBytes(`0x${SECRET_HEX}`) })
  const beacon = `0x${'be'.repeat(32)}` as Hex
  const { timestamp } = await rpc<{ timestamp: Hex }>(oa.rpcUrl, 'eth_getBlockByHash', [head.hash, false])
  const attrs = { timestamp: hex(BigInt(timestamp) + 1n), prevRandao: beacon, suggestedFeeRecipient: `0x${'00'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: beacon }
  const { payloadId } = await engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(head.hash), attrs])
  expect(await errorCode(engine.call('engine_getPayloadV4', [payloadId]))).toBe(-38005)
  expect(await engine.call('engine_getPayloadV5', [payloadId])).toMatchObject({ blobsBundle: { blobs: [] }, executionRequests: [] })
}, 30_000)

test('Cancun → Prague → Osaka in one run: the probed schedule follows the forks', async () => {
  const res = await drive(tx, '--slot-time', '0', '--blocks', '8').done
  expect(res.code).toBe(0)
  expect(logLines(res.log, 'Slot').map((s) => s.fork)).toEqual(['cancun', 'cancun', 'prague', 'prague', 'prague', 'osaka', 'osaka', 'osaka'])
}, 20_000)
