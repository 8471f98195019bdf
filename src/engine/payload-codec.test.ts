import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeFixtures } from '../../test/fixtures.ts'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { sampleTransactions } from '../types/testing/samples.ts'
import { computeRequestsHash, decodeBlock, encodeTransaction, headerHash, type Block, type Transaction } from '../types/index.ts'
import { EngineInvalidParamsError } from './errors.ts'
import { payloadHeader, payloadToBlock, type PayloadSidecar } from './payload-block.ts'
import { formatExecutionPayload, formatPayloadBody, parseExecutionPayload, payloadShape } from './payload-codec.ts'
import type { ExecutionPayload, PayloadShape } from './types.ts'

const word = (b: number) => new Uint8Array(32).fill(b)
const txs = sampleTransactions()
const blobTx = txs.find((t) => t.type === 3) as Extract<Transaction, { type: 3 }>
const withdrawals = [{ index: 5n, validatorIndex: 9n, address: hexToBytes('0x' + '42'.repeat(20)), amount: 32_000_000_000n }]
const requests = [hexToBytes('0x00aa'), hexToBytes('0x02bbcc')]

/** A payload of `shape` whose blockHash is right for `sidecar`, as JSON. */
function payloadJson(shape: PayloadShape, sidecar: Omit<PayloadSidecar, 'version'> = {}, transactions: Uint8Array[] = txs.map(encodeTransaction)): Record<string, unknown> {
  const p: ExecutionPayload = {
    parentHash: word(1), feeRecipient: new Uint8Array(20).fill(2), stateRoot: word(3), receiptsRoot: word(4),
    logsBloom: new Uint8Array(256).fill(5), prevRandao: word(6), blockNumber: 100n, gasLimit: 30_000_000n,
    gasUsed: 21_000n, timestamp: 1_700_000_000n, extraData: hexToBytes('0x6d6f73616963'), baseFeePerGas: 7n,
    blockHash: word(0), transactions,
  }
  if (shape >= 2) p.withdrawals = withdrawals
  if (shape >= 3) Object.assign(p, { blobGasUsed: 262_144n, excessBlobGas: 0n })
  p.blockHash = headerHash(payloadHeader(p, sidecar))
  const out: Record<string, unknown> = {
    parentHash: bytesToHex(p.parentHash), feeRecipient: bytesToHex(p.feeRecipient), stateRoot: bytesToHex(p.stateRoot),
    receiptsRoot: bytesToHex(p.receiptsRoot), logsBloom: bytesToHex(p.logsBloom), prevRandao: bytesToHex(p.prevRandao),
    blockNumber: '0x64', gasLimit: '0x1c9c380', gasUsed: '0x5208', timestamp: '0x6553f100', extraData: '0x6d6f73616963',
    baseFeePerGas: '0x7', blockHash: bytesToHex(p.blockHash), transactions: transactions.map(bytesToHex),
  }
  if (shape >= 2) out.withdrawals = [{ index: '0x5', validatorIndex: '0x9', address: '0x' + '42'.repeat(20), amount: '0x773594000' }]
  if (shape >= 3) Object.assign(out, { blobGasUsed: '0x40000', excessBlobGas: '0x0' })
  return out
}

const v3Sidecar = (): PayloadSidecar => ({ version: 3, parentBeaconBlockRoot: word(9), expectedBlobVersionedHashes: blobTx.blobVersionedHashes })

function invalidParams(fn: () => unknown, text: string): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineInvalidParamsError)
    expect((err as EngineInvalidParamsError).rpcCode).toBe(-32602)
    expect((err as Error).message).toContain(text)
    return
  }
  throw new Error(`expected -32602 containing ${text}`)
}

