/**
 * PostgreSQL for the tests: DATABASE_URL when set (.ci/run and `make services` start one with
 * scripts/postgres-service.sh); `startOwnPostgres()` starts a server of this test's own with the
 * same script (a test that stops it under a running client must not stop the shared one), with
 * `halt()` (an immediate shutdown: every connection cut, as in a crash) and `resume()` (the same
 * port and data again). `dropStoreSchemas` removes the schemas the postgres stores under a
 * directory created (each names its schema in DIR/postgres.json).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import postgres from 'postgres'

export const databaseUrl = process.env.DATABASE_URL || undefined
export const pgSkipReason = 'needs a PostgreSQL server: set DATABASE_URL (make services starts one; .ci/run does in CI)'

const SCRIPT = join(import.meta.dir, '../scripts/postgres-service.sh')
const initdbFound = () => Bun.spawnSync(['bash', '-c', 'command -v initdb || test -x /usr/lib/postgresql/15/bin/initdb']).exitCode === 0
/** Whether a server of our own can be started: the PostgreSQL 15 binaries are installed. */
export const ownPostgresPossible = initdbFound()
export const ownPgSkipReason = 'needs the PostgreSQL 15 binaries (initdb, pg_ctl; apt-get install postgresql-15) to run a server of its own'

export interface OwnPostgres {
  url: string
  dir: string
  /** Stops the server, keeping its data: `immediate` (default) as in a crash (crash recovery on resume), `fast` a clean shutdown; either cuts every connection. */
  halt(mode?: 'immediate' | 'fast'): Promise<void>
  /** Starts it again on the same port. */
  resume(): Promise<void>
  stop(): Promise<void>
}

async function script(...args: string[]): Promise<string> {
  const p = Bun.spawn(['bash', SCRIPT, ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`postgres-service.sh ${args.join(' ')} failed (${code}): ${err}${out}`)
  return out
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const out = await script('start')
  const dir = /PostgreSQL 15 in (\S+)/.exec(out)?.[1]
  const url = /export DATABASE_URL=(\S+)/.exec(out)?.[1]
  if (!dir || !url) throw new Error(`postgres-service.sh start printed no directory and URL: ${out}`)
  return {
    url,
    dir,
    halt: async (mode = 'immediate') => void (await script('halt', dir, mode)),
    resume: async () => void (await script('resume', dir)),
    stop: async () => void (await script('stop', dir)),
  }
}

/** Drops every schema a postgres store under `dir` made (found through its postgres.json). */
export async function dropStoreSchemas(url: string, dir: string): Promise<void> {
  const schemas: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (e.name === 'postgres.json') schemas.push(JSON.parse(readFileSync(join(d, e.name), 'utf8')).schema)
    }
  }
  if (existsSync(dir)) walk(dir)
  if (!schemas.length) return
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    for (const s of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
  } finally {
    await sql.end()
  }
}
