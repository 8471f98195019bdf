/**
 * The PostgreSQL store against a real server (DATABASE_URL; `make services` starts one, .ci/run
 * does for CI): the shared adapter suite, each store in a schema of its own, dropped after; and
 * a lost connection, through a TCP proxy that goes down and comes back: the block is failed
 * with the store's name and number, and the reconnected store resumes from its head.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import type { Socket, TCPSocketListener } from 'bun'
import { keccak256 } from '../../crypto/index.ts'
import { utf8ToBytes } from '../../primitives/index.ts'
import { EMPTY_CODE_HASH } from '../../state/index.ts'
import { StateDiffError } from '../errors.ts'
import type { BlockDiff } from '../types.ts'
import { openPostgresStateStore } from './postgres.ts'
import { stateStoreSuite } from './store-suite.ts'

const url = process.env.DATABASE_URL

/** A TCP proxy to the server that can be taken down (every connection cut, new ones refused) and brought back. */
function proxy(target: URL) {
  const open = new Set<Socket<{ peer?: Socket<unknown>; queued: Uint8Array[] }>>()
  let server: TCPSocketListener<{ peer?: Socket<unknown>; queued: Uint8Array[] }> | undefined
  let port = 0
  const up = () => {
    server = Bun.listen<{ peer?: Socket<unknown>; queued: Uint8Array[] }>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(client) {
          client.data = { queued: [] }
          open.add(client)
          Bun.connect({
            hostname: target.hostname,
            port: Number(target.port || 5432),
            socket: {
              open(peer) {
                client.data.peer = peer as Socket<unknown>
                for (const b of client.data.queued) peer.write(b)
              },
              data: (_s, b) => void client.write(b),
              close: () => void client.end(),
              error: () => void client.end(),
            },
          }).catch(() => client.end())
        },
        data(client, b) {
          if (client.data.peer) client.data.peer.write(b)
          else client.data.queued.push(new Uint8Array(b))
        },
        close(client) {
          open.delete(client)
          client.data.peer?.end()
        },
      },
    })
    port = server.port
  }
  up()
  return {
    url: () => `postgres://${target.username}@127.0.0.1:${port}${target.pathname}`,
    down() {
      server?.stop(true)
      for (const c of open) {
        c.data.peer?.terminate()
        c.terminate()
      }
      open.clear()
    },
    up,
  }
}

const h = (label: string) => keccak256(utf8ToBytes(label))
const block = (n: number): BlockDiff => ({
  direction: 'commit',
  number: BigInt(n),
  hash: h(`b${n}`),
  parentHash: h(n === 0 ? 'none' : `b${n - 1}`),
  accounts: [{ address: h('a').subarray(12), before: n === 0 ? undefined : { nonce: BigInt(n - 1), balance: 1n, codeHash: EMPTY_CODE_HASH }, after: { nonce: BigInt(n), balance: 1n, codeHash: EMPTY_CODE_HASH }, wiped: false, slots: [[BigInt(n), 0n, 1n]] }],
  codes: [],
})

if (!url) {
  describe('StateStore postgres', () => {
    test.skip('needs a PostgreSQL server: set DATABASE_URL (make services starts one)', () => {})
  })
} else {
  const run = `statesync_test_${process.pid}_${Date.now().toString(36)}`
  const schemas = new Set<string>()
  const root = mkdtempSync(join(tmpdir(), 'mosaic-postgres-test-'))
  afterAll(async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    for (const s of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    await sql.end()
    rmSync(root, { recursive: true, force: true })
  })
  const schemaFor = (dir: string) => {
    const s = `${run}_${dir.split('/').pop()}`
    schemas.add(s)
    return s
  }

  stateStoreSuite('postgres', (opts) => openPostgresStateStore({ ...opts, schema: schemaFor(opts.dir) }), { persistent: true })

  describe('StateStore postgres, the connection', () => {
    test('a lost connection fails the block with the store name and number; reconnected, the store resumes from its head', async () => {
      const p = proxy(new URL(url))
      const dir = join(root, 'lost')
      const s = await openPostgresStateStore({ dir, url: p.url(), schema: schemaFor(dir) })
      await s.apply(block(0))
      await s.apply(block(1))
      p.down()
      let failure: unknown
      try {
        await s.apply(block(2))
      } catch (e) {
        failure = e
      }
      expect(failure).toBeInstanceOf(StateDiffError)
      expect((failure as StateDiffError).code).toBe('STORE_UNAVAILABLE')
      expect((failure as Error).message).toContain('postgres: lost the connection to 127.0.0.1:')
      expect((failure as Error).message).toContain('at block 2')
      p.up()
      expect(await s.head()).toEqual({ number: 1n, hash: h('b1') })
      await s.apply(block(2))
      expect(await s.head()).toEqual({ number: 2n, hash: h('b2') })
      expect(await s.slot(h('a').subarray(12), 2n)).toBe(1n)
      expect((await s.stats()).transitions).toBe(3)
      await s.close()
    }, 30_000)

    test('no server: opening fails with one line naming the server', async () => {
      const dir = join(root, 'none')
      const e = await openPostgresStateStore({ dir, url: 'postgres://nobody@127.0.0.1:1/none' }).catch((e) => e)
      expect(e).toBeInstanceOf(StateDiffError)
      expect(e.message).toContain('postgres: cannot open the store at 127.0.0.1:1/none')
    }, 30_000)
  })
}
