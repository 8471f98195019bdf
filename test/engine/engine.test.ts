/**
 * The stateful Engine API in process (createEngine over a Blockchain in memory and a pool):
 * build → getPayload → newPayload → forkchoiceUpdated, statuses (VALID, INVALID with the last
 * valid ancestor, remembered invalid blocks and descendants, SYNCING), side-branch reorgs both
 * ways, the -380xx errors with the chain left as it was, and the background build picking up
 * transactions that arrive after forkchoiceUpdated.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { Blockchain } from '../../src/blockchain/index.ts'
import { dev, parseGenesisJson, type ChainSpec } from '../../src/chainspec/index.ts'
import { createEngine, payloadId, type Engine, type SyncTarget } from '../../src/engine/index.ts'
import { bytesToHex, hexToBytes, parseAddress, type Hex } from '../../src/primitives/index.ts'
import { openMemoryStore } from '../../src/storage/index.ts'
import { createTxPool, specRules, type TransactionPool } from '../../src/txpool/index.ts'
import { buildBlock } from '../../src/payload/index.ts'
import { decodeTransaction } from '../../src/types/index.ts'
import { cancunGenesis, cancunSpec, errorCode, fcState, hex, rehashed, transfer, ZERO32, type PayloadJson } from './helpers.ts'

interface Setup {
  chain: Blockchain
  pool: TransactionPool
  engine: Engine
  imports: () => number
}

const running: Engine[] = []
afterEach(() => running.splice(0).forEach((e) => e.stop()))

function setup(spec: ChainSpec = cancunSpec(), build: { intervalMs: number; timeoutMs: number; maxPayloads?: number } = { intervalMs: 40, timeoutMs: 5_000 }): Setup {
  const chain = Blockchain.open(openMemoryStore(), spec)
  const pool = createTxPool({ head: () => ({ header: chain.head(), state: chain.latestState() }), rules: specRules(chain.spec) }, { minTip: 0n })
  chain.onHead(() => pool.promote())
  let imports = 0
  const counted = new Proxy(chain, {
    get(target, key) {
      if (key === 'importBlock') return (...a: Parameters<Blockchain['importBlock']>) => (imports++, target.importBlock(...a))
      const v = Reflect.get(target, key, target)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
  const engine = createEngine({ chain: counted, pool, version: '0.0.0-test', commit: '0x01020304', build })
  running.push(engine)
  return { chain, pool, engine, imports: () => imports }
}

const head = (s: Setup) => bytesToHex(s.chain.headBlockHash())
const attrs = (timestamp: bigint, feeRecipient = '0x00000000000000000000000000000000000000fe') => ({
  timestamp: hex(timestamp),
  prevRandao: `0x${'11'.repeat(32)}`,
  suggestedFeeRecipient: feeRecipient,
  withdrawals: [],
  parentBeaconBlockRoot: `0x${'22'.repeat(32)}`,
})
const BEACON = `0x${'22'.repeat(32)}` as Hex


/** fcU with attributes on `parent`, then getPayloadV3. */
async function build(s: Setup, parent: Hex, fee?: string): Promise<{ payload: PayloadJson; blockValue: bigint }> {
  const ts = s.chain.headerByHash(hexToBytes(parent))!.timestamp + 12n
  const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(parent), attrs(ts, fee)])) as { payloadStatus: { status: string }; payloadId: Hex }
  expect(r.payloadStatus.status).toBe('VALID')
  const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson; blockValue: Hex; blobsBundle: unknown; shouldOverrideBuilder: boolean }
  expect(got.shouldOverrideBuilder).toBe(false)
  expect(got.blobsBundle).toEqual({ commitments: [], proofs: [], blobs: [] })
  return { payload: got.executionPayload, blockValue: BigInt(got.blockValue) }
}

const newPayload = (s: Setup, p: PayloadJson) => s.engine.call('engine_newPayloadV3', [p, [], BEACON]) as Promise<{ status: string; latestValidHash: Hex | null; validationError: string | null }>
const fcu = (s: Setup, h: Hex, safe?: Hex, fin?: Hex) => s.engine.call('engine_forkchoiceUpdatedV3', [fcState(h, safe, fin), null]) as Promise<{ payloadStatus: { status: string; latestValidHash: Hex | null }; payloadId: Hex | null }>

