/**
 * The native addon against independent implementations: @noble/hashes (keccak), @noble/curves
 * (secp256k1), @ethereumjs/mpt and the ethereum/tests TrieTests vectors (trie roots). Needs
 * `make native`; without the addon the whole file fails with the load error.
 */
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { createMPT } from '@ethereumjs/mpt'
import { fixturePath } from '../../test/fixtures.ts'
import { nativeStatus, requireNative } from './native.ts'

const native = requireNative()

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn
const EMPTY_ROOT = '56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'

const enc = new TextEncoder()
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/^0x/, ''), 'hex'))
const word = (v: bigint): Uint8Array => unhex(v.toString(16).padStart(64, '0'))
const bigint = (b: Uint8Array): bigint => BigInt('0x' + (hex(b) || '0'))
const random = (n: number): Uint8Array => {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)))
  return out
}

/** Flat buffer + offsets of a list of items, as the batch entry points take them. */
function flatten(items: Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(items.length + 1)
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i]! + items[i]!.length
  const data = new Uint8Array(offsets[items.length]!)
  items.forEach((it, i) => data.set(it, offsets[i]!))
  return { data, offsets }
}

function trieRoot(pairs: [Uint8Array, Uint8Array][], secure = false): string {
  const k = flatten(pairs.map((p) => p[0]))
  const v = flatten(pairs.map((p) => p[1]))
  const f = secure ? native.secureTrieRoot : native.trieRoot
  return hex(f(k.data, k.offsets, v.data, v.offsets))
}

/** Signs with noble (low s, RFC 6979): r ‖ s and the recovery id. */
function nobleSign(hash: Uint8Array, key: Uint8Array): { sig: Uint8Array; recid: number } {
  const rec = secp256k1.sign(hash, key, { prehash: false, format: 'recovered' } as never) as unknown as Uint8Array
  return { sig: rec.slice(1), recid: rec[0]! }
}

const noblePublicKey = (key: Uint8Array): Uint8Array => secp256k1.getPublicKey(key, false).slice(1)

describe('loading', () => {
  test('status reports the features', () => {
    const st = nativeStatus()
    expect(st.loaded).toBe(true)
    expect(st.features).toEqual(['keccak', 'secp256k1', 'trie', 'blake2f'])
    expect(native.features).toContain('trie')
    expect(typeof native.version).toBe('string')
  })
})

