/**
 * The Engine API as a consensus client sees it: `bin/mosaic --chain genesis.json --authrpc.port
 * 0 --authrpc.jwtsecret F --http.port 0` as a child process, driven over HTTP with fresh HS256
 * tokens (src/engine/client.ts): the genesis hash, build → getPayload → newPayload VALID →
 * forkchoiceUpdated moving eth_blockNumber on the public port, a sent transaction in the next
 * payload with blockValue the fee recipient's balance change, INVALID with the parent as
 * latestValidHash, SYNCING for an unknown parent, a side-branch reorg both ways, each JWT
 * refusal a 401, malformed payloads -32602 with the chain unchanged, a fork mismatch -38005, the
 * request limits (--authrpc.max-request-size: 413, --authrpc.batch-request-limit: -32600), and
 * start-up failures (an unreadable secret file) as one line naming the flag. The dev miner
 * does not run: nothing is mined without the Engine API.
 */
import { describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { signJwt } from '../../src/engine/index.ts'
import type { Hex } from '../../src/primitives/index.ts'
import { cancunGenesis, errorCode, fcState, hex, rehashed, transfer, useEngineNode, ZERO32, type PayloadJson } from './helpers.ts'

const ROOT = join(import.meta.dir, '../..')
const MOSAIC = join(ROOT, 'bin/mosaic')
const secret = new Uint8Array(32).fill(0x42)

// the Engine API's request limits, set small (--authrpc.max-request-size, --authrpc.batch-request-limit)
const MAX_BODY = 1024 * 1024
const MAX_BATCH = 4

const env = useEngineNode('mosaic-engine-', cancunGenesis(), secret, ['--authrpc.max-request-size', String(MAX_BODY), '--authrpc.batch-request-limit', String(MAX_BATCH)])
const dir = env.dir
/** Written there by the node's start-up; the start-up tests run mosaic on it too. */
const genesisFile = join(dir, 'genesis.json')

async function rpc<T = any>(method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(env.node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await r.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}
const blockNumber = async () => Number(await rpc<string>('eth_blockNumber'))
const latestHash = async () => (await rpc<{ hash: Hex }>('eth_getBlockByNumber', ['latest', false])).hash

const BEACON = `0x${'be'.repeat(32)}` as Hex
const attrs = (timestamp: bigint, fee: Hex) => ({ timestamp: hex(timestamp), prevRandao: `0x${'01'.repeat(32)}`, suggestedFeeRecipient: fee, withdrawals: [], parentBeaconBlockRoot: BEACON })

/** forkchoiceUpdatedV3 with attributes on `parent` (head = parent), then getPayloadV3. */
async function build(parent: Hex, fee: Hex = '0x00000000000000000000000000000000000000fe'): Promise<{ payload: PayloadJson; blockValue: bigint }> {
  const block = await rpc<{ timestamp: Hex }>('eth_getBlockByHash', [parent, false])
  const r = await env.engine.call<{ payloadStatus: { status: string }; payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(parent), attrs(BigInt(block.timestamp) + 12n, fee)])
  expect(r.payloadStatus.status).toBe('VALID')
  expect(r.payloadId).toMatch(/^0x[0-9a-f]{16}$/)
  const got = await env.engine.call<{ executionPayload: PayloadJson; blockValue: Hex }>('engine_getPayloadV3', [r.payloadId])
  return { payload: got.executionPayload, blockValue: BigInt(got.blockValue) }
}
const newPayload = (p: unknown, beacon: Hex = BEACON) => env.engine.call<{ status: string; latestValidHash: Hex | null; validationError: string | null }>('engine_newPayloadV3', [p, [], beacon])
const fcu = (h: Hex) => env.engine.call<{ payloadStatus: { status: string; latestValidHash: Hex | null } }>('engine_forkchoiceUpdatedV3', [fcState(h), null])

let genesis: Hex
let a1: PayloadJson

describe('a consensus client drives mosaic over the Engine API', () => {
  test('genesis, build, newPayload VALID, forkchoiceUpdated moves eth_blockNumber', async () => {
    genesis = (await rpc<{ hash: Hex }>('eth_getBlockByNumber', ['0x0', false])).hash
    // the same eth_ subset on the Engine API port
    expect(await env.engine.call('eth_chainId')).toBe('0x539')
    expect(await env.engine.call('eth_blockNumber')).toBe('0x0')
    const { payload } = await build(genesis)
    expect(payload.parentHash).toBe(genesis)
    expect(await newPayload(payload)).toEqual({ status: 'VALID', latestValidHash: payload.blockHash, validationError: null })
    expect(await blockNumber()).toBe(0)
    expect((await fcu(payload.blockHash)).payloadStatus).toEqual({ status: 'VALID', latestValidHash: payload.blockHash, validationError: null } as never)
    expect(await blockNumber()).toBe(1)
    expect(await latestHash()).toBe(payload.blockHash)
    a1 = payload
  })

  test('a sent transaction lands in the next payload; blockValue is the fee recipient\'s balance change', async () => {
    const fee = '0x00000000000000000000000000000000000000f1' as Hex
    const hash = await rpc<Hex>('eth_sendRawTransaction', [transfer(0n, { tip: 3_000_000_000n })])
    const before = BigInt(await rpc<Hex>('eth_getBalance', [fee, 'latest']))
    const { payload, blockValue } = await build(a1.blockHash, fee)
    expect(payload.transactions).toHaveLength(1)
    expect(blockValue).toBe(21_000n * 3_000_000_000n)
    expect((await newPayload(payload)).status).toBe('VALID')
    await fcu(payload.blockHash)
    expect(BigInt(await rpc<Hex>('eth_getBalance', [fee, 'latest'])) - before).toBe(blockValue)
    expect((await rpc<{ blockHash: Hex; status: Hex }>('eth_getTransactionReceipt', [hash])).blockHash).toBe(payload.blockHash)
  })

  test('an invalid state root is INVALID with the parent as latestValidHash; an unknown parent is SYNCING', async () => {
    const headHash = await latestHash()
    const { payload } = await build(headHash)
    const bad = rehashed(payload, { stateRoot: `0x${'ab'.repeat(32)}` }, BEACON)
    const r = await newPayload(bad)
    expect([r.status, r.latestValidHash]).toEqual(['INVALID', headHash])
    expect(r.validationError).toContain('state root')
    const orphan = rehashed(payload, { parentHash: `0x${'77'.repeat(32)}`, blockNumber: '0x10' }, BEACON)
    expect(await newPayload(orphan)).toEqual({ status: 'SYNCING', latestValidHash: null, validationError: null })
    expect((await fcu(orphan.blockHash)).payloadStatus.status).toBe('SYNCING')
    expect(await latestHash()).toBe(headHash)
  })

  test('a side branch reorgs the head both ways', async () => {
    // A: a1 → a2 (the head, block 2); B: b1 → b2 on a1 with another fee recipient
    const a2 = await latestHash()
    expect(await blockNumber()).toBe(2)
    const { payload: b1 } = await buildSibling(a1.blockHash, '0x00000000000000000000000000000000000000b1')
    expect((await newPayload(b1)).status).toBe('VALID')
    expect(await latestHash()).toBe(a2)
    expect((await fcu(b1.blockHash)).payloadStatus.status).toBe('VALID')
    expect(await blockNumber()).toBe(2)
    expect(await latestHash()).toBe(b1.blockHash)
    const { payload: b2 } = await build(b1.blockHash, '0x00000000000000000000000000000000000000b2')
    expect((await newPayload(b2)).status).toBe('VALID')
    await fcu(b2.blockHash)
    expect(await blockNumber()).toBe(3)
    expect((await rpc<{ hash: Hex }>('eth_getBlockByNumber', ['0x2', false])).hash).toBe(b1.blockHash)
    // and back to A: the transaction of A's block 2 is there again
    expect((await fcu(a2)).payloadStatus.status).toBe('VALID')
    expect(await blockNumber()).toBe(2)
    expect((await rpc<{ hash: Hex }>('eth_getBlockByNumber', ['0x2', false])).hash).toBe(a2)
    expect(BigInt(await rpc<Hex>('eth_getBalance', ['0x00000000000000000000000000000000000000f1', 'latest']))).toBe(21_000n * 3_000_000_000n)
  })

  test('malformed payloads are -32602 and leave the chain unchanged; a fork mismatch is -38005', async () => {
    const headHash = await latestHash()
    const { payload } = await build(headHash)
    const { gasUsed: _, ...missing } = payload
    for (const p of [{ ...payload, stateRoot: '0x1234' }, missing, { ...payload, baseFeePerGas: '0xnothex' }, { ...payload, feeRecipient: 'f'.repeat(40) }, { ...payload, surplus: '0x01' }])
      expect(await errorCode(newPayload(p))).toBe(-32602)
    // a Cancun payload through newPayloadV2 (V2 shape) and V4: -38005
    const { blobGasUsed: _b, excessBlobGas: _e, ...v2 } = payload
    expect(await errorCode(env.engine.call('engine_newPayloadV2', [v2]))).toBe(-38005)
    expect(await errorCode(env.engine.call('engine_newPayloadV4', [payload, [], BEACON, []]))).toBe(-38005)
    expect(await errorCode(env.engine.call('engine_getPayloadV2', ['0x0000000000000000']))).toBe(-38001)
    expect(await latestHash()).toBe(headHash)
    expect((await rpc<unknown>('eth_getBlockByHash', [payload.blockHash, false]))).toBeNull()
  })

  test('each JWT refusal is a 401: no token, stale iat, alg none, wrong secret', async () => {
    const now = Math.floor(Date.now() / 1000)
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const hs = (key: Uint8Array, body: unknown) => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(body)}`
      return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`
    }
    const tokens: [string | undefined, string][] = [
      [undefined, 'missing token'],
      [signJwt(secret, {}, now - 120), 'iat'],
      [`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iat: now })}.`, 'alg'],
      [hs(new Uint8Array(32).fill(0x43), { iat: now }), 'signature'],
    ]
    for (const [token, reason] of tokens) {
      const res = await fetch(env.node.engineUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      })
      expect(res.status).toBe(401)
      expect((await res.text()).toLowerCase()).toContain(reason)
    }
  })

  test('request limits: a body over --authrpc.max-request-size is a 413, a batch over --authrpc.batch-request-limit one -32600; neither changes the chain', async () => {
    const headHash = await latestHash()
    const { payload } = await build(headHash)
    const post = (body: string) => fetch(env.node.engineUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(secret)}` }, body })
    const call = (id: number, method: string, params: unknown[]) => ({ jsonrpc: '2.0', id, method, params })
    const np = (id: number) => call(id, 'engine_newPayloadV3', [payload, [], BEACON])
    // a valid payload padded past the limit with a second, unknown member of the batch
    const unpadded = JSON.stringify([np(1), call(2, 'eth_chainId', ['0x'])])
    const padded = JSON.stringify([np(1), call(2, 'eth_chainId', ['0x' + '0'.repeat(MAX_BODY + 1 - unpadded.length)])])
    expect(padded.length).toBe(MAX_BODY + 1)
    const big = await post(padded)
    expect(big.status).toBe(413)
    expect(await big.text()).toContain(`limit ${MAX_BODY} bytes`)
    // one call too many: one error with the first call's id, and no call runs
    const over = await post(JSON.stringify([np(7), ...Array.from({ length: MAX_BATCH }, (_, i) => call(8 + i, 'eth_blockNumber', []))]))
    expect(over.status).toBe(200)
    const answer = (await over.json()) as { id: number; error: { code: number; message: string } }[]
    expect(answer).toHaveLength(1)
    expect([answer[0]!.id, answer[0]!.error.code]).toEqual([7, -32600])
    expect(answer[0]!.error.message).toContain('batch too large')
    expect(await rpc('eth_getBlockByHash', [payload.blockHash, false])).toBeNull()
    expect(await latestHash()).toBe(headHash)
    // at the limit the batch runs
    const within = (await (await post(JSON.stringify([np(1), ...Array.from({ length: MAX_BATCH - 1 }, (_, i) => call(2 + i, 'eth_blockNumber', []))]))).json()) as { result: unknown }[]
    expect(within).toHaveLength(MAX_BATCH)
    expect((within[0]!.result as { status: string }).status).toBe('VALID')
    expect(await latestHash()).toBe(headHash)
  })

  test('a 50 MiB body is refused (413) and changes nothing; out-of-order calls get their errors', async () => {
    const headHash = await latestHash()
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine_newPayloadV3', params: ['0x' + '00'.repeat(50 * 1024 * 1024)] })
    const res = await fetch(env.node.engineUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${signJwt(secret)}` }, body })
    expect(res.status).toBe(413)
    expect(await latestHash()).toBe(headHash)
    // a getPayload for a build never started; a forkchoiceUpdated to a block never sent
    expect(await errorCode(env.engine.call('engine_getPayloadV3', ['0x0123456789abcdef']))).toBe(-38001)
    expect((await fcu(`0x${'66'.repeat(32)}`)).payloadStatus.status).toBe('SYNCING')
    expect(await latestHash()).toBe(headHash)
  })

  test('nothing is mined without the Engine API', async () => {
    const n = await blockNumber()
    await rpc('eth_sendRawTransaction', [transfer(1n)])
    await Bun.sleep(300)
    expect(await blockNumber()).toBe(n)
    expect(env.node.log).not.toContain('Mined block')
  })
})