/** Builds, validates and makes the head one block on the current head. */
async function extend(s: Setup): Promise<PayloadJson> {
  const { payload } = await build(s, head(s))
  expect((await newPayload(s, payload)).status).toBe('VALID')
  expect((await fcu(s, payload.blockHash)).payloadStatus.status).toBe('VALID')
  return payload
}

describe('the payload round trip', () => {
  test('build, newPayload VALID without moving the head, forkchoiceUpdated moves it', async () => {
    const s = setup()
    const genesis = head(s)
    const { payload } = await build(s, genesis)
    expect(payload.parentHash).toBe(genesis)
    expect((await newPayload(s, payload))).toEqual({ status: 'VALID', latestValidHash: payload.blockHash, validationError: null })
    expect(head(s)).toBe(genesis)
    expect(await fcu(s, payload.blockHash, genesis, genesis)).toEqual({ payloadStatus: { status: 'VALID', latestValidHash: payload.blockHash, validationError: null }, payloadId: null } as never)
    expect(head(s)).toBe(payload.blockHash)
    // the built block was stored from its build, not executed again
    expect(s.imports()).toBe(0)
  })

  test('pool transactions land in the payload; blockValue is the fee recipient\'s gain', async () => {
    const s = setup()
    const fee = '0x00000000000000000000000000000000000000fe'
    for (let n = 0n; n < 3n; n++) s.pool.add(decodeTransaction(hexToBytes(transfer(n))))
    const { payload, blockValue } = await build(s, head(s), fee)
    expect((payload.transactions as string[]).length).toBe(3)
    expect(blockValue).toBe(3n * 21_000n * 2_000_000_000n)
    await newPayload(s, payload)
    await fcu(s, payload.blockHash)
    const balance = s.chain.stateAt(s.chain.headBlockHash())!.getAccount(parseAddress(fee))?.balance ?? 0n
    expect(balance).toBe(blockValue)
    expect(s.pool.status().pending).toBe(0)
  })

  test('builds are bounded and stop improving after their timeout', async () => {
    const s = setup(cancunSpec(), { intervalMs: 20, timeoutMs: 60, maxPayloads: 2 })
    const ids: Hex[] = []
    for (const fee of ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2', '0x00000000000000000000000000000000000000a3'])
      ids.push(((await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n, fee)])) as { payloadId: Hex }).payloadId)
    expect(await errorCode(s.engine.call('engine_getPayloadV3', [ids[0]]))).toBe(-38001)
    await Bun.sleep(120)
    s.pool.add(decodeTransaction(hexToBytes(transfer(0n))))
    await Bun.sleep(60)
    const got = (await s.engine.call('engine_getPayloadV3', [ids[2]])) as { executionPayload: PayloadJson }
    expect(got.executionPayload.transactions).toEqual([])
  })

  test('the build keeps improving: a transaction sent after forkchoiceUpdated is in getPayload', async () => {
    const s = setup()
    const ts = s.chain.head().timestamp + 12n
    const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(ts)])) as { payloadId: Hex }
    await Bun.sleep(20)
    s.pool.add(decodeTransaction(hexToBytes(transfer(0n))))
    await Bun.sleep(150)
    const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
    expect((got.executionPayload.transactions as string[]).length).toBe(1)
    // the same attributes find the same build
    const again = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(ts)])) as { payloadId: Hex }
    expect(again.payloadId).toBe(r.payloadId)
  })
})

