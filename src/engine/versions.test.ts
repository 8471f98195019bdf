import { describe, expect, test } from 'bun:test'
import { singleForkSpec, type ChainSpec } from '../chainspec/index.ts'
import { bigintToHex, bytesToHex } from '../primitives/index.ts'
import { RpcError } from '../rpc/index.ts'
import {
  engineFork, forkchoiceUpdatedParams, getBlobsParams, getPayloadParams, GET_PAYLOAD_FORKS, newPayloadParams, payloadAttributesParams,
  payloadBodiesByHashParams, payloadBodiesByRangeParams, requireFork, requireGetBlobsFork, type EngineFork,
} from './index.ts'

/** Paris at genesis, then a fork every 1000 seconds. */
const TIME: Record<EngineFork, bigint> = { paris: 500n, shanghai: 1500n, cancun: 2500n, prague: 3500n, osaka: 4500n }
const spec: ChainSpec = (() => {
  const s = singleForkSpec('osaka', new Map())
  const at: Record<string, bigint> = { shanghai: 1000n, cancun: 2000n, prague: 3000n, osaka: 4000n }
  return { ...s, forks: s.forks.map((f) => (f.fork in at ? { fork: f.fork, timestamp: at[f.fork]! } : f)) }
})()

const hash = (b: number) => '0x' + b.toString(16).padStart(2, '0').repeat(32)
const w = { index: '0x0', validatorIndex: '0x1', address: '0x' + '11'.repeat(20), amount: '0x2' }

function payload(fork: EngineFork, shape = fork === 'paris' ? 1 : fork === 'shanghai' ? 2 : 3): Record<string, unknown> {
  const p: Record<string, unknown> = {
    parentHash: hash(1), feeRecipient: '0x' + '22'.repeat(20), stateRoot: hash(3), receiptsRoot: hash(4),
    logsBloom: '0x' + '00'.repeat(256), prevRandao: hash(5), blockNumber: '0x1', gasLimit: '0x1c9c380', gasUsed: '0x0',
    timestamp: bigintToHex(TIME[fork]), extraData: '0x', baseFeePerGas: '0x7', blockHash: hash(6), transactions: [],
  }
  if (shape >= 2) p.withdrawals = [w]
  if (shape >= 3) Object.assign(p, { blobGasUsed: '0x0', excessBlobGas: '0x0' })
  return p
}

const newPayloadArgs = (version: 1 | 2 | 3 | 4, p: unknown) =>
  version <= 2 ? [p] : version === 3 ? [p, [], hash(7)] : [p, [], hash(7), ['0x00aa']]

/** The code `fn` fails with, or 'ok'. */
function outcome(fn: () => unknown): number | 'ok' {
  try {
    fn()
    return 'ok'
  } catch (err) {
    if (err instanceof RpcError) return err.rpcCode
    throw err
  }
}

const FORKS: EngineFork[] = ['paris', 'shanghai', 'cancun', 'prague', 'osaka']

