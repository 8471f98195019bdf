import { expect, test } from 'bun:test'
import { HexError } from './errors.ts'
import { bigintToHex, bytesToHex, hexToBigint, hexToBytes, isHex } from './hex.ts'
import { bigintToBytes, bigintToWord, bytesToBigint, fromSigned, toSigned, UINT256_MAX, wrap256 } from './word.ts'
import { compareBytes, concatBytes, equalBytes, padLeft, stripLeadingZeros } from './bytes.ts'

test('hex round trip, either case in, lowercase out', () => {
  expect(bytesToHex(hexToBytes('0xDEADbeef'))).toBe('0xdeadbeef')
  expect(bytesToHex(hexToBytes('00ff'))).toBe('0x00ff')
  expect(hexToBytes('0x').length).toBe(0)
})

test('bad hex throws HexError', () => {
  expect(() => hexToBytes('0x123')).toThrow(HexError)
  expect(() => hexToBytes('0xzz')).toThrow(HexError)
  expect(isHex('0x12g')).toBe(false)
  expect(isHex('12')).toBe(false)
  expect(isHex('0x123', { strict: true })).toBe(false)
})

test('quantities', () => {
  expect(bigintToHex(0n)).toBe('0x0')
  expect(bigintToHex(255)).toBe('0xff')
  expect(hexToBigint('0x')).toBe(0n)
  expect(hexToBigint('0x0100')).toBe(256n)
  expect(() => hexToBigint('100')).toThrow(HexError)
  expect(() => bigintToHex(-1n)).toThrow(RangeError)
})

test('word helpers', () => {
  expect(bytesToBigint(hexToBytes('0x0100'))).toBe(256n)
  expect(bytesToBigint(new Uint8Array(32).fill(0xff))).toBe(UINT256_MAX)
  expect(bigintToBytes(0n).length).toBe(0)
  expect(bytesToHex(bigintToBytes(256))).toBe('0x0100')
  expect(bytesToHex(bigintToBytes(0x123456789abcdefn))).toBe('0x0123456789abcdef')
  expect(bigintToWord(1n).length).toBe(32)
  expect(() => bigintToWord(1n << 256n)).toThrow(RangeError)
  expect(toSigned(UINT256_MAX)).toBe(-1n)
  expect(fromSigned(-1n)).toBe(UINT256_MAX)
  expect(wrap256(-1n)).toBe(UINT256_MAX)
})

test('byte helpers', () => {
  expect(equalBytes(concatBytes(Uint8Array.of(1), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3))).toBe(true)
  expect(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0)
  expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9))).toBeGreaterThan(0)
  expect(bytesToHex(padLeft(Uint8Array.of(1), 3))).toBe('0x000001')
  expect(() => padLeft(new Uint8Array(4), 3)).toThrow(RangeError)
  expect(bytesToHex(stripLeadingZeros(Uint8Array.of(0, 0, 5)))).toBe('0x05')
})