/**
 * An empty child of `parent`, a non-head block, made by hand: no build starts on a canonical
 * ancestor of the head (paris.md forkchoiceUpdated 2). Without transactions, withdrawals or a
 * beacon-roots contract its state root is its parent's; the base fee and excess blob gas are
 * those of `parent`'s canonical child.
 */
async function buildSibling(parent: Hex, fee: Hex): Promise<{ payload: PayloadJson }> {
  const p = await rpc<{ stateRoot: Hex; timestamp: Hex; number: Hex; gasLimit: Hex }>('eth_getBlockByHash', [parent, false])
  const child = await rpc<{ baseFeePerGas: Hex; excessBlobGas: Hex }>('eth_getBlockByNumber', [hex(BigInt(p.number) + 1n), false])
  const empty: PayloadJson = {
    parentHash: parent,
    feeRecipient: fee,
    stateRoot: p.stateRoot,
    receiptsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
    logsBloom: `0x${'00'.repeat(256)}`,
    prevRandao: `0x${'02'.repeat(32)}`,
    blockNumber: hex(BigInt(p.number) + 1n),
    gasLimit: p.gasLimit,
    gasUsed: '0x0',
    timestamp: hex(BigInt(p.timestamp) + 6n),
    extraData: '0x',
    baseFeePerGas: child.baseFeePerGas,
    blockHash: ZERO32,
    transactions: [],
    withdrawals: [],
    blobGasUsed: '0x0',
    excessBlobGas: child.excessBlobGas,
  }
  return { payload: rehashed(empty, {}, BEACON) }
}

describe('start-up', () => {
  const run = (args: string[]) => {
    const p = Bun.spawnSync([MOSAIC, ...args], { stderr: 'pipe', stdout: 'pipe', env: { ...process.env, HOME: dir } })
    return { code: p.exitCode, err: p.stderr.toString() }
  }
  test('an unreadable or malformed --authrpc.jwtsecret exits with one line naming the flag', () => {
    writeFileSync(join(dir, 'bad.hex'), 'not a key')
    for (const file of [join(dir, 'missing.hex'), join(dir, 'bad.hex')]) {
      const r = run(['--chain', genesisFile, '--authrpc.jwtsecret', file, '--authrpc.port', '0', '--http.port', '0', '--dev.memory', '--datadir', join(dir, 'x')])
      expect(r.code).toBe(1)
      expect(r.err.trim().split('\n')).toHaveLength(1)
      expect(r.err).toContain('--authrpc.jwtsecret')
      expect(r.err).toContain(file)
    }
  })
})
