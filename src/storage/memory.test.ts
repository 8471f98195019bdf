import { describe, expect, test } from 'bun:test'
import { openMemoryStore, StorageError, type Entry, type IterateOptions, type KeyValueReader } from './index.ts'
import { storeSuite } from './store-suite.ts'
import { xorshift as rng } from '../primitives/index.ts'

storeSuite('memory', async () => {
  const store = openMemoryStore()
  return { store, cleanup: () => store.close() }
})

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex')
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))

/** The reference: a map from hex key to hex value; hex order is byte order. */
type Model = Map<string, string>

function expectedRange(model: Model, opts: IterateOptions): string[] {
  const lo = opts.gte ?? opts.gt
  const hi = opts.lte ?? opts.lt
  const p = opts.prefix && hex(opts.prefix)
  let keys = [...model.keys()].sort().filter((k) => {
    if (lo && (opts.gte ? k < hex(lo) : k <= hex(lo))) return false
    if (hi && (opts.lte ? k > hex(hi) : k >= hex(hi))) return false
    return !p || k.startsWith(p)
  })
  if (opts.reverse) keys.reverse()
  if (opts.limit !== undefined) keys = keys.slice(0, opts.limit)
  return keys.map((k) => `${k}=${model.get(k)}`)
}

const show = (it: Iterable<Entry>) => [...it].map(([k, v]) => `${hex(k)}=${hex(v)}`)

/** Compares a reader with the model: every key, some misses, some ranges. */
function expectSame(reader: KeyValueReader, model: Model, next: () => number): void {
  expect(show(reader.iterate())).toEqual(expectedRange(model, {}))
  for (const [k, v] of model) if (next() % 8 === 0) expect(hex(reader.get(unhex(k))!)).toBe(v)
  for (let i = 0; i < 20; i++) {
    const k = new Uint8Array([next() % 256, next() % 256, next() % 256])
    expect(reader.has(k)).toBe(model.has(hex(k)))
    const bound = new Uint8Array([next() % 256, next() % 256])
    const opts: IterateOptions = { [next() % 2 ? 'gt' : 'gte']: bound, reverse: next() % 2 === 0, limit: next() % 50, prefix: next() % 3 ? undefined : bound.subarray(0, 1) }
    expect(show(reader.iterate(opts))).toEqual(expectedRange(model, opts))
  }
}

