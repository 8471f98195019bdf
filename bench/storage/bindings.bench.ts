/**
 * RocksDB binding comparison: `rocksdb` (Level), `@nxtedition/rocksdb`, `rocksdb-native`
 * (holepunch). Each binding writes and reads the same 100k random 32-byte keys with 100-byte
 * values in a fresh temp directory; we report ops/s per operation. Results and verdict:
 * bench/storage/README.md.
 *
 * The candidates are not all project dependencies, so they are loaded from a scratch directory:
 *   mkdir /tmp/rocks-eval && cd /tmp/rocks-eval && echo {} > package.json &&
 *   bun add rocksdb@5.2.1 @nxtedition/rocksdb@12.2.12 rocksdb-native@3.18.1
 *   ROCKS_EVAL_DIR=/tmp/rocks-eval bun bench/storage/bindings.bench.ts [count]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const dir = process.env.ROCKS_EVAL_DIR ?? '/tmp/rocks-eval'
const req = createRequire(join(dir, 'package.json'))
const N = Number(process.argv[2] ?? 100_000)
const BATCH = 1000

// Deterministic pseudo-random keys (xorshift), so every binding sees the same data.
function makeData(n: number): { keys: Buffer[]; values: Buffer[] } {
  let s = 0x9e3779b9
  const next = () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return s >>> 0
  }
  const keys: Buffer[] = []
  const values: Buffer[] = []
  for (let i = 0; i < n; i++) {
    const k = Buffer.alloc(32)
    for (let j = 0; j < 32; j += 4) k.writeUInt32BE(next(), j)
    const v = Buffer.alloc(100)
    for (let j = 0; j < 100; j += 4) v.writeUInt32BE(next(), j)
    keys.push(k)
    values.push(v)
  }
  return { keys, values }
}

/** One binding's operations; each returns when all `keys` are done. */
interface Driver {
  name: string
  open(path: string): Promise<void>
  putEach(keys: Buffer[], values: Buffer[]): Promise<void>
  batchWrite(keys: Buffer[], values: Buffer[]): Promise<void>
  getEach(keys: Buffer[]): Promise<number>
  /** 1000 gets issued together (what an async binding is good at; MultiGet for the sync one). */
  getParallel(keys: Buffer[]): Promise<number>
  iterateAll(): Promise<number>
  close(): Promise<void>
  sync: string
}

function level(): Driver {
  const rocksdb = req('rocksdb')
  let db: any
  return {
    name: 'rocksdb@5.2.1 (Level)',
    sync: 'none (callbacks/promises only)',
    async open(path) {
      db = rocksdb(path)
      await promisify(db.open.bind(db))({ createIfMissing: true })
    },
    async putEach(keys, values) {
      const put = promisify(db.put.bind(db))
      for (let i = 0; i < keys.length; i++) await put(keys[i], values[i])
    },
    async batchWrite(keys, values) {
      const batch = promisify(db.batch.bind(db))
      for (let i = 0; i < keys.length; i += BATCH) {
        const ops = []
        for (let j = i; j < Math.min(i + BATCH, keys.length); j++) ops.push({ type: 'put', key: keys[j], value: values[j] })
        await batch(ops)
      }
    },
    async getEach(keys) {
      const get = promisify(db.get.bind(db))
      let n = 0
      for (const k of keys) n += (await get(k, { asBuffer: true })).length
      return n
    },
    async getParallel(keys) {
      const get = promisify(db.get.bind(db))
      let n = 0
      for (let i = 0; i < keys.length; i += BATCH) {
        const vs = await Promise.all(keys.slice(i, i + BATCH).map((k) => get(k, { asBuffer: true })))
        for (const v of vs) n += (v as Buffer).length
      }
      return n
    },
    async iterateAll() {
      const it = db.iterator({ keyAsBuffer: true, valueAsBuffer: true })
      let n = 0
      await new Promise<void>((resolve, reject) => {
        const step = () =>
          it.next((err: unknown, k: Buffer | undefined) => {
            if (err) return reject(err)
            if (k === undefined) return it.end(() => resolve())
            n++
            step()
          })
        step()
      })
      return n
    },
    async close() {
      await promisify(db.close.bind(db))()
    },
  }
}