describe('statuses', () => {
  test('an invalid state root is INVALID with the parent as latestValidHash, remembered with its descendants', async () => {
    const s = setup()
    const a1 = await extend(s)
    const { payload } = await build(s, a1.blockHash)
    const bad = rehashed(payload, { stateRoot: `0x${'ab'.repeat(32)}` }, BEACON)
    const r = await newPayload(s, bad)
    expect(r.status).toBe('INVALID')
    expect(r.latestValidHash).toBe(a1.blockHash)
    expect(r.validationError).toContain('state root')
    const executed = s.imports()
    expect(executed).toBe(1)
    // again: the same answer without executing
    expect(await newPayload(s, bad)).toEqual(r)
    // a child of it: INVALID, the same last valid ancestor
    const child = rehashed(bad, { parentHash: bad.blockHash, blockNumber: hex(BigInt(bad.blockNumber) + 1n), timestamp: hex(BigInt(bad.timestamp) + 12n) }, BEACON)
    const c = await newPayload(s, child)
    expect([c.status, c.latestValidHash]).toEqual(['INVALID', a1.blockHash])
    expect(s.imports()).toBe(executed)
    // forkchoiceUpdated to it: INVALID, the head stays
    expect((await fcu(s, bad.blockHash)).payloadStatus).toMatchObject({ status: 'INVALID', latestValidHash: a1.blockHash })
    expect(head(s)).toBe(a1.blockHash)
  })

  test('a wrong block hash is INVALID with latestValidHash null (V3) and not remembered', async () => {
    const s = setup()
    const { payload } = await build(s, head(s))
    const r = await newPayload(s, { ...payload, blockHash: `0x${'cd'.repeat(32)}` as Hex })
    expect([r.status, r.latestValidHash]).toEqual(['INVALID', null])
    expect((await newPayload(s, payload)).status).toBe('VALID')
  })

  test('an unknown parent is SYNCING; forkchoiceUpdated to an unknown head is SYNCING and moves nothing', async () => {
    const s = setup()
    const { payload } = await build(s, head(s))
    const orphan = rehashed(payload, { parentHash: `0x${'77'.repeat(32)}`, blockNumber: '0x5' }, BEACON)
    expect(await newPayload(s, orphan)).toEqual({ status: 'SYNCING', latestValidHash: null, validationError: null })
    const before = head(s)
    const r = await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(orphan.blockHash), attrs(100n)])
    expect(r).toEqual({ payloadStatus: { status: 'SYNCING', latestValidHash: null, validationError: null }, payloadId: null })
    expect(head(s)).toBe(before)
  })

  test('an unknown head or parent names the sync target (onSyncTarget); a known one does not', async () => {
    const targets: SyncTarget[] = []
    const chain = Blockchain.open(openMemoryStore(), cancunSpec())
    const engine = createEngine({ chain, version: '0.0.0-test', onSyncTarget: (t) => targets.push(t) })
    running.push(engine)
    const s = { chain, engine } as Setup
    const { payload } = await build(s, head(s))
    const orphan = rehashed(payload, { parentHash: `0x${'77'.repeat(32)}`, blockNumber: '0x5' }, BEACON)
    expect((await newPayload(s, orphan)).status).toBe('SYNCING')
    expect(targets.map((t) => bytesToHex(t.hash))).toEqual([orphan.blockHash])
    expect(targets[0]!.block?.header.number).toBe(5n)
    const unknown = `0x${'66'.repeat(32)}` as Hex
    await engine.call('engine_forkchoiceUpdatedV3', [fcState(unknown), null])
    expect(targets.map((t) => bytesToHex(t.hash))).toEqual([orphan.blockHash, unknown])
    expect(bytesToHex(targets[1]!.state!.headBlockHash)).toBe(unknown)
    expect((await newPayload(s, payload)).status).toBe('VALID') // parent known: no target
    await engine.call('engine_forkchoiceUpdatedV3', [fcState(payload.blockHash), null])
    expect(targets).toHaveLength(2)
  })

  test('a side branch reorgs the head both ways', async () => {
    const s = setup()
    const genesis = head(s)
    // branch B forks at genesis (built while genesis is the head: no build starts on a
    // canonical ancestor); a different fee recipient makes a different block
    const { payload: b1 } = await build(s, genesis, '0x00000000000000000000000000000000000000b1')
    s.pool.add(decodeTransaction(hexToBytes(transfer(0n))))
    const a1 = await extend(s)
    const a2 = await extend(s)
    expect(b1.blockHash).not.toBe(a1.blockHash)
    expect((await newPayload(s, b1)).status).toBe('VALID')
    expect(head(s)).toBe(a2.blockHash)
    expect((await fcu(s, b1.blockHash)).payloadStatus.status).toBe('VALID')
    expect(head(s)).toBe(b1.blockHash)
    expect(s.chain.head().number).toBe(1n)
    expect(bytesToHex(s.chain.canonicalHash(1n)!)).toBe(b1.blockHash)
    // back to A, and its transaction is mined again on the canonical chain
    expect((await fcu(s, a2.blockHash)).payloadStatus.status).toBe('VALID')
    expect(head(s)).toBe(a2.blockHash)
    expect(bytesToHex(s.chain.canonicalHash(1n)!)).toBe(a1.blockHash)
    expect(s.chain.stateAt(s.chain.headBlockHash())!.getAccount(parseAddress('0x000000000000000000000000000000000000dead'))!.balance).toBe(1n)
  })

  test('forkchoiceUpdated to a canonical ancestor: VALID, no move, no build', async () => {
    const s = setup()
    const a1 = await extend(s)
    const a2 = await extend(s)
    const r = await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(a1.blockHash), attrs(BigInt(a2.timestamp) + 12n)])
    expect(r).toEqual({ payloadStatus: { status: 'VALID', latestValidHash: a1.blockHash, validationError: null }, payloadId: null })
    expect(head(s)).toBe(a2.blockHash)
  })
})

