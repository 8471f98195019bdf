import { expect, test } from 'bun:test'
import {
  accountKey,
  accountStoragePrefix,
  blockNumberKey,
  canonicalKey,
  codeKey,
  decodeBlockRef,
  decodeNumber,
  encodeBlockRef,
  encodeNumber,
  headerKey,
  headersAtPrefix,
  importOrderKey,
  MetaKeys,
  openMemoryStore,
  StorageError,
  storageKey,
  tableOf,
  Tables,
  trieNodeKey,
} from './index.ts'
import { MosaicError } from '../primitives/index.ts'

const hash = (n: number) => new Uint8Array(32).fill(n)
const address = new Uint8Array(20).fill(0xaa)

test('table prefixes are distinct single bytes', () => {
  const prefixes = Object.values(Tables).map((t) => t.prefix)
  expect(prefixes.every((p) => p.length === 1)).toBe(true)
  expect(new Set(prefixes.map((p) => p[0])).size).toBe(prefixes.length)
})

test('StorageError is a MosaicError with a code', () => {
  const err = new StorageError('STORAGE_LOCKED', 'locked', { details: 'stop the other process' })
  expect(err).toBeInstanceOf(MosaicError)
  expect(err.code).toBe('STORAGE_LOCKED')
  expect(err.message).toBe('locked: stop the other process')
})

test('numbers are 8-byte big-endian and round-trip', () => {
  expect([...encodeNumber(0x0102n)]).toEqual([0, 0, 0, 0, 0, 0, 1, 2])
  expect(decodeNumber(encodeNumber((1n << 64n) - 1n))).toBe((1n << 64n) - 1n)
  expect(() => encodeNumber(-1)).toThrow(StorageError)
  expect(() => encodeNumber(1n << 64n)).toThrow(StorageError)
})

test('keys have the documented shape and belong to their table', () => {
  expect(headerKey(5, hash(1)).length).toBe(41)
  expect(canonicalKey(5n).length).toBe(9)
  expect(blockNumberKey(hash(1)).length).toBe(33)
  expect(importOrderKey(1).length).toBe(9)
  expect(accountKey(address).length).toBe(21)
  expect(storageKey(address, hash(2)).length).toBe(53)
  expect(codeKey(hash(3)).length).toBe(33)
  expect(trieNodeKey(hash(4)).length).toBe(33)
  expect(tableOf(headerKey(1, hash(1)))).toBe(Tables.headers)
  expect(tableOf(storageKey(address, hash(1)))).toBe(Tables.storage)
  expect(tableOf(MetaKeys.head)).toBe(Tables.meta)
  expect(() => accountKey(new Uint8Array(19))).toThrow(StorageError)
  expect(() => headerKey(1, new Uint8Array(31))).toThrow(StorageError)
  const ref = decodeBlockRef(encodeBlockRef(7, hash(9)))
  expect(ref.number).toBe(7n)
  expect([...ref.hash]).toEqual([...hash(9)])
})

test('iterating a table walks blocks by number, and a prefix selects one height or account', () => {
  const db = openMemoryStore()
  for (const n of [256, 1, 65536, 2, 255]) {
    db.put(canonicalKey(n), hash(n & 0xff))
    db.put(headerKey(n, hash(1)), new Uint8Array([1]))
    db.put(headerKey(n, hash(2)), new Uint8Array([2])) // a fork at each height
  }
  const heights = [...db.iterate({ prefix: Tables.canonical.prefix })].map(([k]) => decodeNumber(k, 1))
  expect(heights).toEqual([1n, 2n, 255n, 256n, 65536n])
  const latest = [...db.iterate({ prefix: Tables.canonical.prefix, reverse: true, limit: 1 })]
  expect(decodeNumber(latest[0]![0], 1)).toBe(65536n)
  expect([...db.iterate({ prefix: headersAtPrefix(256) })].length).toBe(2)

  db.put(storageKey(address, hash(1)), new Uint8Array([1]))
  db.put(storageKey(address, hash(2)), new Uint8Array([2]))
  db.put(storageKey(new Uint8Array(20).fill(0xab), hash(1)), new Uint8Array([3]))
  expect([...db.iterate({ prefix: accountStoragePrefix(address) })].length).toBe(2)
})
