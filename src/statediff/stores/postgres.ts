/**
 * The PostgreSQL store (the `postgres` package, a real server): tables for the state and for
 * each block's change set, one SQL transaction per block that also moves the `head` row, and
 * reorgs rolled back by block number the way the indexers Shovel and graph-node do it: the
 * change set rows above the target are deleted and the before values they hold restored.
 *
 *   accounts(address bytea PRIMARY KEY, nonce numeric, balance numeric, code_hash bytea)
 *   storage(address bytea, slot bytea, value numeric, PRIMARY KEY (address, slot))
 *   code(hash bytea PRIMARY KEY, code bytea)
 *   blocks(number bigint PRIMARY KEY, hash bytea)                 -- the change sets' blocks
 *   account_changes(block, address, nonce, balance, code_hash)    -- before values (NULL: absent)
 *   storage_changes(block, address, slot, value)                  -- before values (0: unset)
 *   head(id 0, number bigint, hash bytea, transitions bigint)
 *
 * The connection is `--store postgres:URL`, else DATABASE_URL, else libpq's PG* variables
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). A store's tables live in a schema of its
 * own, named after its directory (`statesync_<hash>`, written to DIR/postgres.json), so a store
 * opened again on the same directory finds its head and resumes after it.
 *
 * A lost connection (the server stopped, restarting, unreachable) fails the block being written
 * with STORE_UNAVAILABLE, naming the store and the block; its transaction did not commit (or did,
 * and the head row says so): the next call reads the head back from the server, so a reconnected
 * store resumes from its acknowledged height, and a follower retries (./retry.ts). Any other
 * failure of a write is STORE_FAILED.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve, join } from 'node:path'
import postgres from 'postgres'
import { bigintToWord, bytesToBigint } from '../../primitives/index.ts'
import { StateDiffError } from '../errors.ts'
import { processUsage } from '../proc-usage.ts'
import type { StateStore, StoreOptions } from '../store.ts'
import type { BlockDiff, BlockRef } from '../types.ts'
import { checkFollows, headAfter } from './order.ts'

const TABLES = ['accounts', 'storage', 'code', 'blocks', 'account_changes', 'storage_changes', 'head'] as const

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (address bytea PRIMARY KEY, nonce numeric NOT NULL, balance numeric NOT NULL, code_hash bytea NOT NULL);
CREATE TABLE IF NOT EXISTS storage (address bytea NOT NULL, slot bytea NOT NULL, value numeric NOT NULL, PRIMARY KEY (address, slot));
CREATE TABLE IF NOT EXISTS code (hash bytea PRIMARY KEY, code bytea NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number bigint PRIMARY KEY, hash bytea NOT NULL);
CREATE TABLE IF NOT EXISTS account_changes (block bigint NOT NULL, address bytea NOT NULL, nonce numeric, balance numeric, code_hash bytea, PRIMARY KEY (block, address));
CREATE TABLE IF NOT EXISTS storage_changes (block bigint NOT NULL, address bytea NOT NULL, slot bytea NOT NULL, value numeric NOT NULL, PRIMARY KEY (block, address, slot));
CREATE TABLE IF NOT EXISTS head (id int PRIMARY KEY CHECK (id = 0), number bigint NOT NULL, hash bytea NOT NULL, transitions bigint NOT NULL);
`

/** Rows per multi-row statement (PostgreSQL takes at most 65535 parameters). */
const CHUNK = 5000

const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)
const bytes = (b: Uint8Array) => new Uint8Array(b)

/** Where the connection goes, for messages (no password). */
function describeTarget(url: string | undefined): string {
  if (url) {
    try {
      const u = new URL(url)
      return `${u.hostname}:${u.port || 5432}${u.pathname}`
    } catch {
      return 'the given URL'
    }
  }
  const env = process.env
  return `${env.PGHOST ?? 'localhost'}:${env.PGPORT ?? 5432}/${env.PGDATABASE ?? env.PGUSER ?? ''}`
}

/**
 * Whether a failure is the connection's, not the statement's: postgres.js's socket errors
 * (CONNECTION_CLOSED, CONNECT_TIMEOUT, ECONNREFUSED, …), SQLSTATE class 08 (connection
 * exception) and 57P01-57P03 (the server shutting down, crashed, or starting up).
 */
function connectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && /^(CONNECTION_|CONNECT_TIMEOUT|ECONN|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)|^08|^57P0[123]$/.test(code)
}

export interface PostgresStoreOptions extends StoreOptions {
  /** A postgres:// URL; default DATABASE_URL, else the PG* variables. */
  url?: string
  /** The schema for the tables; default one named after `dir`. */
  schema?: string
}

