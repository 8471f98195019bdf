import { describe, expect, test } from 'bun:test'
import { bytesToBigint, equalBytes } from '../../primitives/index.ts'
import { Tables } from '../../storage/index.ts'
import type { AccountState } from '../types.ts'
import { chainDiffSource } from '../source.ts'
import { createStateDiffStream } from '../stream.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec } from '../workload/index.ts'
import { BUILTIN_STORES, openMemoryStateStore } from './index.ts'
import { stateStoreSuite } from './store-suite.ts'

stateStoreSuite('memory', BUILTIN_STORES.memory!, { persistent: false })

describe('memory store: stateRoot()', () => {
  test("equals every header's state root along a generated workload (reorgs, self-destructs, creations), and moves back on revert", async () => {
    const spec = parseWorkloadSpec('generate:blocks=24,accounts=300,slots=1500,seed=5,reorgs=7')
    const chain = openWorkloadChain(spec)
    const store = openMemoryStateStore()
    const stream = createStateDiffStream(chainDiffSource(chain))
    let reverts = 0
    const roots: boolean[] = []
    const sub = stream.subscribe(
      {
        onCommit: (d) => {
          store.apply(d)
          roots.push(equalBytes(store.stateRoot!() as Uint8Array, chain.headerByHash(d.hash)!.stateRoot))
        },
        onRevert: (d) => {
          store.revert(d)
          reverts++
          roots.push(equalBytes(store.stateRoot!() as Uint8Array, chain.headerByHash(d.parentHash)!.stateRoot))
        },
      },
      { name: 'memory' },
    )
    for (const _ of generateWorkload(chain, spec)) await sub.caughtUp()
    await sub.caughtUp()
    stream.close()
    expect(reverts).toBeGreaterThan(0)
    expect(roots.length).toBeGreaterThan(25)
    expect(roots.every(Boolean)).toBe(true)
    expect(equalBytes(store.stateRoot!() as Uint8Array, chain.head().stateRoot)).toBe(true)
    // one slot written differently changes the root
    const at = (await store.head())!
    const holder = [...chain.db.iterate({ prefix: Tables.storage.prefix })][0]![0]
    const address = holder.subarray(1, 21)
    const slot = bytesToBigint(holder.subarray(21))
    const was = store.slot(address, slot) as bigint
    const account = store.account(address) as AccountState
    store.apply({ direction: 'commit', number: at.number + 1n, hash: new Uint8Array(32).fill(9), parentHash: at.hash, accounts: [{ address, before: account, after: account, wiped: false, slots: [[slot, was, was + 1n]] }], codes: [] })
    expect(equalBytes(store.stateRoot!() as Uint8Array, chain.head().stateRoot)).toBe(false)
  })
})