describe('errors leave the chain as it was', () => {
  test('-38002: safe or finalized unknown or off the head\'s chain', async () => {
    const s = setup()
    const genesis = head(s)
    const { payload: b1 } = await build(s, genesis, '0x00000000000000000000000000000000000000b1')
    const a1 = await extend(s)
    await newPayload(s, b1)
    const { payload: a2 } = await build(s, a1.blockHash)
    await newPayload(s, a2)
    expect(await errorCode(fcu(s, a2.blockHash, b1.blockHash))).toBe(-38002)
    expect(await errorCode(fcu(s, a2.blockHash, ZERO32, b1.blockHash))).toBe(-38002)
    expect(await errorCode(fcu(s, a2.blockHash, `0x${'99'.repeat(32)}`))).toBe(-38002)
    expect(head(s)).toBe(a1.blockHash)
    // the genesis is safe and finalized from the start
    expect(s.chain.safe()!.number).toBe(0n)
    // consistent: applied
    expect((await fcu(s, a2.blockHash, a1.blockHash, genesis)).payloadStatus.status).toBe('VALID')
    expect([s.chain.safe()!.number, s.chain.finalized()!.number, s.chain.head().number]).toEqual([1n, 0n, 2n])
  })

  test('-38003: attributes with a timestamp not after the head\'s; the head still moves', async () => {
    const s = setup()
    const { payload } = await build(s, head(s))
    await newPayload(s, payload)
    expect(await errorCode(s.engine.call('engine_forkchoiceUpdatedV3', [fcState(payload.blockHash), attrs(BigInt(payload.timestamp))]))).toBe(-38003)
    expect(head(s)).toBe(payload.blockHash)
    // a V2 attributes shape at a Cancun time
    const { parentBeaconBlockRoot: _, ...v2 } = attrs(BigInt(payload.timestamp) + 1n)
    expect(await errorCode(s.engine.call('engine_forkchoiceUpdatedV3', [fcState(payload.blockHash), v2]))).toBe(-38003)
  })

  test('a chain whose blocks cannot be built (Prague without its system contracts): -32000 naming why', async () => {
    const s = setup(parseGenesisJson(cancunGenesis({ pragueTime: 0 })))
    const err = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n)]).catch((e) => e)) as { rpcCode: number; data: { err: string } }
    expect(err.rpcCode).toBe(-32000)
    expect(err.data.err).toContain('system contract')
  })

  test('-38001 for an unknown payload id; -38005 for a version of another fork', async () => {
    const s = setup()
    expect(await errorCode(s.engine.call('engine_getPayloadV3', ['0x0102030405060708']))).toBe(-38001)
    const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n)])) as { payloadId: Hex }
    expect(await errorCode(s.engine.call('engine_getPayloadV2', [r.payloadId]))).toBe(-38005)
    expect(await errorCode(s.engine.call('engine_getPayloadV4', [r.payloadId]))).toBe(-38005)
    const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
    const { blobGasUsed: _b, excessBlobGas: _e, ...v2 } = got.executionPayload
    expect(await errorCode(s.engine.call('engine_newPayloadV2', [v2]))).toBe(-38005)
    expect(await errorCode(s.engine.call('engine_newPayloadV4', [got.executionPayload, [], BEACON, []]))).toBe(-38005)
    expect(await errorCode(s.engine.call('engine_forkchoiceUpdatedV2', [fcState(head(s)), { timestamp: '0xc', prevRandao: ZERO32, suggestedFeeRecipient: `0x${'00'.repeat(20)}`, withdrawals: [] }]))).toBe(-38005)
    expect(s.chain.head().number).toBe(0n)
  })

  test('malformed payloads are -32602 and store nothing', async () => {
    const s = setup()
    const { payload } = await build(s, head(s))
    const { stateRoot: _, ...missing } = payload
    const cases: unknown[] = [
      { ...payload, stateRoot: '0x1234' },
      missing,
      { ...payload, gasUsed: '0xzz' },
      { ...payload, extra: '0x00' },
      { ...payload, logsBloom: '0x00' },
    ]
    for (const p of cases) expect(await errorCode(s.engine.call('engine_newPayloadV3', [p, [], BEACON]))).toBe(-32602)
    expect(await errorCode(s.engine.call('engine_newPayloadV3', [payload, []]))).toBe(-32602)
    expect(s.chain.headerByHash(hexToBytes(payload.blockHash))).toBeUndefined()
  })
})

