/** The trie-node cache returns what the store holds, including for hashes that share the cache's 52-bit slot. */
import { expect, test } from 'bun:test'
import { CachedNodeStore } from '../../src/blockchain/node-cache.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { openMemoryStore, trieNodeKey } from '../../src/storage/index.ts'

test('hits, misses, slot collisions and eviction', () => {
  const db = openMemoryStore()
  const a = new Uint8Array(32).fill(1)
  const b = a.slice()
  b[31] = 2 // same first 52 bits as a
  db.put(trieNodeKey(a), new Uint8Array([0xaa]))
  db.put(trieNodeKey(b), new Uint8Array([0xbb]))
  const cache = new CachedNodeStore(db, 2)
  expect(bytesToHex(cache.get(a)!)).toBe('0xaa')
  expect(bytesToHex(cache.get(b)!)).toBe('0xbb')
  expect(bytesToHex(cache.get(a)!)).toBe('0xaa')
  expect(cache.get(new Uint8Array(32).fill(3))).toBeUndefined()
  // added nodes are served without the store; the oldest is evicted past the bound
  const c = new Uint8Array(32).fill(4)
  const d = new Uint8Array(32).fill(5)
  cache.add([[c, new Uint8Array([0xcc])], [d, new Uint8Array([0xdd])]])
  expect(bytesToHex(cache.get(c)!)).toBe('0xcc')
  expect(bytesToHex(cache.get(d)!)).toBe('0xdd')
  expect(cache.get(new Uint8Array(32).fill(4).map((x, i) => (i === 31 ? 9 : x)))).toBeUndefined()
})
