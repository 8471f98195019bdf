/**
 * enginetest: a hand-made blockchain_test_engine fixture (a Cancun chain of two blocks, built
 * here) run through the in-process Engine API — VALID payloads, an INVALID one, an errorCode —
 * and the runner noticing every kind of wrong answer; the BlockchainTest conversion (payload
 * fields from the RLP, versions by fork, versioned hashes, beacon root, undecodable blocks, the
 * body-root twin of legacy invalid-transaction blocks); and the command's output.
 */
import { describe, expect, test } from 'bun:test'
import { Blockchain } from '../../blockchain/index.ts'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS, singleForkSpec } from '../../chainspec/index.ts'
import { formatExecutionPayload, parseExecutionPayload, payloadHeader } from '../../engine/index.ts'
import { buildBlock } from '../../payload/index.ts'
import { bigintToHex, bytesToHex, hexToBytes, parseAddress, type Hex } from '../../primitives/index.ts'
import { openMemoryStore } from '../../storage/index.ts'
import { computeRequestsHash, encodeBlock, headerHash, signTransaction, type Block, type Header } from '../../types/index.ts'
import { allocOf } from './blocktest-runner.ts'
import { blockToPayloadCase, engineVersions, fromBlockTest, withBodyRoot, type EngineFixture } from './enginetest-convert.ts'
import { runEnginetest } from './enginetest.ts'
import { headerFromJson, runEngineTest } from './enginetest-runner.ts'

type J = Record<string, any>

const SENDER = DEV_ACCOUNTS[0]!.toLowerCase() as Hex
const KEY = hexToBytes(DEV_PRIVATE_KEYS[0]!)
const TO = '0x000000000000000000000000000000000000dead' as Hex
const COINBASE = '0x00000000000000000000000000000000000000fe' as Hex
const BEACON = `0x${'22'.repeat(32)}` as Hex
const PRE: J = { [SENDER]: { balance: '0x3635c9adc5dea00000', nonce: '0x0', code: '0x', storage: {} } }

function headerJson(h: Header): J {
  return {
    parentHash: bytesToHex(h.parentHash),
    uncleHash: bytesToHex(h.ommersHash),
    coinbase: bytesToHex(h.coinbase),
    stateRoot: bytesToHex(h.stateRoot),
    transactionsTrie: bytesToHex(h.transactionsRoot),
    receiptTrie: bytesToHex(h.receiptsRoot),
    bloom: bytesToHex(h.logsBloom),
    difficulty: bigintToHex(h.difficulty),
    number: bigintToHex(h.number),
    gasLimit: bigintToHex(h.gasLimit),
    gasUsed: bigintToHex(h.gasUsed),
    timestamp: bigintToHex(h.timestamp),
    extraData: bytesToHex(h.extraData),
    mixHash: bytesToHex(h.mixHash),
    nonce: bytesToHex(h.nonce),
    baseFeePerGas: bigintToHex(h.baseFeePerGas!),
    ...(h.withdrawalsRoot && { withdrawalsRoot: bytesToHex(h.withdrawalsRoot) }),
    ...(h.blobGasUsed !== undefined && { blobGasUsed: bigintToHex(h.blobGasUsed), excessBlobGas: bigintToHex(h.excessBlobGas!) }),
    ...(h.parentBeaconBlockRoot && { parentBeaconBlockRoot: bytesToHex(h.parentBeaconBlockRoot) }),
    hash: bytesToHex(headerHash(h)),
  }
}

/** Two Cancun blocks with one transfer each, built on a chain of their own; the post state after them. */
function makeChain(fork: 'paris' | 'shanghai' | 'cancun' = 'cancun'): { genesis: Header; blocks: Block[]; post: J } {
  const spec = singleForkSpec(fork, allocOf(PRE))
  const chain = Blockchain.open(openMemoryStore(), spec)
  const blocks: Block[] = []
  for (const nonce of [0n, 1n]) {
    const tx = signTransaction(
      { type: 2, chainId: 1n, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 10n, gasLimit: 21_000n, to: hexToBytes(TO), value: 1000n, data: new Uint8Array(0), accessList: [] },
      KEY,
    )
    const built = buildBlock(chain, [{ tx, sender: parseAddress(SENDER) }], {
      timestamp: chain.head().timestamp + 12n,
      coinbase: parseAddress(COINBASE),
      ...(fork !== 'paris' && { withdrawals: [{ index: nonce, validatorIndex: 7n, address: hexToBytes(TO), amount: 5n }] }),
      ...(fork === 'cancun' && { parentBeaconBlockRoot: hexToBytes(BEACON) }),
    })
    expect(built.results.length).toBe(1)
    chain.insertExecuted(built.executed)
    blocks.push(built.executed.block)
  }
  const state = chain.latestState()
  const post: J = {}
  for (const a of [SENDER, TO, COINBASE]) {
    const acc = state.getAccount(hexToBytes(a))!
    post[a] = { balance: bigintToHex(acc.balance), nonce: bigintToHex(acc.nonce), code: '0x', storage: {} }
  }
  return { genesis: chain.headerByHash(chain.canonicalHash(0n)!)!, blocks, post }
}

