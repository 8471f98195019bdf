import { expect, test } from 'bun:test'
import { encodeRlp } from '../primitives/index.ts'
import { MetaKeys, openMemoryStore } from '../storage/index.ts'
import { openDevEdits } from './dev-edits-store.ts'

const head = new Uint8Array(32).fill(1)
const addr = new Uint8Array(20).fill(0xed)

test('pending edits and a chain id change come back after a reopen on the same head, and not on another', () => {
  const db = openMemoryStore()
  const e = openDevEdits(db, () => head)
  e.setBalance(addr, 0x1234n)
  e.setStorage(addr, 1n, 2n)
  e.setChainId(4242n)
  const again = openDevEdits(db, () => head).list()
  expect(again.chainId).toBe(4242n)
  expect(again.accounts[0]!.balance).toBe(0x1234n)
  expect(again.accounts[0]!.storage.get(1n)).toBe(2n)
  expect(openDevEdits(db, () => new Uint8Array(32).fill(2)).empty).toBe(true)
  expect(db.get(MetaKeys.devEdits)).toBeUndefined()
})

test("a record of the first layout (accounts only) is still read", () => {
  const db = openMemoryStore()
  db.put(MetaKeys.devEdits, encodeRlp([head, [[addr, [0x1234n], [], [], [[1n, 2n]]]]]))
  const e = openDevEdits(db, () => head).list()
  expect(e.chainId).toBeUndefined()
  expect(e.accounts[0]!.balance).toBe(0x1234n)
  expect(e.accounts[0]!.storage.get(1n)).toBe(2n)
})