describe('ExecutionPayload V1–V3 codec', () => {
  test('each shape parses, builds its block with the claimed hash, and formats back to the same JSON', () => {
    for (const shape of [1, 2, 3] as const) {
      const sidecar: PayloadSidecar = shape === 3 ? v3Sidecar() : { version: shape }
      const json = payloadJson(shape, sidecar)
      const p = parseExecutionPayload(json, [shape])
      expect(payloadShape(p)).toBe(shape)
      const r = payloadToBlock(p, sidecar)
      if (!('block' in r)) throw new Error(r.status.validationError ?? 'not a block')
      expect(bytesToHex(r.blockHash) as string).toBe(json.blockHash as string)
      expect(r.block.transactions.map((t) => t.type)).toEqual(txs.map((t) => t.type))
      expect(formatExecutionPayload(r.block, r.blockHash, shape)).toEqual(json)
    }
  })

  test('V4: the execution requests enter the block hash through requestsHash (EIP-7685)', () => {
    const sidecar: PayloadSidecar = { ...v3Sidecar(), version: 4, executionRequests: requests }
    const p = parseExecutionPayload(payloadJson(3, sidecar), [3])
    const r = payloadToBlock(p, sidecar)
    if (!('block' in r)) throw new Error('not a block')
    expect(r.block.header.requestsHash).toEqual(computeRequestsHash(requests))
    const other = payloadToBlock(p, { ...sidecar, executionRequests: [requests[0]!] })
    expect('status' in other && other.status).toMatchObject({ status: 'INVALID', latestValidHash: null })
  })

  test('statuses before execution: empty transaction, block hash (V1: INVALID_BLOCK_HASH), undecodable transaction, versioned hashes', () => {
    const withEmpty = parseExecutionPayload({ ...payloadJson(1), transactions: ['0x02f8', '0x'] }, [1])
    expect(payloadToBlock(withEmpty, { version: 1 })).toEqual({ status: { status: 'INVALID', latestValidHash: null, validationError: 'transaction 1 is empty' } })

    const badHash = parseExecutionPayload({ ...payloadJson(1), blockHash: bytesToHex(word(0xee)) }, [1])
    const v1 = payloadToBlock(badHash, { version: 1 })
    expect('status' in v1 && v1.status.status).toBe('INVALID_BLOCK_HASH')
    const v2 = payloadToBlock(badHash, { version: 2 })
    expect('status' in v2 && v2.status).toMatchObject({ status: 'INVALID', latestValidHash: null })
    expect('status' in v2 && v2.status.validationError).toContain('blockhash mismatch')

    // a right hash over bytes that are no transaction
    const garbage = parseExecutionPayload(payloadJson(1, {}, [hexToBytes('0x05abcd')]), [1])
    const g = payloadToBlock(garbage, { version: 1 })
    expect('status' in g && g.status).toMatchObject({ status: 'INVALID', latestValidHash: null })
    expect('status' in g && g.status.validationError).toContain('transaction 0')

    const p3 = parseExecutionPayload(payloadJson(3, v3Sidecar()), [3])
    for (const expected of [[], [blobTx.blobVersionedHashes[1]!, blobTx.blobVersionedHashes[0]!], [...blobTx.blobVersionedHashes, word(1)]]) {
      const r = payloadToBlock(p3, { ...v3Sidecar(), expectedBlobVersionedHashes: expected })
      expect('status' in r && r.status).toMatchObject({ status: 'INVALID', latestValidHash: null })
    }
    // the beacon root is part of the header: another one is another hash
    const r = payloadToBlock(p3, { ...v3Sidecar(), parentBeaconBlockRoot: word(8) })
    expect('status' in r && r.status.validationError).toContain('blockhash mismatch')
  })

  test('strict structure: every field, no other, exact lengths, canonical quantities (-32602 naming the field)', () => {
    const j = payloadJson(3, v3Sidecar())
    const without = (k: string) => Object.fromEntries(Object.entries(j).filter(([x]) => x !== k))
    for (const k of Object.keys(j)) invalidParams(() => parseExecutionPayload(without(k), [3]), `missing field "${k}"`)
    invalidParams(() => parseExecutionPayload({ ...j, foo: '0x' }, [3]), 'unknown field "foo"')
    invalidParams(() => parseExecutionPayload(j, [1, 2]), 'unknown field "blobGasUsed"')
    invalidParams(() => parseExecutionPayload(payloadJson(2), [1]), 'unknown field "withdrawals"')
    invalidParams(() => parseExecutionPayload({ ...payloadJson(2), excessBlobGas: '0x0' }, [1, 2, 3]), 'missing field "blobGasUsed"')
    const cases: [string, unknown, string][] = [
      ['feeRecipient', '0x' + '00'.repeat(19), 'feeRecipient: 19 bytes, expected 20'],
      ['parentHash', '0x' + '00'.repeat(33), 'parentHash: 33 bytes, expected 32'],
      ['logsBloom', '0x' + '00'.repeat(255), 'logsBloom: 255 bytes, expected 256'],
      ['extraData', '0x' + '00'.repeat(33), 'extraData: 33 bytes, at most 32'],
      ['stateRoot', '0x' + '0'.repeat(63), 'stateRoot: not whole bytes'],
      ['stateRoot', '00'.repeat(32), 'without 0x prefix'],
      ['receiptsRoot', '0x' + 'zz'.repeat(32), 'receiptsRoot: not whole bytes'],
      ['blockNumber', '0x01', 'blockNumber: quantity with leading zeros'],
      ['blockNumber', '0x', 'blockNumber: quantity with leading zeros or no digits'],
      ['gasLimit', '1', 'gasLimit: not a 0x hex quantity'],
      ['gasLimit', 30_000_000, 'gasLimit: expected a hex quantity, got number'],
      ['timestamp', '0x1' + '0'.repeat(16), 'timestamp: quantity above 64 bits'],
      ['baseFeePerGas', '0x1' + '0'.repeat(64), 'baseFeePerGas: quantity above 256 bits'],
      ['transactions', '0x', 'transactions: expected an array'],
      ['transactions', ['0x0'], 'transactions[0]: not whole bytes'],
      ['withdrawals', [{ index: '0x1', validatorIndex: '0x1', address: '0x' + '00'.repeat(20) }], 'withdrawals[0]: missing field "amount"'],
      ['withdrawals', [{ index: '0x1', validatorIndex: '0x1', address: '0x' + '00'.repeat(20), amount: '0x1' + '0'.repeat(16) }], 'withdrawals[0].amount: quantity above 64 bits'],
      ['blobGasUsed', '0x00', 'blobGasUsed: quantity with leading zeros'],
    ]
    for (const [k, v, text] of cases) invalidParams(() => parseExecutionPayload({ ...j, [k]: v }, [3]), text)
    invalidParams(() => parseExecutionPayload([j], [3]), 'executionPayload: expected an object, got array')
    // null is "not provided" (cancun.md newPayloadV3 1)
    invalidParams(() => parseExecutionPayload({ ...j, withdrawals: null }, [3]), 'missing field "withdrawals"')
    expect(payloadShape(parseExecutionPayload({ ...payloadJson(1), withdrawals: null, blobGasUsed: null }, [1]))).toBe(1)
    // upper-case hex digits are hex too
    expect(parseExecutionPayload({ ...j, stateRoot: '0x' + 'AB'.repeat(32), gasLimit: '0x1C9C380' }, [3]).gasLimit).toBe(30_000_000n)
  })

  test('payload bodies: transactions and withdrawals, null withdrawals before Shanghai, null for a missing block', () => {
    expect(formatPayloadBody(undefined)).toBeNull()
    expect(formatPayloadBody({ transactions: [txs[0]!], ommers: [] })).toEqual({ transactions: [bytesToHex(encodeTransaction(txs[0]!))], withdrawals: null })
    expect(formatPayloadBody({ transactions: [], ommers: [], withdrawals })?.withdrawals).toEqual([{ index: '0x5', validatorIndex: '0x9', address: '0x' + '42'.repeat(20), amount: '0x773594000' }])
  })
})