describe('memory store (B+tree)', () => {
  test('a random workload of batches with snapshots and running iterations matches a model', () => {
    const next = rng(2024)
    const db = openMemoryStore()
    const model: Model = new Map()
    const snaps: { snap: ReturnType<typeof db.snapshot>; model: Model }[] = []
    const running: { it: IterableIterator<Entry>; expected: string[]; seen: string[] }[] = []
    const key = () => new Uint8Array([next() % 256, next() % 256, next() % 256, ...(next() % 2 ? [next() % 256] : [])])
    for (let round = 0; round < 120; round++) {
      const batch = db.batch()
      const ops = 50 + (next() % 400)
      for (let i = 0; i < ops; i++) {
        const k = key()
        if (next() % 4 === 0 && model.size > 0) {
          batch.delete(k)
          model.delete(hex(k))
        } else {
          const v = new Uint8Array([round, i & 0xff, next() % 256])
          batch.put(k, v)
          model.set(hex(k), hex(v))
        }
      }
      // delete some keys that surely exist
      for (const k of [...model.keys()].filter(() => next() % 50 === 0)) {
        batch.delete(unhex(k))
        model.delete(k)
      }
      batch.write()
      if (round % 7 === 0) snaps.push({ snap: db.snapshot(), model: new Map(model) })
      if (round % 5 === 0) {
        const opts: IterateOptions = { reverse: next() % 2 === 0 }
        running.push({ it: db.iterate(opts), expected: expectedRange(model, opts), seen: [] })
      }
      // advance the running iterations a little between batches
      for (const r of running) {
        for (let i = 0; i < 40; i++) {
          const n = r.it.next()
          if (n.done) break
          r.seen.push(`${hex(n.value[0])}=${hex(n.value[1])}`)
        }
      }
      if (round % 30 === 29) {
        expectSame(db, model, next)
        const s = snaps[next() % snaps.length]!
        expectSame(s.snap, s.model, next)
      }
      if (round % 40 === 39) snaps.shift()!.snap.release() // releasing one leaves the others intact
    }
    expect(model.size).toBeGreaterThan(64 * 64) // three levels of the tree
    for (const r of running) {
      r.seen.push(...show(r.it))
      expect(r.seen).toEqual(r.expected)
    }
    for (const s of snaps) expectSame(s.snap, s.model, next)
    expectSame(db, model, next)
  })

  test('deleting and overwriting keys during an iteration does not change what it yields', () => {
    const db = openMemoryStore()
    const batch = db.batch()
    for (let i = 0; i < 10_000; i++) batch.put(new Uint8Array([i >> 8, i & 0xff]), new Uint8Array([1]))
    batch.write()
    for (const reverse of [false, true]) {
      const seen: number[] = []
      for (const [k, v] of db.iterate({ reverse })) {
        const i = (k[0]! << 8) | k[1]!
        seen.push(i)
        expect(v[0]).toBe(reverse ? 2 : 1)
        db.delete(k) // the entry just seen
        const ahead = reverse ? i - 1 : i + 1
        if (ahead >= 0 && ahead < 10_000) db.delete(new Uint8Array([ahead >> 8, ahead & 0xff])) // one not yet seen
        db.put(new Uint8Array([0x80, ...k]), new Uint8Array([9])) // one ahead of every forward iteration
      }
      expect(seen.length).toBe(10_000)
      expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => (reverse ? 9_999 - i : i)))
      expect([...db.iterate({ lt: new Uint8Array([0x80]) })].length).toBe(0)
      const refill = db.batch()
      for (let i = 0; i < 10_000; i++) refill.put(new Uint8Array([i >> 8, i & 0xff]), new Uint8Array([2])).delete(new Uint8Array([0x80, i >> 8, i & 0xff]))
      refill.write()
    }
  })

  test('an iteration finished or broken off lets later writes change the tree in place, unseen by older readers', () => {
    const db = openMemoryStore()
    for (let i = 0; i < 3000; i++) db.put(new Uint8Array([i >> 8, i & 0xff]), new Uint8Array([0]))
    const snap = db.snapshot()
    for (const _ of db.iterate({ limit: 1 })) {
    }
    for (const _ of db.iterate()) break
    const open = db.iterate({ reverse: true }) // never finished: stays pinned
    for (let i = 0; i < 3000; i++) db.put(new Uint8Array([i >> 8, i & 0xff]), new Uint8Array([1]))
    for (const _ of db.iterate({ limit: 1 })) {
    }
    for (let i = 0; i < 3000; i += 2) db.delete(new Uint8Array([i >> 8, i & 0xff]))
    expect([...snap.iterate()].every(([, v]) => v[0] === 0)).toBe(true)
    expect([...snap.iterate()].length).toBe(3000)
    const fromOpen = [...open]
    expect(fromOpen.length).toBe(3000)
    expect(fromOpen.every(([, v]) => v[0] === 0)).toBe(true)
    expect([...db.iterate()].map(([, v]) => v[0])).toEqual(Array(1500).fill(1))
    snap.release()
  })

  test('iterating a released snapshot throws STORAGE_CLOSED at the next step', () => {
    const db = openMemoryStore()
    for (let i = 0; i < 500; i++) db.put(new Uint8Array([i >> 8, i & 0xff]), new Uint8Array([i & 0xff]))
    const snap = db.snapshot()
    const it = snap.iterate()
    expect(it.next().done).toBe(false)
    snap.release()
    for (let i = 0; i < 500; i++) db.delete(new Uint8Array([i >> 8, i & 0xff]))
    let code: unknown
    try {
      it.next()
    } catch (err) {
      code = err instanceof StorageError ? err.code : err
    }
    expect(code).toBe('STORAGE_CLOSED')
    expect(() => snap.iterate()).toThrow(StorageError)
  })
})