describe('the other methods', () => {
  test('capabilities, client version, bodies, blobs without a blob source', async () => {
    const s = setup()
    const caps = (await s.engine.call('engine_exchangeCapabilities', [[]])) as string[]
    for (const m of ['engine_newPayloadV4', 'engine_forkchoiceUpdatedV3', 'engine_getPayloadV5', 'engine_getBlobsV2', 'engine_getPayloadBodiesByRangeV1']) expect(caps).toContain(m)
    expect(await s.engine.call('engine_getClientVersionV1', [{ code: 'LH', name: 'x', version: '1', commit: '0x00000000' }])).toEqual([{ code: 'MS', name: 'Mosaic', version: '0.0.0-test', commit: '0x01020304' }])
    s.pool.add(decodeTransaction(hexToBytes(transfer(0n))))
    const a1 = await extend(s)
    const bodies = (await s.engine.call('engine_getPayloadBodiesByHashV1', [[a1.blockHash, ZERO32]])) as ({ transactions: string[] } | null)[]
    expect(bodies[0]!.transactions).toEqual(a1.transactions as string[])
    expect(bodies[1]).toBeNull()
    expect(((await s.engine.call('engine_getPayloadBodiesByRangeV1', ['0x1', '0x5'])) as unknown[]).length).toBe(1)
    const vh = `0x01${'00'.repeat(31)}`
    expect(await s.engine.call('engine_getBlobsV1', [[vh, vh]])).toEqual([null, null])
    expect(await s.engine.call('engine_getBlobsV2', [[vh]])).toBeNull()
    expect(await errorCode(s.engine.call('engine_nope', []))).toBe(-32601)
  })

  test('calls run in order: a getPayload sent before its forkchoiceUpdated is answered finds the build', async () => {
    const s = setup()
    const ts = s.chain.head().timestamp + 12n
    const a = attrs(ts)
    // the id is a hash of the parent and the attributes: known before the answer
    const id = bytesToHex(payloadId(s.chain.headBlockHash(), { timestamp: ts, prevRandao: hexToBytes(a.prevRandao), suggestedFeeRecipient: hexToBytes(a.suggestedFeeRecipient), withdrawals: [], parentBeaconBlockRoot: hexToBytes(a.parentBeaconBlockRoot) }, 3))
    const fc = s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), a])
    const got = s.engine.call('engine_getPayloadV3', [id])
    expect(((await fc) as { payloadId: Hex }).payloadId).toBe(id)
    expect(((await got) as { executionPayload: PayloadJson }).executionPayload.parentHash).toBe(head(s))
  })
})

