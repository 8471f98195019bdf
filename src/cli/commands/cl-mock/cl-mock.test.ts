/**
 * cl-mock's pure parts: slot timestamps, versions per fork and the probing order, the trailing
 * forkchoice state, and the checks a followed block must pass before it becomes a payload.
 * (The whole command runs through processes in test/engine-cli/.)
 */
import { expect, test } from 'bun:test'
import { EngineCallError } from '../../../engine/index.ts'
import { bytesToHex, type Hex } from '../../../primitives/index.ts'
import { EMPTY_OMMERS_HASH, EMPTY_REQUESTS_HASH, type Block, type Header } from '../../../types/index.ts'
import { createTrail } from './chain-view.ts'
import { ClMockError } from './errors.ts'
import { blockToPayload } from './follow.ts'
import { candidates, versionsOf, versionsOfHeader } from './forks.ts'
import { nextSlot, wrongVersion } from './slots.ts'

test('slot timestamps: aligned to the parent past the clock, waiting for them; below 1 s a second per slot', () => {
  // parent at 100, 12 s slots, clock at 130.5 s: the first of 112, 124, 136 not behind the clock
  expect(nextSlot(100n, 12, 130_500, 0)).toEqual({ timestamp: 136n, waitMs: 5_500 })
  // a parent far ahead of the clock waits one slot at most
  expect(nextSlot(10_000n, 12, 0, 0)).toEqual({ timestamp: 10_012n, waitMs: 12_000 })
  expect(nextSlot(5n, 0, 1_000, 0)).toEqual({ timestamp: 6n, waitMs: 0 })
  expect(nextSlot(5n, 0.1, 1_040, 1_000)).toEqual({ timestamp: 6n, waitMs: 60 })
})

test('versions per fork and the probing order', () => {
  expect(versionsOf('paris')).toEqual({ fork: 'paris', forkchoice: 2, getPayload: 2, newPayload: 2, attributes: 1 })
  expect(versionsOf('shanghai')).toEqual({ fork: 'shanghai', forkchoice: 2, getPayload: 2, newPayload: 2, attributes: 2 })
  expect(versionsOf('cancun')).toEqual({ fork: 'cancun', forkchoice: 3, getPayload: 3, newPayload: 3, attributes: 3 })
  expect(versionsOf('prague')).toEqual({ fork: 'prague', forkchoice: 3, getPayload: 4, newPayload: 4, attributes: 3 })
  expect(versionsOf('osaka')).toEqual({ fork: 'osaka', forkchoice: 3, getPayload: 5, newPayload: 4, attributes: 3 })
  expect(candidates('cancun')).toEqual(['cancun', 'prague', 'osaka', 'shanghai', 'paris'])
  expect(candidates('osaka')).toEqual(['osaka', 'prague', 'cancun', 'shanghai', 'paris'])
  expect(versionsOfHeader({ withdrawalsRoot: 1, parentBeaconBlockRoot: 1, requestsHash: 1 })).toEqual({ newPayload: 4, forkchoice: 3 })
  expect(versionsOfHeader({})).toEqual({ newPayload: 1, forkchoice: 1 })
})

test('a probe moves past -38005, -38003 from forkchoiceUpdatedV2, and -32601 from a client without that version', () => {
  const answer = (method: string, code: number) => new EngineCallError(method, code, 'refused')
  expect(wrongVersion(answer('engine_getPayloadV4', -38005))).toBe(true)
  // @ethereumjs/client 0.10.5 has no Osaka: getPayloadV5 is not a method there
  expect(wrongVersion(answer('engine_getPayloadV5', -32601))).toBe(true)
  expect(wrongVersion(answer('engine_forkchoiceUpdatedV2', -38003), 2)).toBe(true)
  expect(wrongVersion(answer('engine_forkchoiceUpdatedV3', -38003), 3)).toBe(false)
  expect(wrongVersion(answer('engine_getPayloadV3', -38001))).toBe(false)
  expect(wrongVersion(new EngineCallError('engine_getPayloadV3', 0, 'connection refused', undefined, 'unreachable'))).toBe(false)
  expect(wrongVersion(new Error('x'))).toBe(false)
})

test('the trail: safe one epoch back, finalized two, never below genesis; an abandoned branch is forgotten', async () => {
  const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
  const looked: bigint[] = []
  const trail = createTrail(async (n) => (looked.push(n), h(Number(n))))
  for (let n = 0; n <= 70; n++) trail.record(BigInt(n), h(n))
  expect(await trail.state(70n, h(70))).toEqual({ headBlockHash: h(70), safeBlockHash: h(38), finalizedBlockHash: h(6) })
  expect(looked).toEqual([])
  trail.record(40n, h(1040))
  expect((await trail.state(40n, h(1040))).safeBlockHash).toBe(h(8))
  expect((await trail.state(3n, h(3))).finalizedBlockHash).toBe(h(0))
})

const ZERO32 = new Uint8Array(32)
function pragueBlock(): Block {
  const header: Header = {
    parentHash: new Uint8Array(32).fill(1),
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: new Uint8Array(20),
    stateRoot: ZERO32,
    transactionsRoot: bytesToHexBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'),
    receiptsRoot: ZERO32,
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number: 1n,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestamp: 12n,
    extraData: new Uint8Array(0),
    mixHash: ZERO32,
    nonce: new Uint8Array(8),
    baseFeePerGas: 7n,
    withdrawalsRoot: bytesToHexBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'),
    blobGasUsed: 0n,
    excessBlobGas: 0n,
    parentBeaconBlockRoot: new Uint8Array(32).fill(2),
    requestsHash: EMPTY_REQUESTS_HASH,
  }
  return { header, transactions: [], ommers: [], withdrawals: [] }
}
function bytesToHexBytes(h: string): Uint8Array {
  return Uint8Array.fromHex(h.slice(2))
}

test('a followed block becomes newPayloadV4 parameters; one that is not a payload is refused by name', () => {
  const p = blockToPayload(pragueBlock(), 'block 1')
  expect([p.newPayload, p.forkchoice, p.number]).toEqual([4, 3, 1n])
  expect(p.params).toHaveLength(4)
  expect(p.params.slice(1)).toEqual([[], bytesToHex(new Uint8Array(32).fill(2)), []])
  expect((p.params[0] as { blockHash: Hex }).blockHash).toBe(p.hash)

  const refused = (change: (b: Block) => void, message: string) => {
    const b = pragueBlock()
    change(b)
    expect(() => blockToPayload(b, 'block 1')).toThrow(ClMockError)
    expect(() => blockToPayload(b, 'block 1')).toThrow(message)
  }
  refused((b) => (b.header.difficulty = 1n), 'not a proof-of-stake block')
  refused((b) => (b.header.transactionsRoot = new Uint8Array(32).fill(9)), 'its payload hashes to')
  refused((b) => (b.header.requestsHash = new Uint8Array(32).fill(3)), 'carries execution requests')
  refused((b) => (b.header.extraData = new Uint8Array(33)), 'at most 32')
  refused((b) => delete b.withdrawals, 'withdrawals and withdrawalsRoot')
  refused((b) => delete b.header.parentBeaconBlockRoot, 'come together')
})
