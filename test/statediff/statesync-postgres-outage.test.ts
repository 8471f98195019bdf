/**
 * A lost database under the statesync follower: `bin/mosaic --profile statesync --store
 * postgres:URL` driven over the Engine API while a PostgreSQL server of this test's own is
 * stopped at once (`pg_ctl -m immediate`: every connection cut, as in a crash) and started
 * again. The chain goes on meanwhile; the store logs that it lost the server and retries with
 * growing waits, reconnects, and resumes after its acknowledged height. Then the server is
 * stopped again and the follower SIGKILLed while it retries; both started again, the store
 * resumes from its head. At the end the store equals the chain's state entry by entry, and its
 * transition count is exactly one per block (a chain without reorgs: 0..N once each), so no block
 * was lost or applied twice, and no store ever failed. Skips with a message without the
 * PostgreSQL 15 binaries.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from '../../src/primitives/index.ts'
import { openPostgresStateStore } from '../../src/statediff/index.ts'
import { compareAll } from '../../src/statediff/testbed/verify.ts'
import { until } from '../e2e/wait.ts'
import { ownPgSkipReason, ownPostgresPossible, startOwnPostgres, type OwnPostgres } from '../postgres-server.ts'
import { buildChain, drive, startFollower, syncedTo, type Follower } from './follower.ts'

setDefaultTimeout(120_000)

const retries = (log: string) => [...log.matchAll(/Store unreachable, retrying.*store=postgres block=(\d+) .*attempt=(\d+) retryInMs=(\d+)/g)].map((m) => ({ block: Number(m[1]), attempt: Number(m[2]), delay: Number(m[3]) }))

if (!ownPostgresPossible) {
  describe('the statesync follower and a lost PostgreSQL', () => {
    test.skip(ownPgSkipReason, () => {})
  })
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-statesync-pg-outage-'))
  let pg: OwnPostgres | undefined
  afterAll(async () => {
    await pg?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  describe('the statesync follower and a lost PostgreSQL', () => {
    test('the server stopped and started again under it: retried with backoff, reconnected, every block applied once', async () => {
      pg = await startOwnPostgres()
      const built = buildChain('generate:blocks=40,accounts=300,slots=1200,seed=5', dir)
      const { steps } = built
      const datadir = join(dir, 'node')
      const stores = [`postgres:${pg.url}`]
      const at = (f: Follower, i: number) => until(() => syncedTo(f.child.log(), 'postgres').hash === steps[i]!.head, `the postgres store at block ${steps[i]!.number}`, 60_000)

      let f = await startFollower(built, datadir, stores)
      await drive(f, steps, 0, 12)
      await at(f, 11)

      // the server shuts down (fast: connections cut): the chain goes on, the store retries
      await pg.halt('fast')
      await drive(f, steps, 12, 20)
      await until(() => retries(f.child.log()).length >= 3, 'three retries of the postgres store')
      const r = retries(f.child.log())
      expect(r[0]!.block).toBe(Number(steps[12]!.number)) // the first block after its head
      expect(r.map((x) => x.attempt).slice(0, 3)).toEqual([1, 2, 3])
      expect(r[1]!.delay).toBeGreaterThan(r[0]!.delay) // backoff
      expect(r[2]!.delay).toBeGreaterThan(r[1]!.delay)
      expect(f.child.log()).toMatch(new RegExp(`Store unreachable, retrying.*store=postgres block=${steps[12]!.number} .*error="postgres: lost the connection to 127\\.0\\.0\\.1:\\d+/postgres at block ${steps[12]!.number} \\(apply\\); the store stays at its head`))
      await pg.resume()
      await at(f, 19)
      expect(f.child.log()).toMatch(new RegExp(`Store reconnected.*store=postgres block=${steps[12]!.number} failedAttempts=\\d+`))

      // the server killed (immediate, as in a crash), and the follower SIGKILLed while it retries
      await pg.halt('immediate')
      await drive(f, steps, 20, 26)
      await until(() => retries(f.child.log()).some((x) => x.block === Number(steps[20]!.number)), 'a retry of the block after the head')
      f.child.proc.kill('SIGKILL')
      await f.child.proc.exited
      await pg.resume()
      f = await startFollower(built, datadir, stores)
      expect(f.child.startLog).toMatch(new RegExp(`Following the chain into a store.*store=postgres.*from=${steps[19]!.number}\\b`))
      await drive(f, steps, 26, steps.length)
      await at(f, steps.length - 1)
      expect(await f.child.stop()).toBe(143)
      expect(f.child.log()).not.toContain('Store failed')

      // the store against the chain: every entry, and one transition per block
      const store = await openPostgresStateStore({ dir: join(datadir, 'stores', 'postgres'), url: pg.url })
      try {
        expect(bytesToHex((await store.head())!.hash)).toBe(built.head)
        const full = await compareAll(built.chain.db, store)
        expect(full.mismatch).toBeUndefined()
        expect(full.entries.accounts).toBeGreaterThan(250)
        expect((await store.stats()).transitions).toBe(Number(built.chain.head().number) + 1)
      } finally {
        await store.close()
      }
    })
  })
}