function nxtedition(): Driver {
  // The sync entry points live on the raw binding; RocksLevel's public API is async.
  const binding = req('@nxtedition/rocksdb/binding.js')
  let ctx: any
  return {
    name: '@nxtedition/rocksdb@12.2.12',
    sync: 'get (db_get_many_sync), batch write (batch_write), iterator (iterator_nextv_sync); open/close async',
    async open(path) {
      ctx = binding.db_init(path)
      mkdirSync(path, { recursive: true })
      await new Promise<void>((res, rej) => binding.db_open(ctx, { createIfMissing: true }, (e: unknown) => (e ? rej(e) : res())))
    },
    async putEach(keys, values) {
      const b = binding.batch_init()
      for (let i = 0; i < keys.length; i++) {
        binding.batch_put(b, keys[i], values[i], {})
        binding.batch_write(ctx, b, {})
        binding.batch_clear(b)
      }
    },
    async batchWrite(keys, values) {
      const b = binding.batch_init()
      for (let i = 0; i < keys.length; i += BATCH) {
        for (let j = i; j < Math.min(i + BATCH, keys.length); j++) binding.batch_put(b, keys[j], values[j], {})
        binding.batch_write(ctx, b, {})
        binding.batch_clear(b)
      }
    },
    async getEach(keys) {
      let n = 0
      const one: Buffer[] = [Buffer.alloc(0)]
      for (const k of keys) {
        one[0] = k
        n += binding.db_get_many_sync(ctx, one, {})[0].length
      }
      return n
    },
    async getParallel(keys) {
      let n = 0
      for (let i = 0; i < keys.length; i += BATCH) {
        for (const v of binding.db_get_many_sync(ctx, keys.slice(i, i + BATCH), {})) n += v.length
      }
      return n
    },
    async iterateAll() {
      const it = binding.iterator_init(ctx, { keys: true, values: true, keyEncoding: 'buffer', valueEncoding: 'buffer' })
      let n = 0
      for (;;) {
        const { rows, finished } = binding.iterator_nextv_sync(it, 1000)
        n += rows.length / 2
        if (finished) break
      }
      binding.iterator_close(it)
      return n
    },
    async close() {
      await new Promise<void>((res, rej) => binding.db_close(ctx, (e: unknown) => (e ? rej(e) : res())))
    },
  }
}

function holepunch(): Driver {
  const RocksDB = req('rocksdb-native')
  let db: any
  return {
    name: 'rocksdb-native@3.18.1 (holepunch)',
    sync: 'none (promises; reads and writes are queued into batches)',
    async open(path) {
      db = new RocksDB(path)
      await db.ready()
    },
    async putEach(keys, values) {
      for (let i = 0; i < keys.length; i++) await db.put(keys[i], values[i])
    },
    async batchWrite(keys, values) {
      for (let i = 0; i < keys.length; i += BATCH) {
        const w = db.write()
        for (let j = i; j < Math.min(i + BATCH, keys.length); j++) w.put(keys[j], values[j])
        await w.flush()
      }
    },
    async getEach(keys) {
      let n = 0
      for (const k of keys) n += (await db.get(k)).length
      return n
    },
    async getParallel(keys) {
      let n = 0
      for (let i = 0; i < keys.length; i += BATCH) {
        const r = db.read()
        const ps = keys.slice(i, i + BATCH).map((k) => r.get(k))
        r.tryFlush()
        for (const v of await Promise.all(ps)) n += v.length
      }
      return n
    },
    async iterateAll() {
      let n = 0
      for await (const _ of db.iterator({})) n++
      return n
    },
    async close() {
      await db.close()
    },
  }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await fn()
  return performance.now() - t
}

const { keys, values } = makeData(N)
const rows: string[] = []
const only = process.env.ONLY // run one candidate alone: level | nxtedition | holepunch
for (const make of [level, nxtedition, holepunch]) {
  if (only && make.name !== only) continue
  let d: Driver
  try {
    d = make()
  } catch (err) {
    rows.push(`| ${make.name} | failed to load: ${(err as Error).message} |`)
    continue
  }
  const root = mkdtempSync(join(tmpdir(), 'mosaic-bindings-'))
  try {
    const ops = (ms: number) => Math.round((N * 1000) / ms).toLocaleString('en-US')
    await d.open(join(root, 'batch'))
    const batchMs = await time(() => d.batchWrite(keys, values))
    const getMs = await time(() => d.getEach(keys))
    const getParMs = await time(() => d.getParallel(keys))
    let seen = 0
    const iterMs = await time(async () => (seen = await d.iterateAll()))
    if (seen !== N) throw new Error(`${d.name}: iterated ${seen} of ${N}`)
    await d.close()
    await d.open(join(root, 'put'))
    const putMs = await time(() => d.putEach(keys, values))
    await d.close()
    rows.push(`| ${d.name} | ${ops(putMs)} | ${ops(batchMs)} | ${ops(getMs)} | ${ops(getParMs)} | ${ops(iterMs)} | ${d.sync} |`)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
console.log(`${N} keys (32 B) / values (100 B), Bun ${Bun.version}, ops/s:\n`)
console.log('| binding | put (one at a time) | batch write (1000/batch) | get (one at a time) | get (1000 at once) | iterate | sync API |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |')
for (const r of rows) console.log(r)
