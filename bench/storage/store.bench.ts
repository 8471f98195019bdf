/**
 * Mosaic's storage interface over each backend: 100k random 32-byte keys, 100-byte values.
 * Shows what the wrapper adds over the raw binding (bindings.bench.ts) and memory vs RocksDB.
 *   bun bench/storage/store.bench.ts [count]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMemoryStore, openRocksStore, type KeyValueStore } from '../../src/storage/index.ts'

const N = Number((import.meta.main && process.argv[2]) || 100_000)
const keys: Uint8Array[] = []
const values: Uint8Array[] = []
for (let i = 0; i < N; i++) {
  keys.push(crypto.getRandomValues(new Uint8Array(32)))
  values.push(crypto.getRandomValues(new Uint8Array(100)))
}

function time(fn: () => void): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}

async function runStore(name: string, db: KeyValueStore): Promise<string> {
  const ops = (ms: number) => Math.round((N * 1000) / ms).toLocaleString('en-US')
  const batchMs = time(() => {
    for (let i = 0; i < N; i += 1000) {
      const b = db.batch()
      for (let j = i; j < Math.min(i + 1000, N); j++) b.put(keys[j]!, values[j]!)
      b.write()
    }
  })
  let found = 0
  const getMs = time(() => {
    for (const k of keys) if (db.get(k)) found++
  })
  const snap = db.snapshot()
  const snapGetMs = time(() => {
    for (let i = 0; i < N; i += 10) if (snap.get(keys[i]!)) found++
  })
  snap.release()
  let seen = 0
  const iterMs = time(() => {
    for (const _ of db.iterate()) seen++
  })
  const putMs = time(() => {
    for (let i = 0; i < N; i++) db.put(keys[i]!, values[(i + 1) % N]!)
  })
  if (found !== N + N / 10 || seen !== N) throw new Error(`${name}: found ${found}, iterated ${seen}`)
  return `| ${name} | ${ops(putMs)} | ${ops(batchMs)} | ${ops(getMs)} | ${ops(snapGetMs * 10)} | ${ops(iterMs)} |`
}

/** Entry for bench/index.ts groups (`./storage/store.bench.ts`). */
export async function run(): Promise<void> {
  const rows = [await runStore('memory', openMemoryStore())]
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-store-bench-'))
  try {
    const db = await openRocksStore(dir)
    rows.push(await runStore('rocksdb', db))
    await db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`storage: ${N} keys (32 B) / values (100 B), Bun ${Bun.version}, ops/s:\n`)
  console.log('| backend | put (one at a time) | batch write (1000/batch) | get | snapshot get | iterate |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) console.log(r)
}

if (import.meta.main) await run()