export async function openPostgresStateStore(opts: PostgresStoreOptions): Promise<StateStore> {
  const url = opts.url ?? opts.arg ?? (process.env.DATABASE_URL || undefined)
  const target = describeTarget(url)
  const schema = opts.schema ?? `statesync_${createHash('sha256').update(resolve(opts.dir)).digest('hex').slice(0, 16)}`
  const options = { max: 1, onnotice: () => {}, connect_timeout: 10, connection: { search_path: schema, application_name: 'mosaic-statesync' } }
  const sql = url ? postgres(url, options) : postgres(options)
  try {
    await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await sql.unsafe(SCHEMA)
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {})
    throw new StateDiffError('BAD_STORE', `postgres: cannot open the store at ${target} (schema ${schema})`, { details: e instanceof Error ? e.message : String(e), cause: e })
  }
  mkdirSync(opts.dir, { recursive: true })
  writeFileSync(join(opts.dir, 'postgres.json'), `${JSON.stringify({ server: target, schema }, null, 2)}\n`)

  let head: BlockRef | undefined
  let transitions = 0
  let stale = true
  /** STORE_UNAVAILABLE when the connection is what failed, else STORE_FAILED; either way the head is read again next time. */
  const failed = (e: unknown, at: string) => {
    stale = true
    const lost = connectionLost(e)
    return new StateDiffError(lost ? 'STORE_UNAVAILABLE' : 'STORE_FAILED', `postgres: ${lost ? `lost the connection to ${target}` : 'the transaction failed'} ${at}; the store stays at its head`, {
      details: e instanceof Error ? e.message : String(e),
      cause: e,
    })
  }
  /** The head and transition count as the server has them (after a failure, or on open). */
  async function sync() {
    if (!stale) return
    try {
      const [row] = await sql<{ number: string; hash: Uint8Array; transitions: string }[]>`SELECT number, hash, transitions FROM head WHERE id = 0`
      head = row ? { number: BigInt(row.number), hash: bytes(row.hash) } : undefined
      transitions = row ? Number(row.transitions) : 0
      stale = false
    } catch (e) {
      throw failed(e, 'reading its head')
    }
  }
  await sync()

  async function chunks<T>(rows: T[], f: (part: T[]) => Promise<unknown>) {
    for (let i = 0; i < rows.length; i += CHUNK) await f(rows.slice(i, i + CHUNK))
  }

  /** One block's commit: its change set (the before values), then the state, then the head. */
  async function commit(tx: postgres.TransactionSql, d: BlockDiff) {
    const n = d.number.toString()
    const codes = d.codes.map((c) => ({ hash: buf(c.hash), code: buf(c.code) }))
    await chunks(codes, (p) => tx`INSERT INTO code ${tx(p)} ON CONFLICT DO NOTHING`)
    await tx`INSERT INTO blocks VALUES (${n}, ${buf(d.hash)})`
    const before = d.accounts.map((a) => ({ block: n, address: buf(a.address), nonce: a.before?.nonce.toString() ?? null, balance: a.before?.balance.toString() ?? null, code_hash: a.before ? buf(a.before.codeHash) : null }))
    await chunks(before, (p) => tx`INSERT INTO account_changes ${tx(p)} ON CONFLICT DO NOTHING`)
    const slotsBefore = d.accounts.flatMap((a) => a.slots.map(([s, v]) => ({ block: n, address: buf(a.address), slot: buf(bigintToWord(s)), value: v.toString() })))
    await chunks(slotsBefore, (p) => tx`INSERT INTO storage_changes ${tx(p)} ON CONFLICT DO NOTHING`)

    const gone = d.accounts.filter((a) => !a.after).map((a) => buf(a.address))
    if (gone.length) await tx`DELETE FROM accounts WHERE address = ANY(${tx.array(gone, 17)}::bytea[])`
    const put = d.accounts.flatMap((a) => (a.after ? [{ address: buf(a.address), nonce: a.after.nonce.toString(), balance: a.after.balance.toString(), code_hash: buf(a.after.codeHash) }] : []))
    await chunks(put, (p) => tx`INSERT INTO accounts ${tx(p)} ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash`)
    const wiped = d.accounts.filter((a) => a.wiped).map((a) => buf(a.address))
    if (wiped.length) await tx`DELETE FROM storage WHERE address = ANY(${tx.array(wiped, 17)}::bytea[])`
    const set = d.accounts.flatMap((a) => a.slots.filter(([, , v]) => v !== 0n).map(([s, , v]) => ({ address: buf(a.address), slot: buf(bigintToWord(s)), value: v.toString() })))
    await chunks(set, (p) => tx`INSERT INTO storage ${tx(p)} ON CONFLICT (address, slot) DO UPDATE SET value = excluded.value`)
    const unset = d.accounts.flatMap((a) => (a.wiped ? [] : a.slots.filter(([, , v]) => v === 0n).map(([s]) => ({ address: buf(a.address), slot: buf(bigintToWord(s)) }))))
    await chunks(unset, (p) => tx`DELETE FROM storage s USING unnest(${tx.array(p.map((r) => r.address), 17)}::bytea[], ${tx.array(p.map((r) => r.slot), 17)}::bytea[]) AS u(address, slot) WHERE s.address = u.address AND s.slot = u.slot`)
  }

  /**
   * Rolls the state back to block `target` (graph-node's revert, Shovel's delete-above): the
   * oldest before value of every key changed above it is restored, and those change sets go.
   */
  async function rollback(tx: postgres.TransactionSql, target: bigint) {
    const t = target.toString()
    await tx`
      WITH first AS (SELECT DISTINCT ON (address) address, nonce, balance, code_hash FROM account_changes WHERE block > ${t} ORDER BY address, block)
      DELETE FROM accounts a USING first f WHERE a.address = f.address AND f.nonce IS NULL`
    await tx`
      INSERT INTO accounts (address, nonce, balance, code_hash)
      SELECT address, nonce, balance, code_hash FROM (SELECT DISTINCT ON (address) * FROM account_changes WHERE block > ${t} ORDER BY address, block) f WHERE f.nonce IS NOT NULL
      ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash`
    await tx`
      WITH first AS (SELECT DISTINCT ON (address, slot) address, slot, value FROM storage_changes WHERE block > ${t} ORDER BY address, slot, block)
      DELETE FROM storage s USING first f WHERE s.address = f.address AND s.slot = f.slot AND f.value = 0`
    await tx`
      INSERT INTO storage (address, slot, value)
      SELECT address, slot, value FROM (SELECT DISTINCT ON (address, slot) * FROM storage_changes WHERE block > ${t} ORDER BY address, slot, block) f WHERE f.value <> 0
      ON CONFLICT (address, slot) DO UPDATE SET value = excluded.value`
    await tx`DELETE FROM storage_changes WHERE block > ${t}`
    await tx`DELETE FROM account_changes WHERE block > ${t}`
    await tx`DELETE FROM blocks WHERE number > ${t}`
  }

  async function write(d: BlockDiff, op: 'apply' | 'revert') {
    await sync()
    checkFollows('postgres', head, d, op)
    const next = headAfter(d)
    try {
      await sql.begin(async (tx) => {
        if (op === 'apply') await commit(tx, d)
        else await rollback(tx, d.number - 1n)
        if (next) await tx`INSERT INTO head VALUES (0, ${next.number.toString()}, ${buf(next.hash)}, ${transitions + 1}) ON CONFLICT (id) DO UPDATE SET number = excluded.number, hash = excluded.hash, transitions = excluded.transitions`
        else await tx`DELETE FROM head`
      })
    } catch (e) {
      throw failed(e, `at block ${d.number} (${op})`)
    }
    head = next
    transitions++
  }

  return {
    kind: 'postgres',
    async head() {
      await sync()
      return head
    },
    apply: (d) => write(d, 'apply'),
    revert: (d) => write(d, 'revert'),
    async account(address) {
      const [r] = await sql<{ nonce: string; balance: string; code_hash: Uint8Array }[]>`SELECT nonce, balance, code_hash FROM accounts WHERE address = ${buf(address)}`
      return r ? { nonce: BigInt(r.nonce), balance: BigInt(r.balance), codeHash: bytes(r.code_hash) } : undefined
    },
    async slot(address, slot) {
      const [r] = await sql<{ value: string }[]>`SELECT value FROM storage WHERE address = ${buf(address)} AND slot = ${buf(bigintToWord(slot))}`
      return r ? BigInt(r.value) : 0n
    },
    async code(hash) {
      const [r] = await sql<{ code: Uint8Array }[]>`SELECT code FROM code WHERE hash = ${buf(hash)}`
      return r ? bytes(r.code) : undefined
    },
    // Each block's COMMIT is durable (synchronous_commit) when it returns.
    flush() {},
    async stats() {
      await sync()
      const [r] = await sql<{ bytes: string; accounts: string; slots: string; codes: string }[]>`
        SELECT (SELECT sum(pg_total_relation_size(format('%I.%I', ${schema}::text, t)::regclass)) FROM unnest(${sql.array([...TABLES])}::text[]) t) AS bytes,
          (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM storage) AS slots, (SELECT count(*) FROM code) AS codes`
      return { bytesOnDisk: Number(r!.bytes), entries: { accounts: Number(r!.accounts), slots: Number(r!.slots), codes: Number(r!.codes) }, transitions }
    },
    // the server's backend for this store's connection, when it runs on this machine (its /proc is ours to read)
    async usage() {
      const [r] = await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`
      const pid = r!.pid
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) return undefined
      } catch {
        return undefined
      }
      return { pid, ...processUsage(pid) }
    },
    async close() {
      await sql.end({ timeout: 5 })
    },
  }
}
