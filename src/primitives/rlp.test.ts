import { describe, expect, test } from 'bun:test'
import { hexToBytes, bytesToHex } from './hex.ts'
import { decodeRlp, encodeRlp, RlpError, rlpUint, rlpFixed, rlpList, type RlpErrorKind } from './rlp.ts'

const hex = (h: string) => hexToBytes(h)

function expectRlpError(input: string, kind: RlpErrorKind) {
  try {
    decodeRlp(hex(input))
  } catch (err) {
    expect(err).toBeInstanceOf(RlpError)
    expect((err as RlpError).kind).toBe(kind)
    return
  }
  throw new Error(`decoding ${input} did not fail`)
}

describe('encodeRlp', () => {
  test('yellow-paper examples', () => {
    expect(bytesToHex(encodeRlp(new TextEncoder().encode('dog')))).toBe('0x83646f67')
    expect(bytesToHex(encodeRlp([]))).toBe('0xc0')
    expect(bytesToHex(encodeRlp(0n))).toBe('0x80')
    expect(bytesToHex(encodeRlp(15))).toBe('0x0f')
    expect(bytesToHex(encodeRlp(1024n))).toBe('0x820400')
    expect(bytesToHex(encodeRlp([[], [[]], [[], [[]]]]))).toBe('0xc7c0c1c0c3c0c1c0')
  })
  test('long strings and lists use the long form with a minimal length', () => {
    const s = encodeRlp(new Uint8Array(56))
    expect(bytesToHex(s.subarray(0, 2))).toBe('0xb838')
    const l = encodeRlp(Array.from({ length: 60 }, () => 1))
    expect(bytesToHex(l.subarray(0, 2))).toBe('0xf83c')
    const big = encodeRlp(new Uint8Array(70000))
    expect(bytesToHex(big.subarray(0, 4))).toBe('0xba011170')
  })
  test('round trip of nested structures', () => {
    const value = [hex('0x'), hex('0x7f'), hex('0x80'), [hex('0xdeadbeef'), [new Uint8Array(100)]]]
    const decoded = decodeRlp(encodeRlp(value))
    expect(bytesToHex(encodeRlp(decoded))).toBe(bytesToHex(encodeRlp(value)))
  })
  test('rejects negative integers', () => {
    expect(() => encodeRlp(-1n)).toThrow()
  })
})

describe('decodeRlp rejects non-canonical input', () => {
  test('single byte below 0x80 wrapped in a prefix', () => expectRlpError('0x8105', 'non-canonical-single-byte'))
  test('long form for a short string', () => expectRlpError('0xb80100', 'non-canonical-size'))
  test('length with leading zeros', () => expectRlpError(`0xb90038${'00'.repeat(56)}`, 'non-canonical-size'))
  test('long form for a short list', () => expectRlpError('0xf80100', 'non-canonical-size'))
  test('truncated string', () => expectRlpError('0x83646f', 'truncated'))
  test('truncated list', () => expectRlpError('0xc3c0c0', 'truncated'))
  test('truncated length prefix', () => expectRlpError('0xb9', 'truncated'))
  test('empty input', () => expectRlpError('0x', 'truncated'))
  test('trailing bytes', () => expectRlpError('0x83646f6700', 'trailing-bytes'))
  test('list item running past its list', () => expectRlpError('0xc28300', 'truncated'))
  test('length of more than 4 bytes', () => expectRlpError('0xbd010000000000', 'oversize'))
  test('too deep', () => {
    const deep = new Uint8Array(2000).fill(0xc0)
    // 0xc0 repeated is a list followed by trailing bytes; build a real deep nesting instead.
    let item: unknown[] = []
    for (let i = 0; i < 1100; i++) item = [item]
    expect(() => decodeRlp(encodeRlp(item as never))).toThrow(RlpError)
    expect(() => decodeRlp(deep)).toThrow(RlpError)
  })
  test('oversize input', () => {
    expect(() => decodeRlp(new Uint8Array(100), { maxInput: 10 })).toThrow(RlpError)
  })
})

describe('typed accessors', () => {
  test('rlpUint rejects leading zeros and oversize', () => {
    expect(rlpUint(hex('0x0400'), 'x')).toBe(1024n)
    expect(() => rlpUint(hex('0x0004'), 'x')).toThrow(RlpError)
    expect(() => rlpUint(new Uint8Array(33).fill(1), 'x')).toThrow(RlpError)
    expect(() => rlpUint([], 'x')).toThrow(RlpError)
  })
  test('rlpFixed and rlpList check shape', () => {
    expect(() => rlpFixed(new Uint8Array(19), 'address', 20)).toThrow(RlpError)
    expect(() => rlpList(new Uint8Array(1), 'list')).toThrow(RlpError)
    expect(() => rlpList(undefined, 'list')).toThrow(RlpError)
  })
})
