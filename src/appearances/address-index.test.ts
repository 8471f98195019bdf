import { describe, expect, test } from 'bun:test'
import type { HeadEvent } from '../blockchain/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import type { Block, Header } from '../types/index.ts'
import { AddressIndex, type CollectAppearances } from './address-index.ts'
import { decodeRecords, encodeRecords, groupByAddress } from './records.ts'

const addr = (n: number) => new Uint8Array(20).fill(n)
const hash = (n: number) => new Uint8Array(32).fill(n)

describe('records', () => {
  test('round trip, creators kept, each address once per transaction', () => {
    const records = [{ tx: 0 }, { tx: 3, creator: addr(9) }, { tx: 70000 }]
    expect(decodeRecords(encodeRecords(records))).toEqual(records)
    const by = groupByAddress([
      { touched: [addr(1), addr(2), addr(1)], created: [] },
      { touched: [addr(1), addr(3)], created: [{ address: addr(3), creator: addr(1) }] },
    ])
    expect([...by.values()].map((e) => [e.address[0], e.records])).toEqual([
      [1, [{ tx: 0 }, { tx: 1 }]],
      [2, [{ tx: 0 }]],
      [3, [{ tx: 1 }, { tx: 1, creator: addr(1) }]],
    ])
  })
})

/** A chain of empty-bodied blocks whose canonical hashes the test sets; block n at branch b has hash [n*16+b]. */
function fakeChain() {
  const canonical = new Map<bigint, Uint8Array>()
  let head = 0n
  const block = (n: bigint, b: number): Block => ({ header: { number: n, parentHash: hash(0), extraData: new Uint8Array([b]) } as unknown as Header, transactions: [], ommers: [] })
  return {
    canonical,
    setHead(n: bigint) {
      head = n
    },
    block,
    chain: {
      head: () => ({ number: head }) as Header,
      canonicalHash: (n: bigint) => canonical.get(n),
      blockByHash: (h: Uint8Array) => block(BigInt(h[0]! >> 4), h[0]! & 15),
      senders: () => [],
      receipts: () => [],
      onHead: (_l: (e: HeadEvent) => void) => () => {},
    },
  }
}

describe('AddressIndex', () => {
  test('catches up on the canonical blocks, skips blocks a reorg removed and blocks above the head, keeps what it wrote across a reopen', async () => {
    const db = await openMemoryStore()
    const f = fakeChain()
    // block n of branch b touches address n*16+b and, on branch 0, address 0xaa
    const collect: CollectAppearances = (b) => {
      const n = Number(b.header.number), br = b.header.extraData[0]!
      return [{ touched: [addr(n * 16 + br), ...(br === 0 ? [addr(0xaa)] : [])], created: [] }]
    }
    const hashed = (n: number, b: number) => hash(n * 16 + b)
    const index = new AddressIndex(db, f.chain, collect)
    const withHashes = (blocks: [number, number][]) => {
      for (const [n, b] of blocks) f.canonical.set(BigInt(n), hashed(n, b))
    }
    // the fake's hashes are not header hashes: the index is driven through start()'s catch-up, which reads the canonical index
    withHashes([[1, 0], [2, 0], [3, 0]])
    f.setHead(3n)
    index.start()
    const numbers = (a: number, dir: 'before' | 'after', from?: bigint) => [...index.blocks(addr(a), dir, from)].map((b) => Number(b.number))
    expect(numbers(0xaa, 'before')).toEqual([3, 2, 1])
    expect(numbers(0xaa, 'after')).toEqual([1, 2, 3])
    expect(numbers(0xaa, 'before', 3n)).toEqual([2, 1])
    expect(numbers(0xaa, 'after', 1n)).toEqual([2, 3])
    // a reorg replaces blocks 2 and 3 with branch 1: their old entries no longer count
    withHashes([[2, 1], [3, 1]])
    index.stop()
    const again = new AddressIndex(db, f.chain, collect)
    again.start()
    expect([...again.blocks(addr(0xaa), 'before')].map((b) => Number(b.number))).toEqual([1])
    expect([...again.blocks(addr(3 * 16 + 1), 'before')].map((b) => Number(b.number))).toEqual([3])
    // blocks above the head are not read
    f.setHead(2n)
    expect([...again.blocks(addr(3 * 16 + 1), 'before')]).toEqual([])
    again.stop()
  })
})