const made = makeChain()
const spec = singleForkSpec('cancun', allocOf(PRE))
const payloadOf = (b: Block) => blockToPayloadCase(b, spec)

/** `payload` with `changes` and its blockHash recomputed, so that only the change is wrong. */
function rehashed(params: unknown[], changes: J): unknown[] {
  const p = { ...(params[0] as J), ...changes }
  p.blockHash = bytesToHex(headerHash(payloadHeader(parseExecutionPayload(p, [3]), { parentBeaconBlockRoot: hexToBytes(BEACON) })))
  return [p, ...params.slice(1)]
}

function fixture(payloads: J[], lastblockhash = bytesToHex(headerHash(made.blocks[1]!.header))): EngineFixture {
  return { network: 'Cancun', genesisBlockHeader: headerJson(made.genesis), pre: PRE, postState: made.post, lastblockhash, engineNewPayloads: payloads as EngineFixture['engineNewPayloads'] }
}

describe('a hand-made engine fixture', () => {
  const [one, two] = made.blocks.map(payloadOf) as [ReturnType<typeof payloadOf>, ReturnType<typeof payloadOf>]
  const badRoot = { params: rehashed(two.params, { stateRoot: `0x${'ab'.repeat(32)}` }), newPayloadVersion: '3', forkchoiceUpdatedVersion: '3', validationError: 'BlockException.INVALID_STATE_ROOT' }
  const wrongVersion = { params: [...two.params, []], newPayloadVersion: '4', forkchoiceUpdatedVersion: '3', errorCode: '-38005' }

  test('headerFromJson reads the genesis header back to its hash', () => {
    expect(bytesToHex(headerHash(headerFromJson(headerJson(made.genesis))))).toBe(bytesToHex(headerHash(made.genesis)))
  })

  test('VALID payloads, an INVALID one and an error code pass', async () => {
    const r = await runEngineTest('t', fixture([one, badRoot, wrongVersion, two]))
    expect(r.error).toBeUndefined()
    expect(r).toMatchObject({ pass: true, network: 'Cancun', payloads: 4 })
  })

  test('an INVALID answer where VALID was expected fails', async () => {
    const r = await runEngineTest('t', fixture([one, { ...badRoot, validationError: undefined }]))
    expect(r.pass).toBe(false)
    expect(r.error).toMatch(/^payload 1: engine_newPayloadV3 answered INVALID .*expected VALID/)
  })

  test('a VALID answer where INVALID was expected fails', async () => {
    const r = await runEngineTest('t', fixture([one, { ...two, validationError: 'BlockException.X' }]))
    expect(r.error).toMatch(/^payload 1: engine_newPayloadV3 answered VALID, expected INVALID/)
  })

  test('an expected error code that does not come, or another code, fails', async () => {
    expect((await runEngineTest('t', fixture([{ ...one, errorCode: '-38005' }]))).error).toMatch(/answered VALID, expected error -38005/)
    expect((await runEngineTest('t', fixture([one, { ...wrongVersion, errorCode: '-32602' }]))).error).toMatch(/failed with -38005, expected -32602/)
    expect((await runEngineTest('t', fixture([one, { ...wrongVersion, errorCode: undefined }]))).error).toMatch(/failed with -38005: Unsupported fork/)
  })

  test('a wrong last block hash or post state fails', async () => {
    expect((await runEngineTest('t', fixture([one]))).error).toMatch(/^head 0x[0-9a-f]{64}, expected/)
    const f = fixture([one, two])
    f.postState = { ...made.post, [TO]: { ...made.post[TO], balance: '0x1' } }
    expect((await runEngineTest('t', f)).error).toMatch(/^post state: 0x0{36}dead balance 10000002000, expected 1/)
  })

  for (const [fork, network, version] of [['paris', 'Paris', 1], ['shanghai', 'Shanghai', 2]] as const) {
    test(`a ${network} chain through newPayloadV${version} and forkchoiceUpdatedV${version}, converted from its RLP`, async () => {
      const m = makeChain(fork)
      const cases = m.blocks.map((b) => blockToPayloadCase(b, singleForkSpec(fork, allocOf(PRE))))
      expect(cases.map((c) => [c.newPayloadVersion, c.forkchoiceUpdatedVersion, c.params.length])).toEqual([[version, version, 1], [version, version, 1]])
      const r = await runEngineTest('t', { network, genesisBlockHeader: headerJson(m.genesis), pre: PRE, postState: m.post, lastblockhash: bytesToHex(headerHash(m.blocks[1]!.header)), engineNewPayloads: cases })
      expect(r.error).toBeUndefined()
      expect(r.payloads).toBe(2)
    })
  }

  test('a BlockchainTest without --from-blocktests is named as such', async () => {
    const r = await runEngineTest('t', { network: 'Cancun', genesisRLP: bytesToHex(encodeBlock({ header: made.genesis, transactions: [], ommers: [], withdrawals: [] })), pre: PRE, blocks: [] })
    expect(r.error).toMatch(/--from-blocktests/)
  })
})

