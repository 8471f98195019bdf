import { describe, expect, test } from 'bun:test'
import { singleForkSpec } from '../../chainspec/index.ts'
import { VERSION } from '../../node/version.ts'
import { RpcError } from '../../rpc/index.ts'
import type { BlockBody } from '../../types/index.ts'
import {
  capabilitiesOf, CLIENT_CODE, detectCommit, exchangeCapabilities, getBlobsV1, getBlobsV2, getClientVersionV1,
  getPayloadBodiesByHashV1, getPayloadBodiesByRangeV1, withCapabilities, type BodyReader, type PooledBlob,
} from './index.ts'

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as RpcError).rpcCode
  }
  return 'ok'
}

describe('stateless Engine API methods', () => {
  test('engine_exchangeCapabilities answers with the served engine_ methods, never itself', () => {
    const table = withCapabilities({ engine_newPayloadV4: () => null, engine_getClientVersionV1: () => [], eth_chainId: () => '0x1' })
    const answer = table.engine_exchangeCapabilities!([['engine_newPayloadV1', 'engine_foo']])
    expect(answer).toEqual(['engine_newPayloadV4', 'engine_getClientVersionV1'])
    expect(capabilitiesOf(table)).not.toContain('engine_exchangeCapabilities')
    // any list of names is fine, a malformed one is -32602
    expect(exchangeCapabilities(() => [])([[]])).toEqual([])
    expect(code(() => table.engine_exchangeCapabilities!([]))).toBe(-32602)
    expect(code(() => table.engine_exchangeCapabilities!(['engine_newPayloadV1']))).toBe(-32602)
    expect(code(() => table.engine_exchangeCapabilities!([[1]]))).toBe(-32602)
  })

  test('engine_getClientVersionV1: one ClientVersionV1 with code MS, the node version and 4 commit bytes', () => {
    const h = getClientVersionV1({ version: VERSION, commit: '0xfa4ff922' })
    const theirs = { code: 'ZZ', name: 'Some CL', version: 'v1.0.0', commit: '0x01020304' }
    expect(h([theirs])).toEqual([{ code: CLIENT_CODE, name: 'Mosaic', version: VERSION, commit: '0xfa4ff922' }])
    expect(code(() => h([]))).toBe(-32602)
    expect(code(() => h([{ ...theirs, code: 7 }]))).toBe(-32602)
    expect(CLIENT_CODE).toMatch(/^[A-Z]{2}$/)
  })

  test('the commit: MOSAIC_COMMIT, else git HEAD, else zeros', () => {
    expect(detectCommit({ MOSAIC_COMMIT: '0xABCDEF0123456789' })).toBe('0xabcdef01')
    expect(detectCommit({})).toMatch(/^0x[0-9a-f]{8}$/)
    expect(detectCommit({}, '/')).toBe('0x00000000')
    let asked = 0
    const h = getClientVersionV1({ version: '1.2.3', commit: () => (asked++, '0x0badc0de') })
    const theirs = [{ code: 'LH', name: 'Lighthouse', version: 'v5', commit: '0x00000000' }]
    h(theirs)
    expect((h(theirs) as { commit: string }[])[0]!.commit).toBe('0x0badc0de')
    expect(asked).toBe(1)
  })
})

describe('payload bodies and blobs', () => {
  const body = (n: number): BlockBody => ({ transactions: [], ommers: [], withdrawals: n >= 3 ? [] : undefined })
  const chain: BodyReader = {
    bodyByHash: (h) => (h[0] === 1 ? body(1) : h[0] === 3 ? body(3) : undefined),
    canonicalBody: (n) => (n === 2n ? undefined : body(Number(n))),
    headNumber: () => 4n,
  }
  const hash = (b: number) => '0x' + b.toString(16).padStart(2, '0').repeat(32)

  test('by hash: in order, null for a missing block, null withdrawals before Shanghai', () => {
    expect(getPayloadBodiesByHashV1(chain)([[hash(1), hash(2), hash(3)]])).toEqual([
      { transactions: [], withdrawals: null },
      null,
      { transactions: [], withdrawals: [] },
    ])
    expect(code(() => getPayloadBodiesByHashV1(chain, 2)([[hash(1), hash(2), hash(3)]]))).toBe(-38004)
  })

  test('by range: nulls for missing blocks below the head, none past it', () => {
    const range = (start: string, count: string) => getPayloadBodiesByRangeV1(chain)([start, count]) as unknown[]
    expect(range('0x1', '0x3').map((b) => b !== null)).toEqual([true, false, true])
    expect(range('0x3', '0x10')).toHaveLength(2)
    expect(range('0x5', '0x2')).toEqual([])
    expect(code(() => range('0x0', '0x1'))).toBe(-32602)
    expect(code(() => getPayloadBodiesByRangeV1(chain, 8)(['0x1', '0x9']))).toBe(-38004)
  })

  const spec = (() => {
    const s = singleForkSpec('osaka', new Map())
    return { ...s, forks: s.forks.map((f) => (f.fork === 'osaka' ? { fork: 'osaka' as const, timestamp: 100n } : f)) }
  })()
  const pooled: Record<number, PooledBlob> = {
    1: { blob: new Uint8Array([1]), proofs: [new Uint8Array([0xa1])], wrapperVersion: 0 },
    2: { blob: new Uint8Array([2]), proofs: Array.from({ length: 128 }, () => new Uint8Array([0xb2])), wrapperVersion: 1 },
    3: { blob: new Uint8Array([3]), proofs: Array.from({ length: 128 }, () => new Uint8Array([0xb3])), wrapperVersion: 1 },
  }
  const deps = (timestamp: bigint, syncing = false) => ({ spec, blobs: { blobByVersionedHash: (h: Uint8Array) => pooled[h[0]!] }, timestamp: () => timestamp, syncing: () => syncing })

  test('getBlobsV1: a blob and proof or null per hash; -38005 once Osaka is active', () => {
    expect(getBlobsV1(deps(50n))([[hash(1), hash(9), hash(2)]])).toEqual([{ blob: '0x01', proof: '0xa1' }, null, null])
    expect(code(() => getBlobsV1(deps(100n))([[hash(1)]]))).toBe(-38005)
    expect(code(() => getBlobsV1(deps(50n), 1)([[hash(1), hash(1)]]))).toBe(-38004)
  })

  test('getBlobsV2: all with cell proofs or null', () => {
    const all = getBlobsV2(deps(100n))([[hash(2), hash(3)]]) as { blob: string; proofs: string[] }[]
    expect(all.map((b) => [b.blob, b.proofs.length])).toEqual([['0x02', 128], ['0x03', 128]])
    expect(getBlobsV2(deps(100n))([[hash(2), hash(9)]])).toBeNull()
    expect(getBlobsV2(deps(100n))([[hash(2), hash(1)]])).toBeNull()
    expect(getBlobsV2(deps(100n, true))([[hash(2)]])).toBeNull()
  })
})
