/**
 * BlockchainTests chains with reorgs streamed into every built-in local store: the fixtures of
 * bcForkStressTest, bcMultiChainTest and bcTotalDifficultyTest (those present), and every other
 * post-merge test whose blocks go back to a lower number (a side branch that becomes the head,
 * since each valid block becomes the head). Each test's blocks are imported in order through
 * the fixture runner's chain (`mosaic blocktest`'s set-up) with the state-diff stream on; after
 * each block every store (memory, sqlite, rocksdb, lmdb, and postgres when DATABASE_URL names a
 * server: CI's) has applied the notification, reverts included. At the end the chain is the fixture's (`lastblockhash`, `postState`) and every store
 * equals Mosaic's state entry by entry; the memory store's stateRoot() is the head's.
 * Skipped with a message when ../shared/fixtures is absent; without a PostgreSQL server the
 * postgres store is left out with a message.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { compareEnd, openFixtureChain } from '../../src/cli/commands/blocktest-runner.ts'
import { bytesToHex, equalBytes, hexToBytes } from '../../src/primitives/index.ts'
import { BUILTIN_STORES, chainDiffSource, createStateDiffStream, type StateStore } from '../../src/statediff/index.ts'
import { compareAll } from '../../src/statediff/testbed/verify.ts'
import { decodeBlock, isForkAtLeast, parseForkName, type Block } from '../../src/types/index.ts'
import { describeFixtures, jsonFiles } from '../fixtures.ts'
import { databaseUrl, dropStoreSchemas, pgSkipReason } from '../postgres-server.ts'

if (!databaseUrl) console.warn(`[skip] the postgres store in the BlockchainTests reorg fixtures: ${pgSkipReason}`)
const STORES = ['memory', 'sqlite', 'rocksdb', 'lmdb', ...(databaseUrl ? ['postgres'] : [])]
const REORG_DIRS = ['bcForkStressTest', 'bcMultiChainTest', 'bcTotalDifficultyTest']
const dir = mkdtempSync(join(tmpdir(), 'mosaic-bc-stores-'))
afterAll(async () => {
  if (databaseUrl) await dropStoreSchemas(databaseUrl, dir)
  rmSync(dir, { recursive: true, force: true })
})

type J = Record<string, any>

const numbers = (t: J): number[] => (t.blocks as J[]).filter((b) => b.blockHeader).map((b) => Number(BigInt(b.blockHeader.number)))
const hasSideBranch = (t: J) => numbers(t).some((n, i, a) => i > 0 && n <= a[i - 1]!)
const postMerge = (t: J) => {
  const fork = parseForkName(t.network)
  return fork !== undefined && isForkAtLeast(fork, 'paris')
}

let seq = 0
/** Imports the test's blocks with every store following; returns what happened. */
async function streamTest(t: J): Promise<{ reverts: number; blocks: number; stores: number }> {
  const fork = parseForkName(t.network)!
  const chain = openFixtureChain(fork, t.pre, decodeBlock(hexToBytes(t.genesisRLP)).header)
  const stream = createStateDiffStream(chainDiffSource(chain))
  const stores: { name: string; store: StateStore }[] = []
  for (const name of STORES) stores.push({ name, store: await BUILTIN_STORES[name]!({ dir: join(dir, `${++seq}-${name}`) }) })
  let reverts = 0
  const subs = stores.map(({ name, store }) =>
    stream.subscribe(
      {
        onCommit: (d) => store.apply(d),
        onRevert: (d) => {
          if (name === 'memory') reverts++
          return store.revert(d)
        },
      },
      { name },
    ),
  )
  const settle = () => Promise.all(subs.map((s) => s.caughtUp()))
  let blocks = 0
  try {
    await settle()
    for (const [i, b] of (t.blocks as J[]).entries()) {
      let block: Block
      try {
        block = decodeBlock(hexToBytes(b.rlp))
      } catch (e) {
        if (b.expectException) continue
        throw e
      }
      try {
        chain.importBlock(block)
      } catch (e) {
        if (b.expectException) continue
        throw new Error(`block ${i} rejected: ${e instanceof Error ? e.message : e}`)
      }
      expect(b.expectException).toBeUndefined()
      blocks++
      await settle()
    }
    expect(compareEnd(chain, t)).toBeUndefined()
    for (const { name, store } of stores) {
      const head = await store.head()
      expect(`${name} ${head && bytesToHex(head.hash)}`).toBe(`${name} ${bytesToHex(chain.headBlockHash())}`)
      const full = await compareAll(chain.db, store)
      expect({ store: name, mismatch: full.mismatch }).toEqual({ store: name, mismatch: undefined })
      if (store.stateRoot) expect(equalBytes((await store.stateRoot()) as Uint8Array, chain.head().stateRoot)).toBe(true)
    }
    return { reverts, blocks, stores: stores.length }
  } finally {
    stream.close()
    for (const { store } of stores) await store.close()
  }
}

describeFixtures('BlockchainTests with reorgs, streamed into every store', ['ethereum-tests', 'BlockchainTests'], (root) => {
  // the named reorg suites, and any other post-merge test with a side branch
  const cases: { id: string; t: J }[] = []
  for (const file of jsonFiles(root)) {
    const named = REORG_DIRS.some((d) => file.includes(`/${d}/`))
    for (const [name, t] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>)) {
      if (postMerge(t) && (named || hasSideBranch(t))) cases.push({ id: `${relative(root, file)}:${name}`, t })
    }
  }
  const totals = { tests: 0, reverts: 0, blocks: 0, stores: 0 }
  for (const c of cases) {
    test(c.id, async () => {
      const r = await streamTest(c.t)
      totals.tests++
      totals.reverts += r.reverts
      totals.blocks += r.blocks
      totals.stores = r.stores
    })
  }
  test('streamed the reorg fixtures: side branches reverted through every store', () => {
    expect(totals.tests).toBe(cases.length)
    expect(cases.some((c) => c.id.includes('bcMultiChainTest'))).toBe(true)
    expect(cases.some((c) => c.id.includes('bcForkStressTest'))).toBe(true)
    expect(totals.reverts).toBeGreaterThan(2)
    expect(totals.blocks).toBeGreaterThan(6)
    expect(totals.stores).toBe(STORES.length)
  })
})
