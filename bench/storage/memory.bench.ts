/**
 * A growing store, as block import grows it: batches of 200 random operations (170 new keys, 15
 * overwrites, 15 deletes of live keys; keys shaped like trie nodes, flat accounts and storage
 * slots) until the store holds `keys` entries. Before each batch a snapshot is taken (a reader
 * such as an RPC call holding a view) and released after it (the B+tree also runs without
 * one: then no write copies a node); after each batch 200 point reads
 * (150 live keys, 50 misses). Reports batches/s and reads/s per tenth of the run for:
 *   - memory: the B+tree backend (src/storage/memory.ts),
 *   - memory (array): the sorted-array backend it replaced (memory-array.ts), the baseline,
 *   - rocksdb.
 * The array backend costs O(n) per batch, so for it only the last 30 batches of each tenth are
 * applied one by one and timed (the rest go in untimed as one large batch); the others run and
 * time every batch. All three see the same keys.
 *   bun bench/storage/memory.bench.ts [keys]       (default 1,000,000)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openMemoryStore, openRocksStore, type KeyValueStore } from '../../src/storage/index.ts'
import { openArrayMemoryStore } from './memory-array.ts'
import { xorshift as rng } from '../../src/primitives/index.ts'

const OPS = 200
const NEW = 170
const OVERWRITES = 15
const READS = 200
const WINDOWS = 10
const SAMPLE = 30

function randomBytes(next: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 4) {
    const r = next()
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = r >>> (j * 8)
  }
  return out
}

/** 't' hash(32) 60%, 's' address(20) slot(32) 30%, 'a' address(20) 10%. */
function makeKey(next: () => number): Uint8Array {
  const r = next() % 10
  const [tag, len] = r < 6 ? [0x74, 32] : r < 9 ? [0x73, 52] : [0x61, 20]
  const k = randomBytes(next, 1 + len)
  k[0] = tag
  return k
}

/** Timings of the last `SAMPLE` batches of one tenth of the run. */
interface Window {
  keys: number
  batches: number
  batchMs: number
  reads: number
  readMs: number
}

interface Run {
  windows: Window[]
  /** Every batch and read, when all batches were timed (`sampled: false`). */
  total?: Window
}

/**
 * Runs `ceil(target / 155)` batches (each adds 155 keys net). With `sampled`, only the last
 * `SAMPLE` batches of each tenth are applied one by one and timed; the others are applied
 * untimed as one large batch, so an O(n)-per-batch backend still reaches `target` quickly.
 */
