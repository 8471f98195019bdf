import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRocksStore, StorageError } from './index.ts'
import { storeSuite } from './store-suite.ts'

const root = mkdtempSync(join(tmpdir(), 'mosaic-rocks-test-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const newDir = () => join(root, `db${n++}`)
const b = (s: string) => new TextEncoder().encode(s)

storeSuite('rocksdb', async () => {
  const dir = newDir()
  const store = await openRocksStore(dir)
  return {
    store,
    async cleanup() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

async function openError(path: string, opts = {}): Promise<StorageError> {
  try {
    const db = await openRocksStore(path, opts)
    await db.close()
  } catch (err) {
    if (err instanceof StorageError) return err
    throw err
  }
  throw new Error('open succeeded')
}

describe('rocksdb on disk', () => {
  test('data survives close and reopen', async () => {
    const dir = newDir()
    const db = await openRocksStore(dir)
    const batch = db.batch()
    for (let i = 0; i < 1000; i++) batch.put(b(`k${i}`), b(`v${i}`))
    batch.write({ sync: true })
    db.put(b('single'), b('1'))
    db.delete(b('k0'))
    await db.close()

    const again = await openRocksStore(dir)
    expect(Buffer.from(again.get(b('k999'))!).toString()).toBe('v999')
    expect(again.has(b('k0'))).toBe(false)
    expect(Buffer.from(again.get(b('single'))!).toString()).toBe('1')
    expect([...again.iterate({ prefix: b('k') })].length).toBe(999)
    await again.close()
  })

  test('opening a database that is already open gives STORAGE_LOCKED', async () => {
    const dir = newDir()
    const db = await openRocksStore(dir)
    const err = await openError(dir)
    expect(err.code).toBe('STORAGE_LOCKED')
    expect(err.message).toContain(dir)
    expect(err.message).toContain('stop that process or choose another data directory')
    await db.close()
    // Once closed it opens again.
    await (await openRocksStore(dir)).close()
  })

  test('a damaged database gives STORAGE_CORRUPT', async () => {
    const dir = newDir()
    await (await openRocksStore(dir)).close()
    writeFileSync(join(dir, 'CURRENT'), 'not a manifest name\n')
    const err = await openError(dir)
    expect(err.code).toBe('STORAGE_CORRUPT')
    expect(err.message).toContain('restore it from a backup')
  })

  test('a missing database with createIfMissing false gives STORAGE_OPEN_FAILED', async () => {
    const err = await openError(join(root, 'absent'), { createIfMissing: false })
    expect(err.code).toBe('STORAGE_OPEN_FAILED')
  })
})