describe('keccak256', () => {
  test('known vectors', () => {
    expect(hex(native.keccak256(new Uint8Array()))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(hex(native.keccak256(enc.encode('abc')))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
  })

  test('returns a plain Uint8Array of 32 bytes', () => {
    const h = native.keccak256(new Uint8Array(5))
    expect(h).toBeInstanceOf(Uint8Array)
    expect(Object.getPrototypeOf(h)).toBe(Uint8Array.prototype)
    expect(h.length).toBe(32)
  })

  test('matches @noble/hashes around the block boundaries and on large inputs', () => {
    const sizes = [0, 1, 31, 32, 33, 55, 56, 64, 127, 128, 135, 136, 137, 271, 272, 273, 1000, 4096, 100_003]
    for (const n of sizes) {
      const input = random(n)
      expect(hex(native.keccak256(input))).toBe(hex(keccak_256(input)))
    }
  })

  test('reads only the view of a subarray', () => {
    const big = random(300)
    const view = big.subarray(17, 17 + 140)
    expect(hex(native.keccak256(view))).toBe(hex(keccak_256(view)))
  })

  test('accepts a Buffer', () => {
    expect(hex(native.keccak256(Buffer.from('abc')))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
  })

  test('keccak256Into writes at the offset, allocates nothing, tolerates overlap', () => {
    const input = enc.encode('abc')
    const out = new Uint8Array(40).fill(0xee)
    expect(native.keccak256Into(input, out, 5)).toBeUndefined()
    expect(hex(out.subarray(5, 37))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
    expect(hex(out.subarray(0, 5)) + hex(out.subarray(37))).toBe('ee'.repeat(8))
    native.keccak256Into(input, out)
    expect(hex(out.subarray(0, 32))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
    const same = random(64)
    const expected = hex(keccak_256(same))
    native.keccak256Into(same, same, 16)
    expect(hex(same.subarray(16, 48))).toBe(expected)
  })

  test('keccak256 results are independent copies', () => {
    const a = native.keccak256(enc.encode('a'))
    const b = native.keccak256(enc.encode('b'))
    expect(hex(a)).toBe(hex(keccak_256(enc.encode('a'))))
    expect(hex(b)).toBe(hex(keccak_256(enc.encode('b'))))
    expect(a.buffer).not.toBe(b.buffer)
  })

  test('batch equals single, with empty and large items', () => {
    const items: Uint8Array[] = [new Uint8Array()]
    for (let i = 0; i < 300; i++) items.push(random(Math.floor(Math.random() * 300)))
    items.push(new Uint8Array(), random(200_000), new Uint8Array())
    const { data, offsets } = flatten(items)
    const out = native.keccak256Batch(data, offsets)
    expect(out.length).toBe(32 * items.length)
    items.forEach((it, i) => expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(keccak_256(it))))
  })

  test('batch over enough data to run on threads equals single', () => {
    const items = Array.from({ length: 5000 }, (_, i) => random(i % 200))
    const { data, offsets } = flatten(items)
    const out = native.keccak256Batch(data, offsets)
    items.forEach((it, i) => {
      if (i % 97 === 0 || i === items.length - 1) expect(hex(out.subarray(32 * i, 32 * i + 32))).toBe(hex(keccak_256(it)))
    })
    // every item, cheaply: compare against the single-call addon path
    const again = new Uint8Array(32 * items.length)
    items.forEach((it, i) => again.set(native.keccak256(it), 32 * i))
    expect(hex(out)).toBe(hex(again))
  })

  test('batch offsets need not start at zero; empty batch', () => {
    const data = enc.encode('xxabcyy')
    expect(hex(native.keccak256Batch(data, new Uint32Array([2, 5])))).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
    expect(native.keccak256Batch(data, new Uint32Array([0])).length).toBe(0)
  })
})

describe('secp256k1', () => {
  const keys = Array.from({ length: 24 }, () => secp256k1.utils.randomSecretKey())

  test('ecrecover matches @noble/curves on random keys', () => {
    for (const key of keys) {
      const hash = random(32)
      const { sig, recid } = nobleSign(hash, key)
      const pub = native.ecrecover(hash, sig, recid)
      expect(pub).not.toBeNull()
      expect(hex(pub!)).toBe(hex(noblePublicKey(key)))
      const addr = native.ecrecoverAddress(hash, sig, recid)
      expect(hex(addr!)).toBe(hex(keccak_256(noblePublicKey(key)).subarray(12)))
    }
  })

  test('sign equals @noble/curves (RFC 6979, low s) and round-trips', () => {
    for (const key of keys) {
      const hash = random(32)
      const ours = native.sign(hash, key)
      expect(ours.length).toBe(65)
      const theirs = nobleSign(hash, key)
      expect(hex(ours.subarray(0, 64))).toBe(hex(theirs.sig))
      expect(ours[64]).toBe(theirs.recid)
      expect(bigint(ours.subarray(32, 64)) <= N / 2n).toBe(true)
      expect(hex(native.ecrecover(hash, ours.subarray(0, 64), ours[64]!)!)).toBe(hex(noblePublicKey(key)))
      expect(hex(native.publicKeyCreate(key))).toBe(hex(noblePublicKey(key)))
    }
  })

  test('high s is accepted: (r, n - s, recid ^ 1) recovers the same key', () => {
    const key = keys[0]!
    const hash = random(32)
    const sig = native.sign(hash, key)
    const high = new Uint8Array(64)
    high.set(sig.subarray(0, 32))
    high.set(word(N - bigint(sig.subarray(32, 64))), 32)
    expect(hex(native.ecrecover(hash, high, sig[64]! ^ 1)!)).toBe(hex(noblePublicKey(key)))
  })

  test('invalid signatures give null', () => {
    const hash = random(32)
    const { sig, recid } = nobleSign(hash, keys[1]!)
    const r = sig.subarray(0, 32)
    const s = sig.subarray(32, 64)
    const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => new Uint8Array([...a, ...b])
    const zero = new Uint8Array(32)
    const cases: [string, Uint8Array, number][] = [
      ['r = 0', cat(zero, s), recid],
      ['s = 0', cat(r, zero), recid],
      ['r = n', cat(word(N), s), recid],
      ['s = n', cat(r, word(N)), recid],
      ['r = 2^256 - 1', cat(word(2n ** 256n - 1n), s), recid],
      ['s = 2^256 - 1', cat(r, word(2n ** 256n - 1n)), recid],
      ['recid 2', sig, 2],
      ['recid 27', sig, 27],
      ['recid -1', sig, -1],
      ['recid 0.5', sig, 0.5],
      ['recid NaN', sig, NaN],
    ]
    // an r that is not the x coordinate of any curve point
    for (let x = 1n; ; x++) {
      const y2 = (x ** 3n + 7n) % P
      if (modPow(y2, (P - 1n) / 2n, P) !== 1n) {
        cases.push(['r off the curve', cat(word(x), s), 0], ['r off the curve', cat(word(x), s), 1])
        break
      }
    }
    for (const [name, bad, id] of cases) {
      expect([name, native.ecrecover(hash, bad, id)]).toEqual([name, null])
      expect([name, native.ecrecoverAddress(hash, bad, id)]).toEqual([name, null])
    }
  })

  test('a wrong recid recovers a different key, never the signer', () => {
    const hash = random(32)
    const { sig, recid } = nobleSign(hash, keys[2]!)
    const other = native.ecrecover(hash, sig, recid ^ 1)
    if (other) expect(hex(other)).not.toBe(hex(noblePublicKey(keys[2]!)))
  })

  test('batch matches single, including invalid items', () => {
    const n = 200
    const hashes = new Uint8Array(32 * n)
    const sigs = new Uint8Array(64 * n)
    const recids = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const hash = random(32)
      const { sig, recid } = nobleSign(hash, keys[i % keys.length]!)
      hashes.set(hash, 32 * i)
      sigs.set(sig, 64 * i)
      recids[i] = recid
      if (i % 7 === 3) sigs.fill(0, 64 * i + 32, 64 * i + 64) // s = 0
      if (i % 11 === 5) recids[i] = 4
      if (i % 13 === 6) sigs.set(word(N), 64 * i) // r = n
    }
    const out = native.ecrecoverBatch(hashes, sigs, recids)
    const addrs = native.ecrecoverAddressBatch(hashes, sigs, recids)
    expect(out.length).toBe(65 * n)
    expect(addrs.length).toBe(21 * n)
    let ok = 0
    for (let i = 0; i < n; i++) {
      const single = native.ecrecover(hashes.subarray(32 * i, 32 * i + 32), sigs.subarray(64 * i, 64 * i + 64), recids[i]!)
      const slot = out.subarray(65 * i, 65 * i + 65)
      const aslot = addrs.subarray(21 * i, 21 * i + 21)
      if (single) {
        ok++
        expect(slot[0]).toBe(1)
        expect(hex(slot.subarray(1))).toBe(hex(single))
        expect(hex(single)).toBe(hex(noblePublicKey(keys[i % keys.length]!)))
        expect(aslot[0]).toBe(1)
        expect(hex(aslot.subarray(1))).toBe(hex(keccak_256(single).subarray(12)))
      } else {
        expect(hex(slot)).toBe('00'.repeat(65))
        expect(hex(aslot)).toBe('00'.repeat(21))
      }
    }
    expect(ok).toBeGreaterThan(n / 2)
    expect(ok).toBeLessThan(n)
    expect(native.ecrecoverBatch(new Uint8Array(), new Uint8Array(), new Uint8Array()).length).toBe(0)
    // the background form: same bytes, inputs copied (overwriting them after the start changes nothing)
    const job = native.ecrecoverAddressBatchStart(hashes, sigs, recids)
    const taken = native.ecrecoverAddressBatchStart(hashes, sigs, recids)
    const empty = native.ecrecoverAddressBatchStart(new Uint8Array(), new Uint8Array(), new Uint8Array())
    hashes.fill(0)
    expect(native.ecrecoverAddressBatchFinish(empty).length).toBe(0)
    expect(hex(native.ecrecoverAddressBatchFinish(job))).toBe(hex(addrs))
    expect(() => native.ecrecoverAddressBatchFinish(job)).toThrow(/no job/)
    expect(() => native.ecrecoverAddressBatchFinish(-1)).toThrow(RangeError)
    // taken in order as the items are done: at least the asked ones, each as the batch has it
    const first = native.ecrecoverAddressBatchTake(taken, 0, 3)
    expect(first.length % 21).toBe(0)
    expect(first.length).toBeGreaterThanOrEqual(3 * 21)
    expect(hex(first)).toBe(hex(addrs.subarray(0, first.length)))
    expect(hex(native.ecrecoverAddressBatchTake(taken, n - 2, n))).toBe(hex(addrs.subarray(21 * (n - 2))))
    expect(() => native.ecrecoverAddressBatchTake(taken, 0, n + 1)).toThrow(RangeError)
    expect(() => native.ecrecoverAddressBatchTake(taken, 2, 1)).toThrow(RangeError)
    expect(hex(native.ecrecoverAddressBatchFinish(taken))).toBe(hex(addrs))
    expect(() => native.ecrecoverAddressBatchTake(taken, 0, 1)).toThrow(/no job/)
  })

  test('sign and publicKeyCreate reject invalid private keys', () => {
    for (const key of [new Uint8Array(32), word(N), word(N + 1n), new Uint8Array(32).fill(0xff)]) {
      expect(() => native.sign(random(32), key)).toThrow(/invalid private key/)
      expect(() => native.publicKeyCreate(key)).toThrow(/invalid private key/)
    }
    expect(() => native.sign(random(32), word(N - 1n))).not.toThrow()
  })
})

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n
  b %= m
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m
  return r
}

describe('trie root', () => {
  const vectorsDir = fixturePath('ethereum-tests', 'TrieTests')
  const load = (file: string): Record<string, { in: unknown; root: string }> => JSON.parse(readFileSync(join(vectorsDir!, file), 'utf8'))
  /** Fixture strings: 0x-prefixed are hex, others utf-8; null is deletion (empty value). */
  const bytes = (s: string | null): Uint8Array => (s === null ? new Uint8Array() : s.startsWith('0x') ? unhex(s) : enc.encode(s))

  test('empty trie', () => {
    expect(trieRoot([])).toBe(EMPTY_ROOT)
    expect(trieRoot([], true)).toBe(EMPTY_ROOT)
    expect(trieRoot([[enc.encode('a'), new Uint8Array()]])).toBe(EMPTY_ROOT)
  })

  for (const [file, secure] of [
    ['trieanyorder.json', false],
    ['trieanyorder_secureTrie.json', true],
    ['hex_encoded_securetrie_test.json', true],
  ] as const) {
    test.skipIf(!vectorsDir)(`${file}: every vector, in order and reversed`, () => {
      const vectors = load(file)
      expect(Object.keys(vectors).length).toBeGreaterThan(0)
      for (const [name, v] of Object.entries(vectors)) {
        const pairs = Object.entries(v.in as Record<string, string>).map(([k, val]) => [bytes(k), bytes(val)] as [Uint8Array, Uint8Array])
        expect([name, trieRoot(pairs, secure)]).toEqual([name, v.root.replace(/^0x/, '')])
        expect([name, trieRoot([...pairs].reverse(), secure)]).toEqual([name, v.root.replace(/^0x/, '')])
      }
    })
  }

  for (const [file, secure] of [
    ['trietest.json', false],
    ['trietest_secureTrie.json', true],
  ] as const) {
    test.skipIf(!vectorsDir)(`${file}: ordered inserts and deletes (last wins, null deletes)`, () => {
      for (const [name, v] of Object.entries(load(file))) {
        const pairs = (v.in as [string, string | null][]).map(([k, val]) => [bytes(k), bytes(val)] as [Uint8Array, Uint8Array])
        expect([name, trieRoot(pairs, secure)]).toEqual([name, v.root.replace(/^0x/, '')])
      }
    })
  }

  test('matches @ethereumjs/mpt on random tries (shared prefixes, prefix keys, long values)', async () => {
    for (const [count, secure] of [
      [1, false],
      [2, false],
      [17, false],
      [300, false],
      [300, true],
      [5000, false],
    ] as const) {
      const mpt = await createMPT({ useKeyHashing: secure })
      const pairs: [Uint8Array, Uint8Array][] = []
      const seen = new Map<string, Uint8Array>()
      for (let i = 0; i < count; i++) {
        // short keys from a small alphabet force shared prefixes and keys that prefix others
        const key = i % 3 === 0 ? random(1 + (i % 5)).map((b) => b & 0x11) : random(1 + (i % 40))
        const value = random(i % 4 === 0 ? 1 + (i % 100) : 1 + (i % 8)).map((b, j) => (i % 5 === 0 && j === 0 ? b & 0x7f : b))
        pairs.push([key, value])
        seen.set(hex(key), value)
      }
      for (const [k, v] of seen) await mpt.put(unhex(k), v)
      expect([count, secure, trieRoot(pairs, secure)]).toEqual([count, secure, hex(mpt.root())])
    }
  })

  test('duplicates: the last pair wins, and an empty value removes the key', () => {
    const a = enc.encode('alpha')
    const b = enc.encode('beta')
    const expected = trieRoot([[a, enc.encode('2')], [b, enc.encode('x')]])
    expect(trieRoot([[a, enc.encode('1')], [b, enc.encode('x')], [a, enc.encode('2')]])).toBe(expected)
    expect(trieRoot([[a, enc.encode('2')], [b, enc.encode('y')], [b, new Uint8Array()], [b, enc.encode('x')]])).toBe(expected)
    expect(trieRoot([[b, enc.encode('x')], [a, enc.encode('1')], [a, new Uint8Array()]])).toBe(trieRoot([[b, enc.encode('x')]]))
  })

  test('large secure trie (built on threads) is order independent and equals hashing keys first', () => {
    const pairs: [Uint8Array, Uint8Array][] = Array.from({ length: 20_000 }, (_, i) => [word(BigInt(i)), random(1 + (i % 70))])
    const all = trieRoot(pairs, true)
    // order independence, and the same leaves with the keys hashed in JS
    expect(trieRoot([...pairs].reverse(), true)).toBe(all)
    const hashed = pairs.map(([k, v]) => [keccak_256(k), v] as [Uint8Array, Uint8Array])
    expect(trieRoot(hashed)).toBe(all)
  })
})

describe('bad arguments throw instead of crashing', () => {
  const b32 = new Uint8Array(32)
  const b64 = new Uint8Array(64)
  const cases: [string, () => unknown, ErrorConstructor][] = [
    ['keccak256()', () => (native.keccak256 as Function)(), TypeError],
    ['keccak256(string)', () => native.keccak256('abc' as never), TypeError],
    ['keccak256(number)', () => native.keccak256(1 as never), TypeError],
    ['keccak256(null)', () => native.keccak256(null as never), TypeError],
    ['keccak256(array)', () => native.keccak256([1, 2] as never), TypeError],
    ['keccak256(ArrayBuffer)', () => native.keccak256(new ArrayBuffer(4) as never), TypeError],
    ['keccak256(Uint16Array)', () => native.keccak256(new Uint16Array(2) as never), TypeError],
    ['keccak256Into(short out)', () => native.keccak256Into(b32, new Uint8Array(31)), RangeError],
    ['keccak256Into(offset past room)', () => native.keccak256Into(b32, b64, 33), RangeError],
    ['keccak256Into(negative offset)', () => native.keccak256Into(b32, b64, -1), RangeError],
    ['keccak256Into(fractional offset)', () => native.keccak256Into(b32, b64, 1.5), RangeError],
    ['keccak256Into(offset string)', () => native.keccak256Into(b32, b64, '1' as never), TypeError],
    ['keccak256Into(out as array)', () => native.keccak256Into(b32, [] as never), TypeError],
    ['keccak256Batch(offsets as Uint8Array)', () => native.keccak256Batch(b32, new Uint8Array(2) as never), TypeError],
    ['keccak256Batch(empty offsets)', () => native.keccak256Batch(b32, new Uint32Array()), RangeError],
    ['keccak256Batch(decreasing offsets)', () => native.keccak256Batch(b32, new Uint32Array([0, 8, 4])), RangeError],
    ['keccak256Batch(offset past end)', () => native.keccak256Batch(b32, new Uint32Array([0, 33])), RangeError],
    ['ecrecover(short hash)', () => native.ecrecover(new Uint8Array(31), b64, 0), RangeError],
    ['ecrecover(long sig)', () => native.ecrecover(b32, new Uint8Array(65), 0), RangeError],
    ['ecrecover(recid string)', () => native.ecrecover(b32, b64, '0' as never), TypeError],
    ['ecrecover(no recid)', () => (native.ecrecover as Function)(b32, b64), TypeError],
    ['ecrecoverBatch(n mismatch)', () => native.ecrecoverBatch(new Uint8Array(64), new Uint8Array(128), new Uint8Array(3)), RangeError],
    ['ecrecoverBatch(sigs short)', () => native.ecrecoverBatch(new Uint8Array(64), new Uint8Array(127), new Uint8Array(2)), RangeError],
    ['ecrecoverAddressBatch(recids as array)', () => native.ecrecoverAddressBatch(b32, b64, [0] as never), TypeError],
    ['sign(short key)', () => native.sign(b32, new Uint8Array(31)), RangeError],
    ['sign(key string)', () => native.sign(b32, 'k' as never), TypeError],
    ['trieRoot(count mismatch)', () => native.trieRoot(b32, new Uint32Array([0, 1, 2]), b32, new Uint32Array([0, 1])), RangeError],
    ['trieRoot(missing args)', () => (native.trieRoot as Function)(b32, new Uint32Array([0])), TypeError],
    ['secureTrieRoot(values as Uint32Array)', () => native.secureTrieRoot(b32, new Uint32Array([0]), new Uint32Array(1) as never, new Uint32Array([0])), TypeError],
  ]
  for (const [name, call, kind] of cases) {
    test(name, () => {
      expect(call).toThrow(kind)
      try {
        call()
      } catch (e) {
        expect((e as Error).message.length).toBeGreaterThan(10)
      }
    })
  }
})

test('keccak256 through bun:ffi agrees with the N-API entry point, on views and ranges; bad ranges throw', async () => {
  const { keccak256, keccak256Into, keccak256At } = await import('./keccak.ts')
  const { keccakAt, native } = await import('./native.ts')
  expect(keccakAt).not.toBeNull() // from source, bun:ffi opens native/mosaic.node
  const big = new Uint8Array(300).map((_, i) => (i * 7) & 0xff)
  for (const [start, len] of [[0, 0], [0, 32], [13, 44], [100, 200], [299, 1]] as const) {
    const want = new Uint8Array(native!.keccak256(big.slice(start, start + len))) // the N-API entry point
    expect(keccak256(big.subarray(start, start + len))).toEqual(want)
    const o = new Uint8Array(40)
    keccak256Into(big.subarray(start, start + len), o, 8)
    expect(o.slice(8)).toEqual(want)
    const o2 = new Uint8Array(32)
    keccak256At(big, start, len, o2)
    expect(o2).toEqual(want)
  }
  expect(() => keccak256At(big, 290, 20, new Uint8Array(32))).toThrow(RangeError)
  expect(() => keccak256At(big, 0, 1, new Uint8Array(31))).toThrow(RangeError)
  expect(() => keccak256Into(big, new Uint8Array(40), 9)).toThrow(RangeError)
})