function runWorkload(db: KeyValueStore, target: number, sampled: boolean, snapshots = true): Run {
  const next = rng(0x5eed)
  const live: Uint8Array[] = []
  const windows: Window[] = []
  const total: Window = { keys: 0, batches: 0, batchMs: 0, reads: 0, readMs: 0 }
  const batches = Math.ceil(target / (NEW - (OPS - NEW - OVERWRITES)))
  const perWindow = Math.ceil(batches / WINDOWS)
  let w: Window = { keys: 0, batches: 0, batchMs: 0, reads: 0, readMs: 0 }
  let pending = db.batch()
  let found = 0
  let expected = 0
  for (let n = 0; n < batches; n++) {
    // choose the batch (untimed)
    const puts: [Uint8Array, Uint8Array][] = []
    const dels: Uint8Array[] = []
    for (let i = 0; i < NEW; i++) {
      const k = makeKey(next)
      puts.push([k, randomBytes(next, 32 + (next() % 80))])
      live.push(k)
    }
    for (let i = 0; i < OVERWRITES; i++) puts.push([live[next() % live.length]!, randomBytes(next, 40)])
    for (let i = 0; i < OPS - NEW - OVERWRITES && live.length > NEW * 2; i++) {
      const j = next() % (live.length - NEW) // not one of this batch's new keys
      dels.push(live[j]!)
      live[j] = live[live.length - 1]!
      live.pop()
    }
    const reads: Uint8Array[] = []
    for (let i = 0; i < READS; i++) reads.push(i % 4 === 3 ? makeKey(next) : live[next() % live.length]!)

    const inWindow = n % perWindow
    const sample = inWindow >= perWindow - SAMPLE || n >= batches - SAMPLE
    if (sampled && !sample) {
      for (const [k, v] of puts) pending.put(k, v)
      for (const k of dels) pending.delete(k)
      continue
    }
    if (pending.length > 0) pending.write()

    let t = performance.now()
    const snap = snapshots ? db.snapshot() : undefined
    const batch = db.batch()
    for (const [k, v] of puts) batch.put(k, v)
    for (const k of dels) batch.delete(k)
    batch.write()
    snap?.release()
    const batchMs = performance.now() - t
    t = performance.now()
    for (const k of reads) if (db.get(k) !== undefined) found++
    const readMs = performance.now() - t
    expected += (READS * 3) / 4

    for (const x of sample ? [w, total] : [total]) {
      x.batches++
      x.batchMs += batchMs
      x.reads += READS
      x.readMs += readMs
      x.keys = live.length
    }
    if (inWindow === perWindow - 1 || n === batches - 1) {
      windows.push(w)
      w = { keys: 0, batches: 0, batchMs: 0, reads: 0, readMs: 0 }
    }
  }
  // Misses are random 21- to 53-byte keys: a hit among them is practically impossible.
  if (found < expected) throw new Error(`found ${found} of ${expected} live keys`)
  let n = 0
  for (const _ of db.iterate()) n++
  if (n !== live.length) throw new Error(`iterated ${n} keys, expected ${live.length}`)
  return { windows, total: sampled ? undefined : total }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

/** Entry for bench/index.ts groups (`./storage/memory.bench.ts`). */
export async function run(target = 1_000_000): Promise<void> {
  const results: ({ name: string } & Run)[] = []
  results.push({ name: 'memory', ...runWorkload(openMemoryStore(), target, false) })
  results.push({ name: 'memory (array)', ...runWorkload(openArrayMemoryStore(), target, true) })
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-memory-bench-'))
  try {
    const db = await openRocksStore(dir)
    results.push({ name: 'rocksdb', ...runWorkload(db, target, false) })
    await db.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  // Without a reader open, no write copies a node.
  results.push({ name: 'memory, no snapshot', ...runWorkload(openMemoryStore(), target, false, false) })

  type Rate = { b: number; r: number }
  const rate = (w: Window): Rate => ({ b: (w.batches * 1000) / w.batchMs, r: (w.reads * 1000) / w.readMs })
  const cell = (x: Rate) => `${fmt(x.b)} / ${fmt(x.r)}`
  const ratio = (a: Rate, b: Rate) => `${(a.b / b.b).toFixed(1)}x / ${(a.r / b.r).toFixed(1)}x`
  console.log(`\nstorage growth to ${fmt(target)} keys: batches of ${OPS} ops with a snapshot open during each (none for the last backend), ${READS} point reads after each; Bun ${Bun.version}`)
  console.log(`batches/s / reads/s over the last ${SAMPLE} batches of each tenth:\n`)
  console.log(`| keys | ${results.map((r) => r.name).join(' | ')} | memory vs array | memory vs rocksdb |`)
  console.log(`| ---: | ${results.map(() => '---:').join(' | ')} | ---: | ---: |`)
  for (let i = 0; i < results[0]!.windows.length; i++) {
    const rates = results.map((r) => rate(r.windows[i]!))
    console.log(`| ${fmt(results[0]!.windows[i]!.keys)} | ${rates.map(cell).join(' | ')} | ${ratio(rates[0]!, rates[1]!)} | ${ratio(rates[0]!, rates[2]!)} |`)
  }
  console.log('')
  for (const r of results) {
    if (!r.total) continue
    const x = rate(r.total)
    console.log(`${r.name}: all ${fmt(r.total.batches)} batches timed: ${(r.total.batchMs / 1000).toFixed(1)} s, ${fmt(x.b)} batches/s, ${fmt(x.r)} reads/s`)
  }
}

if (import.meta.main) await run(Number(process.argv[2] || 1_000_000))
