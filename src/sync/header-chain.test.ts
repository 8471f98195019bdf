/** Header checks of sync: reverse batches from the target, links to the child, the header rules; bodies matched to headers. */
import { describe, expect, test } from 'bun:test'
import { dev } from '../chainspec/index.ts'
import { decodeRlp, encodeRlp } from '../primitives/index.ts'
import { encodeBlockBody, encodeHeader, headerHash, type Header } from '../types/index.ts'
import { devChain } from '../../test/chain/block-files.ts'
import { emptyBodyOf, matchBodies } from './bodies.ts'
import { checkReverseBatch, decodeHeaders } from './header-chain.ts'
import { SyncPeerError } from './errors.ts'

const { chain } = devChain(12, 2)
const header = (n: number) => chain.headerByNumber(BigInt(n))!
/** Headers from `top` down to `bottom`, as a reverse response carries them. */
const reverse = (top: number, bottom: number) => Array.from({ length: top - bottom + 1 }, (_, i) => header(top - i))
const kindOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e instanceof SyncPeerError ? e.code : `other: ${String(e)}`
  }
  return 'ok'
}

describe('checkReverseBatch', () => {
  test('a batch down from the asked hash, linked to the header above it, passes', () => {
    expect(checkReverseBatch(dev, reverse(12, 5), headerHash(header(12)))).toHaveLength(8)
    expect(checkReverseBatch(dev, reverse(8, 1), headerHash(header(8)), { originNumber: 8n, child: header(9) })).toHaveLength(8)
  })

  test('a batch asked by number starts at that number and chains down', () => {
    expect(checkReverseBatch(dev, reverse(8, 3), 8n)).toHaveLength(6)
    expect(kindOf(() => checkReverseBatch(dev, reverse(9, 3), 8n))).toBe('BAD_HEADERS')
    const forged: Header = { ...header(6), extraData: new Uint8Array([0xba, 0xd0]) }
    expect(kindOf(() => checkReverseBatch(dev, [header(8), header(7), forged, header(5)], 8n))).toBe('BAD_HEADERS')
  })

  test('an empty answer is allowed (the peer lacks the blocks)', () => {
    expect(checkReverseBatch(dev, [], headerHash(header(3)))).toEqual([])
  })

  test('wrong first header, wrong number, gaps, wrong order, broken links and rules are the peer\'s fault', () => {
    const origin = headerHash(header(10))
    expect(kindOf(() => checkReverseBatch(dev, reverse(9, 1), origin))).toBe('BAD_HEADERS')
    expect(kindOf(() => checkReverseBatch(dev, reverse(10, 1), origin, { originNumber: 11n }))).toBe('BAD_HEADERS')
    expect(kindOf(() => checkReverseBatch(dev, [header(10), header(8), header(7)], origin))).toBe('BAD_HEADERS')
    expect(kindOf(() => checkReverseBatch(dev, [header(10), header(11)], origin))).toBe('BAD_HEADERS')
    // the batch must be the parent of the header above it
    expect(kindOf(() => checkReverseBatch(dev, reverse(10, 5), origin, { child: header(12) }))).toBe('BAD_HEADERS')
    // a parent that links by hash but breaks a rule (timestamp not after its parent's)
    const forged: Header = { ...header(4), timestamp: header(5).timestamp }
    const child: Header = { ...header(5), parentHash: headerHash(forged) }
    expect(kindOf(() => checkReverseBatch(dev, [child, forged], headerHash(child)))).toBe('BAD_HEADERS')
    // a gas limit too far from the parent's
    const greedy: Header = { ...header(6), gasLimit: header(5).gasLimit * 2n }
    expect(kindOf(() => checkReverseBatch(dev, [greedy, header(5)], headerHash(greedy)))).toBe('BAD_HEADERS')
  })

  test('headers that do not decode are the peer\'s fault', () => {
    expect(decodeHeaders([decodeRlp(encodeHeader(header(3)))]).map((h) => h.number)).toEqual([3n])
    expect(kindOf(() => decodeHeaders([[new Uint8Array([1])]]))).toBe('BAD_HEADERS')
  })
})

describe('matchBodies', () => {
  const body = (n: number) => decodeRlp(encodeBlockBody(chain.blockByHash(headerHash(header(n)))!))
  const headers = [header(3), header(4), header(5), header(6)]

  test('bodies match their headers; left-out blocks stay undefined', () => {
    const got = matchBodies(headers, [body(3), body(5)])
    expect(got.map((b) => b?.transactions.length)).toEqual([2, undefined, 2, undefined])
  })

  test('a body matching no remaining header is the peer\'s fault (other block, wrong order)', () => {
    expect(kindOf(() => matchBodies(headers, [body(7)]))).toBe('BAD_BODIES')
    expect(kindOf(() => matchBodies(headers, [body(5), body(3)]))).toBe('BAD_BODIES')
    expect(kindOf(() => matchBodies(headers, [encodeRlp([]) as never]))).toBe('BAD_BODIES')
  })

  test('a header committing to an empty body needs no request', () => {
    expect(emptyBodyOf(header(3))).toBeUndefined()
    expect(emptyBodyOf(chain.headerByNumber(0n)!)).toEqual({ transactions: [], ommers: [], withdrawals: [] })
  })
})
