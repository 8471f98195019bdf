import { expect, test } from 'bun:test'
import { hexToBytes } from '../primitives/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { CachedFlatState, EMPTY_CODE_HASH, FlatState, writeChangeSet, type ChangeSet } from './index.ts'

const A = hexToBytes('0x00000000000000000000000000000000000000aa')
const B = hexToBytes('0x00000000000000000000000000000000000000bb')
const acct = (nonce: bigint, balance: bigint) => ({ nonce, balance, codeHash: EMPTY_CODE_HASH })

// Block 1 creates A with two slots; block 2 wipes A's storage (re-creation) and writes one slot,
// and deletes B; block 3 is a side step undone again.
const blocks: ChangeSet[] = [
  [
    { address: A, after: acct(1n, 10n), cleared: false, wiped: [], slots: [[1n, 0n, 5n], [2n, 0n, 6n]] },
    { address: B, after: acct(0n, 3n), cleared: false, wiped: [], slots: [] },
  ],
  [
    { address: A, before: acct(1n, 10n), after: acct(1n, 0n), cleared: true, wiped: [[1n, 5n], [2n, 6n]], slots: [[3n, 0n, 7n]] },
    { address: B, before: acct(0n, 3n), cleared: false, wiped: [], slots: [] },
  ],
  [{ address: A, before: acct(1n, 0n), after: acct(2n, 1n), cleared: false, wiped: [], slots: [[3n, 7n, 0n], [4n, 0n, 8n]] }],
]

test('the cache reads what the store holds after every redo and undo it is told of', () => {
  const db = openMemoryStore()
  const cached = new CachedFlatState(db)
  const plain = new FlatState(db)
  const same = () => {
    for (const a of [A, B]) {
      expect(cached.getFlatAccount(a)).toEqual(plain.getFlatAccount(a))
      for (const slot of [1n, 2n, 3n, 4n]) expect(cached.getStorage(a, slot)).toBe(plain.getStorage(a, slot))
    }
  }
  const step = (cs: ChangeSet, dir: 'redo' | 'undo') => {
    const batch = db.batch()
    writeChangeSet(batch, cs, dir)
    batch.write()
    cached.apply(cs, dir)
    same()
  }
  same() // caches "absent" and zeros
  for (const cs of blocks) step(cs, 'redo')
  step(blocks[2]!, 'undo')
  step(blocks[1]!, 'undo')
  expect(cached.getStorage(A, 1n)).toBe(5n) // the wiped slots are back
  step(blocks[1]!, 'redo')
  step(blocks[2]!, 'redo')
})

test('the cache stays bounded and correct when full', () => {
  const db = openMemoryStore()
  const cached = new CachedFlatState(db, undefined, 4)
  const batch = db.batch()
  const slots: [bigint, bigint, bigint][] = Array.from({ length: 10 }, (_, i) => [BigInt(i), 0n, BigInt(i + 100)])
  writeChangeSet(batch, [{ address: A, after: acct(1n, 1n), cleared: false, wiped: [], slots }], 'redo')
  batch.write()
  for (let r = 0; r < 2; r++) for (let i = 0; i < 10; i++) expect(cached.getStorage(A, BigInt(i))).toBe(BigInt(i + 100))
})
