import { expect, test } from 'bun:test'
import { keccak256 } from '../crypto/index.ts'
import { openMemoryStore, StorageError } from '../storage/index.ts'
import { CodeReader } from './index.ts'

test('code missing from the store is a StorageError (STORAGE_CORRUPT)', () => {
  const reader = new CodeReader(openMemoryStore())
  let err: unknown
  try {
    reader.get(keccak256(new Uint8Array([0x00])))
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(StorageError)
  expect((err as StorageError).code).toBe('STORAGE_CORRUPT')
})
