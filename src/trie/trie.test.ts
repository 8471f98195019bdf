import { describe, expect, test } from 'bun:test'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex, utf8ToBytes } from '../primitives/index.ts'
import { createProof, decodeHexPrefix, encodeHexPrefix, EMPTY_TRIE_ROOT, MemoryNodeStore, orderedTrieRoot, secureTrieRoot, Trie, TrieError, trieRoot, verifyProof } from './index.ts'

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function rng(seed: number) {
  let x = seed
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0)
  return (len: number) => Uint8Array.from({ length: len }, () => next() & 0xff)
}

/** Keys of mixed lengths with shared prefixes, so extensions and branch values occur. */
function randomEntries(seed: number, n: number): [Uint8Array, Uint8Array][] {
  const rand = rng(seed)
  const out: [Uint8Array, Uint8Array][] = []
  for (let i = 0; i < n; i++) {
    const base = i > 0 && i % 3 === 0 ? out[i - 1]![0] : rand(1 + (rand(1)[0]! % 6))
    const key = i % 3 === 0 ? new Uint8Array([...base, ...rand(rand(1)[0]! % 3)]) : base
    out.push([key, rand(1 + (rand(1)[0]! % 40))])
  }
  return out
}

describe('hex-prefix encoding', () => {
  test('round trips and known forms', () => {
    expect(bytesToHex(encodeHexPrefix(Uint8Array.of(1, 2, 3, 4, 5), false))).toBe('0x112345')
    expect(bytesToHex(encodeHexPrefix(Uint8Array.of(0, 1, 2, 3, 4, 5), false))).toBe('0x00012345')
    expect(bytesToHex(encodeHexPrefix(Uint8Array.of(0xf, 1, 0xc, 0xb, 8), true))).toBe('0x3f1cb8')
    for (const leaf of [true, false])
      for (let n = 0; n < 6; n++) {
        const path = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 16)
        const d = decodeHexPrefix(encodeHexPrefix(path, leaf))
        expect([...d.path]).toEqual([...path])
        expect(d.leaf).toBe(leaf)
      }
    expect(() => decodeHexPrefix(Uint8Array.of(0x41))).toThrow(TrieError)
  })
})

describe('incremental trie', () => {
  test('matches native roots on random sets of mixed-length keys, with deletes', () => {
    for (const seed of [1, 2, 3]) {
      const entries = randomEntries(seed, 200)
      const trie = new Trie()
      const final = new Map<string, [Uint8Array, Uint8Array]>()
      for (const [k, v] of entries) {
        trie.put(k, v)
        final.set(bytesToHex(k), [k, v])
      }
      expect(bytesToHex(trie.root())).toBe(bytesToHex(trieRoot(final.values())))
      // Delete every fourth key, including keys that prefix others (branch values).
      const keys = [...final.values()].map(([k]) => k)
      for (let i = 0; i < keys.length; i += 4) {
        trie.delete(keys[i]!)
        final.delete(bytesToHex(keys[i]!))
        expect(bytesToHex(trie.root())).toBe(bytesToHex(trieRoot(final.values())))
      }
      for (const [k, v] of final.values()) expect(bytesToHex(trie.get(k)!)).toBe(bytesToHex(v))
      for (let i = 0; i < keys.length; i += 4) expect(trie.get(keys[i]!)).toBeUndefined()
    }
  })

  // @ethereumjs/mpt disagrees with both of ours after deleting a key that prefixes other keys,
  // which Ethereum's fixed-length (hashed) keys never do; compare with it on 32-byte keys.
  test('matches @ethereumjs/mpt on 32-byte keys, with deletes', async () => {
    const rand = rng(5)
    const trie = new Trie()
    const peer = new MerklePatriciaTrie()
    const keys = Array.from({ length: 300 }, () => rand(32))
    for (const k of keys) {
      const v = rand(1 + (k[0]! % 60))
      trie.put(k, v)
      await peer.put(k, v)
    }
    for (let i = 0; i < keys.length; i += 3) {
      trie.delete(keys[i]!)
      await peer.del(keys[i]!)
    }
    expect(bytesToHex(trie.root())).toBe(bytesToHex(peer.root()))
  })

  test('deleting everything returns to the empty root', () => {
    const trie = new Trie({ secure: true })
    const entries = randomEntries(9, 50)
    for (const [k, v] of entries) trie.put(k, v)
    expect(bytesToHex(trie.root())).not.toBe(bytesToHex(EMPTY_TRIE_ROOT))
    for (const [k] of entries) trie.delete(k)
    expect(bytesToHex(trie.root())).toBe(bytesToHex(EMPTY_TRIE_ROOT))
  })

  test('commit, reopen from the node store, keep updating', () => {
    const store = new MemoryNodeStore()
    const a = new Trie({ store, secure: true })
    const entries = randomEntries(4, 300)
    for (const [k, v] of entries.slice(0, 150)) a.put(k, v)
    store.apply(a.commit())
    const root1 = a.root()
    const b = new Trie({ store, root: root1, secure: true })
    expect(bytesToHex(b.root())).toBe(bytesToHex(root1))
    for (const [k, v] of entries.slice(150)) {
      a.put(k, v)
      b.put(k, v)
    }
    expect(bytesToHex(b.root())).toBe(bytesToHex(a.root()))
    expect(bytesToHex(b.root())).toBe(bytesToHex(secureTrieRoot(new Map(entries.map(([k, v]) => [bytesToHex(k), [k, v] as const])).values())))
    // A root whose nodes were never stored fails with a typed error.
    const missing = new Trie({ store: new MemoryNodeStore(), root: root1 })
    expect(() => missing.get(utf8ToBytes('x'))).toThrow(TrieError)
  })

  test('ordered trie root of a list', () => {
    const values = [utf8ToBytes('a'), new Uint8Array(100).fill(1), utf8ToBytes('c')]
    const trie = new Trie()
    values.forEach((v, i) => trie.put(i === 0 ? Uint8Array.of(0x80) : Uint8Array.of(i), v))
    expect(bytesToHex(orderedTrieRoot(values))).toBe(bytesToHex(trie.root()))
  })
})

describe('proofs', () => {
  const store = new MemoryNodeStore()
  const trie = new Trie({ store, secure: true })
  const entries = randomEntries(7, 400)
  for (const [k, v] of entries) trie.put(k, v)
  const root = trie.root()

  test('present keys verify to their values', () => {
    for (const [k] of entries.slice(0, 50)) {
      const proof = createProof(trie, k)
      expect(bytesToHex(verifyProof(root, k, proof, { secure: true })!)).toBe(bytesToHex(trie.get(k)!))
    }
  })

  test('absent keys verify to undefined', () => {
    const k = utf8ToBytes('not there at all')
    expect(verifyProof(root, k, createProof(trie, k), { secure: true })).toBeUndefined()
  })

  test('tampered or incomplete proofs are rejected', () => {
    const k = entries[0]![0]
    const proof = createProof(trie, k)
    expect(proof.length).toBeGreaterThan(1)
    const tampered = proof.map((p) => p.slice())
    tampered[tampered.length - 1]![5]! ^= 1
    expect(() => verifyProof(root, k, tampered, { secure: true })).toThrow(TrieError)
    expect(() => verifyProof(root, k, proof.slice(0, -1), { secure: true })).toThrow(TrieError)
  })
})
