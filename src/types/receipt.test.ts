import { expect, test } from 'bun:test'
import { bytesToHex, hexToBytes, RlpError } from '../primitives/index.ts'
import {
  bloomAdd,
  bloomContains,
  bloomOr,
  createBloom,
  decodeBlockReceipt,
  decodeReceipt,
  encodeBlockReceipt,
  encodeReceipt,
  logsBloom,
} from './index.ts'
import { sampleReceipts } from './testing/samples.ts'

test('receipts round trip: root or status, legacy and typed, consensus and block forms', () => {
  for (const r of sampleReceipts()) {
    const bytes = encodeReceipt(r)
    if (r.type === 0) expect(bytes[0]! >= 0xc0).toBe(true)
    else expect(bytes[0]).toBe(r.type)
    expect(decodeReceipt(bytes)).toEqual(r)
    expect(decodeBlockReceipt(encodeBlockReceipt(r))).toEqual(r)
  }
  expect(() => decodeReceipt(hexToBytes('0x05c0'))).toThrow(RlpError)
})

test('bloom: contains after add, or-merge, logsBloom of a known log', () => {
  const address = hexToBytes('0x00000000000000000000000000000000deadbeef')
  const topic = new Uint8Array(32).fill(7)
  const b = createBloom()
  expect(bloomContains(b, address)).toBe(false)
  bloomAdd(b, address)
  expect(bloomContains(b, address)).toBe(true)
  expect(b.reduce((n, x) => n + popcount(x), 0)).toBeLessThanOrEqual(3)
  const c = createBloom()
  bloomAdd(c, topic)
  bloomOr(b, c)
  expect(bloomContains(b, topic) && bloomContains(b, address)).toBe(true)
  expect(bytesToHex(logsBloom([{ address, topics: [topic], data: new Uint8Array(0) }]))).toBe(bytesToHex(b))
  expect(logsBloom([]).every((x) => x === 0)).toBe(true)
})

test('bloom bit positions match the Yellow Paper (keccak of the empty string)', () => {
  // keccak256('') = c5d2 4601 86f7 ...: bits 0x5d2, 0x601, 0x6f7 (low 11 bits of each pair).
  const b = createBloom()
  bloomAdd(b, new Uint8Array(0))
  const set: number[] = []
  for (let i = 0; i < 256; i++) for (let k = 0; k < 8; k++) if (b[i]! & (1 << k)) set.push((255 - i) * 8 + k)
  expect(set.sort((x, y) => x - y)).toEqual([0x5d2, 0x601, 0x6f7].sort((x, y) => x - y))
})

function popcount(x: number): number {
  let n = 0
  for (; x; x &= x - 1) n++
  return n
}
