import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COUNTER, itemKey, KEYS } from './crash-writer.fixture.ts'
import { decodeNumber, openRocksStore, StorageError } from './index.ts'

const root = mkdtempSync(join(tmpdir(), 'mosaic-rocks-crash-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Starts the writer and resolves once it has acknowledged at least `atLeast` batches. */
async function runWriter(dir: string, atLeast: number) {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'crash-writer.fixture.ts'), dir], {
    stdout: 'pipe',
    stderr: 'inherit',
  })
  let acked = 0
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (acked < atLeast) {
    const { value, done } = await reader.read()
    if (done) {
      child.kill('SIGKILL')
      throw new Error(`writer exited early with ${await child.exited}`)
    }
    text += decoder.decode(value)
    const lines = text.split('\n')
    text = lines.pop()!
    if (lines.length > 0) acked = Number(lines[lines.length - 1])
  }
  return { child, acked, reader }
}

test('after SIGKILL mid-write, reopening shows only whole batches', async () => {
  const dir = join(root, 'db')
  let lastAcked = 0
  for (let round = 0; round < 3; round++) {
    const { child, acked, reader } = await runWriter(dir, lastAcked + 50)
    try {
      // While the writer holds the database, another process cannot open it.
      const locked = await openRocksStore(dir).then(
        async (db) => (await db.close(), undefined),
        (err) => err,
      )
      expect(locked).toBeInstanceOf(StorageError)
      expect((locked as StorageError).code).toBe('STORAGE_LOCKED')
      await Bun.sleep(round * 7) // kill at a different point each round
    } finally {
      child.kill('SIGKILL') // also when an expectation failed: never leave the writer running
    }
    expect(await child.exited).not.toBe(0)
    reader.releaseLock()

    const db = await openRocksStore(dir)
    const counter = Number(decodeNumber(db.get(COUNTER)!))
    expect(counter).toBeGreaterThanOrEqual(acked) // acknowledged batches survive a process crash
    for (let j = 0; j < KEYS; j++) {
      expect(Number(decodeNumber(db.get(itemKey(j))!))).toBe(counter) // no batch is half there
    }
    await db.close()
    lastAcked = counter
  }
}, 60_000)