describe('Engine API versions and forks', () => {
  test('the fork of a timestamp', () => {
    expect(FORKS.map((f) => engineFork(spec, TIME[f]))).toEqual(FORKS)
    expect(engineFork(spec, 1000n)).toBe('shanghai')
    expect(engineFork(spec, 999n)).toBe('paris')
  })

  test('newPayloadV1–V4 with each fork\'s own payload: the forks each serves; elsewhere -32602 for a shape it never takes, else -38005', () => {
    const table = ([1, 2, 3, 4] as const).map((v) => FORKS.map((f) => outcome(() => newPayloadParams(v, newPayloadArgs(v, payload(f)), spec))))
    expect(table).toEqual([
      ['ok', -32602, -32602, -32602, -32602],
      ['ok', 'ok', -32602, -32602, -32602],
      [-32602, -32602, 'ok', -38005, -38005],
      [-32602, -32602, -38005, 'ok', 'ok'],
    ])
  })

  test('the structure is the fork\'s: V2 takes V1 before Shanghai and V2 from it; blob fields are -32602; V3 checks structure before fork', () => {
    expect(outcome(() => newPayloadParams(2, [payload('shanghai', 1)], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(2, [payload('paris', 2)], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(2, [payload('shanghai', 3)], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(2, [payload('cancun', 2)], spec))).toBe(-38005)
    expect(outcome(() => newPayloadParams(1, [payload('paris', 2)], spec))).toBe(-32602)
    // a shape the method takes, at a fork it does not serve
    expect(outcome(() => newPayloadParams(1, [payload('shanghai', 1)], spec))).toBe(-38005)
    expect(outcome(() => newPayloadParams(2, [payload('prague', 2)], spec))).toBe(-38005)
    // cancun.md newPayloadV3 1 before 2: a V2 payload at a Shanghai time is a structure error
    expect(outcome(() => newPayloadParams(3, newPayloadArgs(3, payload('shanghai', 2)), spec))).toBe(-32602)
    const r = newPayloadParams(4, newPayloadArgs(4, payload('osaka')), spec)
    expect(r.fork).toBe('osaka')
    expect(r.executionRequests!.map(bytesToHex)).toEqual(['0x00aa'])
  })

  test('newPayload parameter lists: exact count, V3+ hashes and beacon root required', () => {
    const p = payload('cancun')
    expect(outcome(() => newPayloadParams(3, [p, []], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(3, [p, null, hash(7)], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(3, [p, ['0x01'], hash(7)], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(3, [p, [], '0x01'], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(3, [p, [], hash(7), []], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(1, [payload('paris'), null], spec))).toBe('ok')
    expect(outcome(() => newPayloadParams(1, [], spec))).toBe(-32602)
    expect(outcome(() => newPayloadParams(1, { 0: payload('paris') }, spec))).toBe(-32602)
  })

  test('executionRequests (prague.md): ascending unique types, each with data, never null', () => {
    const p = payload('prague')
    const reqs = (r: unknown) => outcome(() => newPayloadParams(4, [p, [], hash(7), r], spec))
    expect(reqs([])).toBe('ok')
    expect(reqs(['0x00aa', '0x01bb', '0x02cc'])).toBe('ok')
    expect(reqs(['0x01bb', '0x00aa'])).toBe(-32602)
    expect(reqs(['0x00aa', '0x00bb'])).toBe(-32602)
    expect(reqs(['0x00'])).toBe(-32602)
    expect(reqs(['0x'])).toBe(-32602)
    expect(reqs(null)).toBe(-32602)
    expect(reqs('0x00aa')).toBe(-32602)
  })

  test('forkchoiceUpdated: the state is -32602 when malformed; attributes -38003 by structure, -38005 by fork', () => {
    const state = { headBlockHash: hash(1), safeBlockHash: hash(2), finalizedBlockHash: hash(3) }
    expect(forkchoiceUpdatedParams([state]).attributes).toBeNull()
    expect(forkchoiceUpdatedParams([state, null]).attributes).toBeNull()
    expect(outcome(() => forkchoiceUpdatedParams([{ ...state, safeBlockHash: '0x00' }]))).toBe(-32602)
    expect(outcome(() => forkchoiceUpdatedParams([{ headBlockHash: hash(1), safeBlockHash: hash(2) }]))).toBe(-32602)
    expect(outcome(() => forkchoiceUpdatedParams([state, {}, 1]))).toBe(-32602)

    const attrs = (fork: EngineFork, shape = fork === 'paris' ? 1 : fork === 'shanghai' ? 2 : 3) => {
      const a: Record<string, unknown> = { timestamp: bigintToHex(TIME[fork]), prevRandao: hash(9), suggestedFeeRecipient: '0x' + '33'.repeat(20) }
      if (shape >= 2) a.withdrawals = [w]
      if (shape >= 3) a.parentBeaconBlockRoot = hash(8)
      return a
    }
    const table = ([1, 2, 3] as const).map((v) => FORKS.map((f) => outcome(() => payloadAttributesParams(v, attrs(f), spec))))
    expect(table).toEqual([
      ['ok', -38003, -38003, -38003, -38003],
      ['ok', 'ok', -38003, -38003, -38003],
      [-38003, -38003, 'ok', 'ok', 'ok'],
    ])
    // with each version's own structure, the fork rule speaks
    expect(outcome(() => payloadAttributesParams(1, attrs('shanghai', 1), spec))).toBe(-38005)
    expect(outcome(() => payloadAttributesParams(2, attrs('cancun', 2), spec))).toBe(-38005)
    expect(outcome(() => payloadAttributesParams(2, attrs('shanghai', 1), spec))).toBe(-38003)
    expect(outcome(() => payloadAttributesParams(3, attrs('shanghai', 3), spec))).toBe(-38005)
    expect(outcome(() => payloadAttributesParams(3, { ...attrs('cancun'), timestamp: '0x01' }, spec))).toBe(-38003)
    expect(outcome(() => payloadAttributesParams(3, { ...attrs('cancun'), withdrawals: [{ ...w, amount: 2 }] }, spec))).toBe(-38003)
    expect(payloadAttributesParams(3, attrs('osaka'), spec).parentBeaconBlockRoot).toEqual(new Uint8Array(32).fill(8))
  })

  test('getPayloadV1–V5 serve their forks\' payloads; getBlobsV1 ends with Osaka', () => {
    const table = ([1, 2, 3, 4, 5] as const).map((v) => FORKS.map((f) => outcome(() => requireFork(`engine_getPayloadV${v}`, GET_PAYLOAD_FORKS[v], f))))
    expect(table).toEqual([
      ['ok', -38005, -38005, -38005, -38005],
      ['ok', 'ok', -38005, -38005, -38005],
      [-38005, -38005, 'ok', -38005, -38005],
      [-38005, -38005, -38005, 'ok', -38005],
      [-38005, -38005, -38005, -38005, 'ok'],
    ])
    expect(outcome(() => requireGetBlobsFork(1, spec, TIME.prague))).toBe('ok')
    expect(outcome(() => requireGetBlobsFork(1, spec, TIME.osaka))).toBe(-38005)
    expect(outcome(() => requireGetBlobsFork(2, spec, TIME.osaka))).toBe('ok')
  })

  test('other parameters: payloadId, bodies by hash and range, blob hashes', () => {
    expect(getPayloadParams(['0x0000000000000001'])).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]))
    expect(outcome(() => getPayloadParams(['0x01']))).toBe(-32602)
    expect(outcome(() => getPayloadParams([]))).toBe(-32602)
    expect(payloadBodiesByHashParams([[hash(1), hash(2)]], 32)).toHaveLength(2)
    expect(outcome(() => payloadBodiesByHashParams([Array(33).fill(hash(1))], 32))).toBe(-38004)
    expect(payloadBodiesByRangeParams(['0x1', '0x20'], 32)).toEqual({ start: 1n, count: 32 })
    expect(outcome(() => payloadBodiesByRangeParams(['0x0', '0x1'], 32))).toBe(-32602)
    expect(outcome(() => payloadBodiesByRangeParams(['0x1', '0x0'], 32))).toBe(-32602)
    expect(outcome(() => payloadBodiesByRangeParams(['0x1', '0x21'], 32))).toBe(-38004)
    expect(getBlobsParams([[hash(1)]], 128)).toHaveLength(1)
    expect(outcome(() => getBlobsParams([Array(129).fill(hash(1))], 128))).toBe(-38004)
    expect(outcome(() => getBlobsParams([['0x01']], 128))).toBe(-32602)
  })
})
