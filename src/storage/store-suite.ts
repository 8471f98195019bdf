/**
 * The behavioural suite every `KeyValueStore` backend must pass. A backend's test file calls
 * `storeSuite(name, open)`; `open` returns a fresh, empty store and a cleanup function.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { compareBytes } from './range.ts'
import { StorageError, type Entry, type KeyValueStore } from './index.ts'

export interface OpenedStore {
  store: KeyValueStore
  cleanup(): Promise<void>
}

const enc = new TextEncoder()
const b = (s: string) => enc.encode(s)
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex')
const entries = (it: Iterable<Entry>) => [...it].map(([k, v]) => [hex(k), hex(v)])

/** Deterministic pseudo-random bytes. */
function rng(seed: number) {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 32
  }
}

export function storeSuite(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store`, () => {
    let opened: OpenedStore | undefined
    const fresh = async () => {
      opened = await open()
      return opened.store
    }
    afterEach(async () => {
      await opened?.cleanup()
      opened = undefined
    })

    test('put, get, has, delete', async () => {
      const db = await fresh()
      expect(db.get(b('a'))).toBeUndefined()
      expect(db.has(b('a'))).toBe(false)
      db.put(b('a'), b('1'))
      db.put(b('b'), new Uint8Array(0))
      expect(hex(db.get(b('a'))!)).toBe(hex(b('1')))
      expect(db.has(b('a'))).toBe(true)
      expect(db.get(b('b'))!.length).toBe(0)
      expect(db.has(b('b'))).toBe(true)
      db.put(b('a'), b('2'))
      expect(hex(db.get(b('a'))!)).toBe(hex(b('2')))
      db.delete(b('a'))
      db.delete(b('never-written'))
      expect(db.get(b('a'))).toBeUndefined()
      expect(db.has(b('a'))).toBe(false)
    })

    test('stores copies of the key and value it is given', async () => {
      const db = await fresh()
      const k = b('key')
      const v = b('value')
      db.put(k, v)
      v[0] = 0
      k[0] = 0
      expect(hex(db.get(b('key'))!)).toBe(hex(b('value')))
      const batchValue = b('batched')
      const batch = db.batch().put(b('k2'), batchValue)
      batchValue[0] = 0
      batch.write()
      expect(hex(db.get(b('k2'))!)).toBe(hex(b('batched')))
    })

    test('a batch is invisible until written, then visible all at once', async () => {
      const db = await fresh()
      for (let i = 0; i < 100; i++) db.put(b(`old${i}`), b('x'))
      const batch = db.batch()
      for (let i = 0; i < 2000; i++) batch.put(b(`key${String(i).padStart(5, '0')}`), b(`v${i}`))
      for (let i = 0; i < 100; i++) batch.delete(b(`old${i}`))
      expect(batch.length).toBe(2100)
      expect(db.get(b('key00000'))).toBeUndefined()
      const before = db.snapshot()
      const running = db.iterate()
      batch.write()
      // Readers that started before the write see none of it ...
      expect(entries(running).length).toBe(100)
      expect(before.get(b('key01999'))).toBeUndefined()
      expect([...before.iterate({ prefix: b('key') })].length).toBe(0)
      expect(before.get(b('old0'))).toBeDefined()
      before.release()
      // ... readers after it see all of it.
      expect([...db.iterate({ prefix: b('key') })].length).toBe(2000)
      expect([...db.iterate({ prefix: b('old') })].length).toBe(0)
      expect(batch.length).toBe(0) // emptied by write, reusable
      batch.put(b('again'), b('1')).write()
      expect(db.has(b('again'))).toBe(true)
    })

    test('the last operation on a key in a batch wins; clear drops operations', async () => {
      const db = await fresh()
      db.put(b('d'), b('0'))
      const batch = db.batch()
      batch.put(b('a'), b('1')).put(b('a'), b('2')).delete(b('b')).put(b('b'), b('3')).put(b('d'), b('4')).delete(b('d'))
      for (let i = 0; i < 100; i++) batch.put(b(`m${i}`), b(`${i}`)).delete(b(`m${i}`)) // large: the merge path
      batch.put(b('m7'), b('kept'))
      batch.write()
      expect(entries(db.iterate())).toEqual([
        [hex(b('a')), hex(b('2'))],
        [hex(b('b')), hex(b('3'))],
        [hex(b('m7')), hex(b('kept'))],
      ])
      const dropped = db.batch().put(b('z'), b('1'))
      dropped.clear()
      expect(dropped.length).toBe(0)
      dropped.write()
      expect(db.has(b('z'))).toBe(false)
    })

    test('iterates in byte order, forward and reverse, over ranges and prefixes', async () => {
      const db = await fresh()
      const rand = rng(7)
      const keys: Uint8Array[] = [new Uint8Array([0]), new Uint8Array([0xff]), new Uint8Array([0xff, 0xff]), new Uint8Array([0x61])]
      for (let i = 0; i < 3000; i++) {
        const k = new Uint8Array(1 + Math.floor(rand() * 4))
        for (let j = 0; j < k.length; j++) k[j] = Math.floor(rand() * 4) * 0x55 // 00 55 aa ff: many shared prefixes
        keys.push(k)
      }
      const model = new Map<string, Uint8Array>()
      const batch = db.batch()
      for (const k of keys) {
        model.set(hex(k), k)
        batch.put(k, k)
      }
      batch.write()
      const sorted = [...model.values()].sort(compareBytes)
      const all = sorted.map((k) => [hex(k), hex(k)])
      expect(entries(db.iterate())).toEqual(all)
      expect(entries(db.iterate({ reverse: true }))).toEqual([...all].reverse())

      const cmp = (x: Uint8Array, y: Uint8Array) => compareBytes(x, y)
      const probes = [new Uint8Array(0), new Uint8Array([0x55]), new Uint8Array([0x55, 0xaa]), new Uint8Array([0xaa, 0x00, 0x55]), new Uint8Array([0xff]), new Uint8Array([0x30])]
      for (const lo of probes) {
        for (const hi of probes) {
          for (const reverse of [false, true]) {
            for (const [lk, hk] of [['gte', 'lt'], ['gt', 'lte'], ['gte', 'lte'], ['gt', 'lt']] as const) {
              const expected = sorted
                .filter((k) => (lk === 'gte' ? cmp(k, lo) >= 0 : cmp(k, lo) > 0))
                .filter((k) => (hk === 'lt' ? cmp(k, hi) < 0 : cmp(k, hi) <= 0))
                .map((k) => [hex(k), hex(k)])
              if (reverse) expected.reverse()
              const got = entries(db.iterate({ [lk]: lo, [hk]: hi, reverse }))
              expect({ lk, lo: hex(lo), hk, hi: hex(hi), reverse, got }).toEqual({ lk, lo: hex(lo), hk, hi: hex(hi), reverse, got: expected })
              expect(entries(db.iterate({ [lk]: lo, [hk]: hi, reverse, limit: 3 }))).toEqual(expected.slice(0, 3))
            }
          }
        }
        for (const reverse of [false, true]) {
          const expected = sorted.filter((k) => k.length >= lo.length && cmp(k.subarray(0, lo.length), lo) === 0).map((k) => [hex(k), hex(k)])
          if (reverse) expected.reverse()
          expect(entries(db.iterate({ prefix: lo, reverse }))).toEqual(expected)
          // prefix combined with a bound
          const bound = new Uint8Array([...lo, 0x55])
          expect(entries(db.iterate({ prefix: lo, gt: bound, reverse }))).toEqual(expected.filter(([k]) => k! > hex(bound)))
        }
      }
      expect(entries(db.iterate({ limit: 0 }))).toEqual([])
      expect(entries(db.iterate({ gte: b('z'), lt: b('a') }))).toEqual([])
    })

    test('breaking out of an iteration releases it', async () => {
      const db = await fresh()
      for (let i = 0; i < 100; i++) db.put(new Uint8Array([i]), new Uint8Array([i]))
      let n = 0
      for (const _ of db.iterate()) if (++n === 5) break
      db.put(new Uint8Array([200]), new Uint8Array([1]))
      expect([...db.iterate()].length).toBe(101)
    })

    test('a snapshot does not see later writes', async () => {
      const db = await fresh()
      for (let i = 0; i < 3000; i++) db.batch().put(b(`k${String(i).padStart(4, '0')}`), b(`v${i}`)).write()
      const snap = db.snapshot()
      db.put(b('k0001'), b('changed'))
      db.delete(b('k0002'))
      db.put(b('k0000a'), b('inserted'))
      db.put(b('zzz'), b('after the end'))
      db.batch().delete(b('k2999')).put(b('a'), b('before the start')).write()

      expect(hex(snap.get(b('k0001'))!)).toBe(hex(b('v1')))
      expect(hex(snap.get(b('k0002'))!)).toBe(hex(b('v2')))
      expect(snap.has(b('k0000a'))).toBe(false)
      expect(snap.get(b('zzz'))).toBeUndefined()
      const fwd = [...snap.iterate()].map(([k]) => Buffer.from(k).toString())
      expect(fwd.length).toBe(3000)
      expect(fwd[0]).toBe('k0000')
      expect(fwd[2999]).toBe('k2999')
      const rev = [...snap.iterate({ reverse: true })].map(([k]) => Buffer.from(k).toString())
      expect(rev).toEqual([...fwd].reverse())
      expect([...snap.iterate({ gt: b('k0000'), lt: b('k0003') })].map(([k, v]) => `${Buffer.from(k)}=${Buffer.from(v)}`)).toEqual(['k0001=v1', 'k0002=v2'])
      expect([...snap.iterate({ prefix: b('k29'), reverse: true, limit: 2 })].map(([k]) => Buffer.from(k).toString())).toEqual(['k2999', 'k2998'])

      // The store itself sees the writes.
      expect(hex(db.get(b('k0001'))!)).toBe(hex(b('changed')))
      expect(db.has(b('k0002'))).toBe(false)
      expect([...db.iterate()].length).toBe(3001) // -2 deleted, +3 inserted

      snap.release()
      snap.release()
      expect(() => snap.get(b('k0001'))).toThrow(StorageError)
    })

    test('iterations over one snapshot can interleave', async () => {
      const db = await fresh()
      const batch = db.batch()
      for (let i = 0; i < 2500; i++) batch.put(b(`k${String(i).padStart(4, '0')}`), b(`${i}`))
      batch.write()
      const snap = db.snapshot()
      db.put(b('k0500a'), b('later'))
      const a = snap.iterate()
      const r = snap.iterate({ reverse: true })
      const gets: string[] = []
      const fromA: string[] = []
      const fromR: string[] = []
      for (let i = 0; i < 2500; i++) {
        fromA.push(Buffer.from(a.next().value![0]).toString())
        fromR.push(Buffer.from(r.next().value![0]).toString())
        if (i % 97 === 0) gets.push(Buffer.from(snap.get(b(`k${String(i).padStart(4, '0')}`))!).toString())
      }
      expect(a.next().done).toBe(true)
      expect(r.next().done).toBe(true)
      expect(fromA).toEqual([...fromR].reverse())
      expect(new Set(fromA).size).toBe(2500)
      expect(fromA.includes('k0500a')).toBe(false)
      expect(gets[1]).toBe('97')
      snap.release()
    })

    test('a snapshot of an empty store is empty', async () => {
      const db = await fresh()
      const snap = db.snapshot()
      db.put(b('a'), b('1'))
      expect([...snap.iterate()]).toEqual([])
      expect([...snap.iterate({ reverse: true })]).toEqual([])
      expect(snap.get(b('a'))).toBeUndefined()
      snap.release()
    })

    test('use after close throws STORAGE_CLOSED; close is idempotent', async () => {
      const db = await fresh()
      db.put(b('a'), b('1'))
      const snap = db.snapshot()
      const it = db.iterate()
      await db.close()
      await db.close()
      const closedError = (fn: () => unknown) => {
        try {
          fn()
        } catch (err) {
          return err instanceof StorageError ? err.code : err
        }
        return 'no error'
      }
      expect(closedError(() => db.get(b('a')))).toBe('STORAGE_CLOSED')
      expect(closedError(() => db.put(b('a'), b('2')))).toBe('STORAGE_CLOSED')
      expect(closedError(() => db.batch().put(b('a'), b('2')).write())).toBe('STORAGE_CLOSED')
      expect(closedError(() => db.iterate())).toBe('STORAGE_CLOSED')
      expect(closedError(() => it.next())).toBe('STORAGE_CLOSED')
      expect(closedError(() => snap.get(b('a')))).toBe('STORAGE_CLOSED')
      snap.release()
    })
  })
}