describe('every fork\'s versions', () => {
  test('Paris: V1 round trip; a wrong block hash is INVALID_BLOCK_HASH', async () => {
    const g = cancunGenesis() as { config: Record<string, unknown> }
    delete g.config.shanghaiTime
    delete g.config.cancunTime
    const s = setup(parseGenesisJson(g))
    const r = (await s.engine.call('engine_forkchoiceUpdatedV1', [fcState(head(s)), { timestamp: '0xc', prevRandao: ZERO32, suggestedFeeRecipient: `0x${'00'.repeat(20)}` }])) as { payloadId: Hex }
    const p = (await s.engine.call('engine_getPayloadV1', [r.payloadId])) as PayloadJson
    expect(p.withdrawals).toBeUndefined()
    expect(await s.engine.call('engine_newPayloadV1', [{ ...p, blockHash: ZERO32 }])).toMatchObject({ status: 'INVALID_BLOCK_HASH', latestValidHash: null })
    expect(await s.engine.call('engine_newPayloadV1', [p])).toMatchObject({ status: 'VALID' })
    expect(await errorCode(s.engine.call('engine_getPayloadV3', [r.payloadId]))).toBe(-38005)
  })

  test('Prague: V4 with executionRequests; Osaka: V5 with a V2 blobs bundle, V4 refused', async () => {
    const prague = setup(dev)
    const at = (s: Setup) => ({ ...attrs(s.chain.head().timestamp + 12n) })
    let r = (await prague.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(prague)), at(prague)])) as { payloadId: Hex }
    const got = (await prague.engine.call('engine_getPayloadV4', [r.payloadId])) as { executionPayload: PayloadJson; executionRequests: Hex[] }
    expect(got.executionRequests).toEqual([])
    expect(await prague.engine.call('engine_newPayloadV4', [got.executionPayload, [], BEACON, got.executionRequests])).toMatchObject({ status: 'VALID' })
    // requests that are not the block's: its requests hash differs, so its block hash does
    expect(await prague.engine.call('engine_newPayloadV4', [got.executionPayload, [], BEACON, ['0x0001']])).toMatchObject({ status: 'INVALID', latestValidHash: null })
    expect(await errorCode(prague.engine.call('engine_newPayloadV3', [got.executionPayload, [], BEACON]))).toBe(-38005)

    const osaka = setup({ ...dev, forks: [...dev.forks, { fork: 'osaka', timestamp: 0n }] })
    r = (await osaka.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(osaka)), at(osaka)])) as { payloadId: Hex }
    expect(await errorCode(osaka.engine.call('engine_getPayloadV4', [r.payloadId]))).toBe(-38005)
    const v5 = (await osaka.engine.call('engine_getPayloadV5', [r.payloadId])) as { executionPayload: PayloadJson; blobsBundle: unknown; executionRequests: Hex[] }
    expect(v5.blobsBundle).toEqual({ commitments: [], proofs: [], blobs: [] })
    expect(await osaka.engine.call('engine_newPayloadV4', [v5.executionPayload, [], BEACON, v5.executionRequests])).toMatchObject({ status: 'VALID' })
    expect(await errorCode(osaka.engine.call('engine_getBlobsV1', [[]]))).toBe(-38005)
  })
})