describeFixtures('ExecutionPayloadV3 of a real Cancun block', ['ethereum-tests', 'BlockchainTests', 'ValidBlocks', 'bcEIP4844-blobtransactions'], (dir) => {
  test('block → payload → block keeps the block hash (all transaction types, blobs, beacon root)', () => {
    const fixture = JSON.parse(readFileSync(join(dir, 'blockWithAllTransactionTypes.json'), 'utf8')) as Record<string, any>
    const t = Object.values(fixture)[0]
    const block: Block = decodeBlock(hexToBytes(t.blocks[0].rlp))
    const hash = headerHash(block.header)
    expect(bytesToHex(hash)).toBe(t.blocks[0].blockHeader.hash)
    const json = JSON.parse(JSON.stringify(formatExecutionPayload(block, hash, 3)))
    const expected = block.transactions.flatMap((tx) => (tx.type === 3 ? tx.blobVersionedHashes : []))
    expect(expected.length).toBeGreaterThan(0)
    const r = payloadToBlock(parseExecutionPayload(json, [3]), { version: 3, parentBeaconBlockRoot: block.header.parentBeaconBlockRoot!, expectedBlobVersionedHashes: expected })
    if (!('block' in r)) throw new Error(r.status.validationError ?? 'not a block')
    expect(bytesToHex(r.blockHash)).toBe(t.blocks[0].blockHeader.hash)
    expect(r.block.header.transactionsRoot).toEqual(block.header.transactionsRoot)
  })
})