describe('BlockchainTests to engine payloads', () => {
  const genesisRLP = bytesToHex(encodeBlock({ header: made.genesis, transactions: [], ommers: [], withdrawals: [] }))
  const rlp = (b: Block) => bytesToHex(encodeBlock(b))
  const lastblockhash = bytesToHex(headerHash(made.blocks[1]!.header))

  test('versions by fork: Paris V1, Shanghai V2, Cancun V3, Prague and Osaka V4', () => {
    expect(['paris', 'shanghai', 'cancun', 'prague', 'osaka'].map((f) => engineVersions(f as 'paris'))).toEqual([
      { newPayload: 1, forkchoiceUpdated: 1 },
      { newPayload: 2, forkchoiceUpdated: 2 },
      { newPayload: 3, forkchoiceUpdated: 3 },
      { newPayload: 4, forkchoiceUpdated: 3 },
      { newPayload: 4, forkchoiceUpdated: 3 },
    ])
  })

  test('a Cancun block: ExecutionPayloadV3 with the RLP header hash, versioned hashes, beacon root', () => {
    const b = made.blocks[0]!
    const c = payloadOf(b)
    expect(c).toMatchObject({ newPayloadVersion: 3, forkchoiceUpdatedVersion: 3 })
    expect(c.params).toEqual([formatExecutionPayload(b, headerHash(b.header), 3), [], BEACON])
    expect((c.params[0] as J).blockHash).toBe(bytesToHex(headerHash(b.header)))
  })

  test("versioned hashes: the blob transactions' in block order", () => {
    const blob = (nonce: bigint, hashes: Hex[]) =>
      signTransaction(
        { type: 3, chainId: 1n, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 10n, gasLimit: 21_000n, to: hexToBytes(TO), value: 0n, data: new Uint8Array(0), accessList: [], maxFeePerBlobGas: 1n, blobVersionedHashes: hashes.map((h) => hexToBytes(h)) },
        KEY,
      )
    const h = (n: number) => `0x01${n.toString(16).padStart(62, '0')}` as Hex
    const b = made.blocks[0]!
    const c = payloadOf({ ...b, transactions: [blob(0n, [h(1), h(2)]), ...b.transactions, blob(1n, [h(3)])] })
    expect(c.params[1]).toEqual([h(1), h(2), h(3)])
  })

  test('Shanghai: V2 with the payload alone; Prague: V4 with the requests', () => {
    const b = made.blocks[0]!
    const shanghai = blockToPayloadCase(b, singleForkSpec('shanghai', new Map()))
    expect(shanghai.params.length).toBe(1)
    expect(Object.keys(shanghai.params[0] as J)).not.toContain('blobGasUsed')
    const prague = blockToPayloadCase(b, singleForkSpec('prague', new Map()), [new Uint8Array([1, 2, 3])])
    expect(prague).toMatchObject({ newPayloadVersion: 4, forkchoiceUpdatedVersion: 3 })
    expect(prague.params.slice(1)).toEqual([[], BEACON, ['0x010203']])
  })

  test('Prague requests: from the block entry, else from requestsOf, else none for the empty requests hash', () => {
    const prague = singleForkSpec('prague', new Map())
    const req = new Uint8Array([0, 0xaa])
    const withHash = (requests: Uint8Array[]) => {
      const b = made.blocks[0]!
      return rlp({ ...b, header: { ...b.header, requestsHash: computeRequestsHash(requests) } })
    }
    const requestsOf = (blocks: J[], of?: () => Uint8Array[]) => fromBlockTest({ network: 'Prague', blocks }, prague, of).engineNewPayloads.map((p) => p.params[3])
    expect(requestsOf([{ rlp: withHash([req]), executionRequests: ['0x00bb'] }], () => [req])).toEqual([['0x00bb']])
    expect(requestsOf([{ rlp: withHash([req]) }], () => [req])).toEqual([['0x00aa']])
    expect(requestsOf([{ rlp: withHash([]) }])).toEqual([[]])
  })

  test('the converted test passes; undecodable and expected-invalid blocks are refused', async () => {
    const bad = { ...made.blocks[1]!, header: { ...made.blocks[1]!.header, stateRoot: new Uint8Array(32) } }
    const t = {
      network: 'Cancun',
      genesisRLP,
      pre: PRE,
      postState: made.post,
      lastblockhash,
      blocks: [{ rlp: rlp(made.blocks[0]!) }, { rlp: '0xc0', expectException: 'RLP_BLOCK' }, { rlp: rlp(bad), expectException: 'BlockException.INVALID_STATE_ROOT' }, { rlp: rlp(made.blocks[1]!) }],
    }
    const f = fromBlockTest(t, spec)
    expect(f.engineNewPayloads.map((p) => [p.undecodable !== undefined, p.validationError ?? null])).toEqual([
      [false, null],
      [true, 'RLP_BLOCK'],
      [false, 'BlockException.INVALID_STATE_ROOT'],
      [false, null],
    ])
    const r = await runEngineTest('t', t, { fromBlocktest: true })
    expect(r.error).toBeUndefined()
    expect(r).toMatchObject({ pass: true, payloads: 4 })
    // an undecodable block that was expected to be valid
    const broken = await runEngineTest('t', { ...t, blocks: [{ rlp: '0xc0' }] }, { fromBlocktest: true })
    expect(broken.error).toMatch(/^payload 0: the block's RLP does not decode/)
  })

  test("a legacy block whose header's transactions root leaves its invalid transaction out is also sent with its body's root", () => {
    const b = made.blocks[1]!
    expect(withBodyRoot(b)).toBeUndefined()
    const legacy = { ...b, header: { ...b.header, transactionsRoot: made.blocks[0]!.header.transactionsRoot } }
    expect(bytesToHex(withBodyRoot(legacy)!.header.transactionsRoot)).toBe(bytesToHex(b.header.transactionsRoot))
    const f = fromBlockTest({ network: 'Cancun', genesisRLP, pre: PRE, lastblockhash, blocks: [{ rlp: rlp(legacy), expectException: 'TransactionException.NONCE_MISMATCH_TOO_HIGH' }] }, spec)
    expect(f.engineNewPayloads.length).toBe(2)
    expect((f.engineNewPayloads[1]!.params[0] as J).blockHash).toBe(bytesToHex(headerHash(b.header)))
  })
})

describe('mosaic enginetest', () => {
  test('--json rows and the exit code', async () => {
    const dir = `${process.env.TMPDIR ?? '/tmp'}/enginetest-${process.pid}`
    const fs = await import('node:fs')
    fs.mkdirSync(dir, { recursive: true })
    const [one, two] = made.blocks.map(payloadOf)
    const file = `${dir}/t.json`
    fs.writeFileSync(file, JSON.stringify({ good: fixture([one!, two!]), bad: fixture([one!]), old: { ...fixture([]), network: 'London' } }))
    let out = ''
    const deps = { out: (s: string) => void (out += s), err: () => {}, isTTY: false }
    expect(await runEnginetest(['--json', file], deps)).toBe(1)
    const rows = JSON.parse(out) as J[]
    expect(rows.map((r) => [r.name, r.pass, r.payloads])).toEqual([
      ['good', true, 2],
      ['bad', false, 1],
    ])
    out = ''
    expect(await runEnginetest(['--run', '^good$', file], deps)).toBe(0)
    expect(out).toBe('1 passed, 0 failed\n')
    out = ''
    await runEnginetest([file], deps)
    expect(out).toMatch(/\n1 passed, 1 failed, 1 skipped \(networks before Paris\)\n$/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