describe('building in slices (getPayload answered while a build runs)', () => {
  /** One transaction a slice, the slices run by hand. */
  function slicedSetup() {
    const queue: (() => void)[] = []
    const schedule = (f: () => void) => (queue.push(f), () => queue.splice(queue.indexOf(f) >>> 0, 1))
    const s = setup(cancunSpec(), { intervalMs: 20, timeoutMs: 5_000, sliceMs: 0, schedule } as never)
    const slices = (k = Infinity) => {
      for (let i = 0; i < k && queue.length; i++) queue.shift()!()
    }
    return { s, slices, queued: () => queue.length }
  }
  // each to its own recipient: a build that read on after a head move would see the sibling's credits
  const to = (n: bigint) => `0x${(n + 0x100n).toString(16).padStart(40, '0')}` as Hex
  const fill = (s: Setup) => {
    for (let n = 0n; n < 60n; n++) s.pool.add(decodeTransaction(hexToBytes(transfer(n, { to: to(n) }))))
  }

  test('getPayload during the first full build seals the transactions it has: a valid payload', async () => {
    const { s, slices, queued } = slicedSetup()
    fill(s)
    const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n)])) as { payloadId: Hex }
    await Bun.sleep(10) // the first slice (one transaction) runs after the answer
    expect(queued()).toBe(1)
    slices(4)
    const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
    expect((got.executionPayload.transactions as string[]).length).toBe(5)
    expect(queued()).toBe(0) // the build stopped
    expect((await newPayload(s, got.executionPayload)).status).toBe('VALID')
  })

  test('getPayload during a rebuild hands out the last full payload at once', async () => {
    const { s, slices, queued } = slicedSetup()
    s.pool.add(decodeTransaction(hexToBytes(transfer(0n, { to: to(0n) }))))
    const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n)])) as { payloadId: Hex }
    await Bun.sleep(10)
    expect(queued()).toBe(0) // one transaction: the first build is done
    for (let n = 1n; n < 60n; n++) s.pool.add(decodeTransaction(hexToBytes(transfer(n, { to: to(n) }))))
    await Bun.sleep(40) // an interval begins the rebuild
    expect(queued()).toBe(1)
    const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
    expect((got.executionPayload.transactions as string[]).length).toBe(1)
    expect(queued()).toBe(0)
    slices()
    expect((await newPayload(s, got.executionPayload)).status).toBe('VALID')
  })

  test('getPayload before any full build began builds at once, within resolveMs of execution', async () => {
    for (const [resolveMs, want] of [[60_000, 60], [0, 1]] as const) {
      const s = setup(cancunSpec(), { intervalMs: 1_000, timeoutMs: 5_000, resolveMs } as never)
      fill(s)
      const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(head(s)), attrs(12n)])) as { payloadId: Hex }
      // no turn of the event loop in between: the first full build has not begun
      const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
      expect((got.executionPayload.transactions as string[]).length).toBe(want)
      expect((await newPayload(s, got.executionPayload)).status).toBe('VALID')
    }
  })

  test('a head move during a build starts it over on the parent\'s own state', async () => {
    const { s, slices } = slicedSetup()
    const genesis = head(s)
    fill(s)
    const r = (await s.engine.call('engine_forkchoiceUpdatedV3', [fcState(genesis), attrs(12n)])) as { payloadId: Hex }
    await Bun.sleep(10)
    slices(4)
    // another child of genesis with the first 30 transactions becomes the head meanwhile
    const sibling = buildBlock(s.chain, s.pool.best(10n ** 10n).slice(0, 30), { parentHash: hexToBytes(genesis), timestamp: 12n, coinbase: new Uint8Array(20), prevRandao: new Uint8Array(32), withdrawals: [], parentBeaconBlockRoot: hexToBytes(BEACON) })
    s.chain.insertExecuted(sibling.executed)
    s.chain.setHead(sibling.executed.hash)
    slices()
    await Bun.sleep(40) // the next interval starts over
    slices()
    const got = (await s.engine.call('engine_getPayloadV3', [r.payloadId])) as { executionPayload: PayloadJson }
    expect(got.executionPayload.parentHash).toBe(genesis)
    // an independent node executes it (the builder's own would trust its execution)
    expect((await newPayload(setup(), got.executionPayload)).status).toBe('VALID')
  })
})
