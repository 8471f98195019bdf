/**
 * `mosaic statesync --store postgres` as a child process against a real server (DATABASE_URL;
 * `make services` starts one, .ci/run does for CI; without it these skip): a generated chain with
 * reorgs into PostgreSQL and memory verifies clean; and a SIGKILL in the middle of a run, after
 * which the restarted command resumes the postgres store from its acknowledged height with
 * every block applied exactly once. Each run's stores directory is new, so is its schema; the
 * schemas are dropped after.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { startChild } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const url = process.env.DATABASE_URL

async function run(args: string[]) {
  const proc = Bun.spawn([MOSAIC, 'statesync', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { out, err, code }
}
const report = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'))
const byName = (r: any, name: string) => r.stores.find((s: any) => s.name === name)

if (!url) {
  describe('mosaic statesync --store postgres', () => {
    test.skip('needs a PostgreSQL server: set DATABASE_URL (make services starts one)', () => {})
  })
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-statesync-pg-'))
  afterAll(async () => {
    // every postgres.json under dir names a schema this file created
    const schemas: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name))
        else if (e.name === 'postgres.json') schemas.push(JSON.parse(readFileSync(join(d, e.name), 'utf8')).schema)
      }
    }
    if (existsSync(dir)) walk(dir)
    const sql = postgres(url, { max: 1, onnotice: () => {} })
    for (const s of schemas) await sql.unsafe(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    await sql.end()
    rmSync(dir, { recursive: true, force: true })
  })

  describe('mosaic statesync --store postgres', () => {
    test('a generated chain with reorgs into postgres and memory: both verified', async () => {
      const out = join(dir, 'gen')
      const r = await run(['--source', 'generate:blocks=40,accounts=400,slots=2000,seed=2,reorgs=9', '--store', `postgres:${url}`, '--store', 'memory', '--verify', 'every:4', '--window', '10', '--report', out])
      expect(r.err).not.toContain('mosaic statesync:')
      expect(r.code).toBe(0)
      expect(r.out).toContain('postgres: verified')
      expect(r.out).toContain('memory: verified')
      const j = report(out)
      expect(j.verdict).toBe('pass')
      const s = byName(j, 'postgres')
      expect(s.head.number).toBe(40)
      expect(s.reverts).toBeGreaterThan(3)
      expect(s.commits - s.reverts).toBe(41)
      expect(s.transitions).toBe(s.commits + s.reverts)
      expect(s.bytesOnDisk).toBeGreaterThan(0)
      expect(JSON.parse(readFileSync(join(out, 'stores', 'postgres', 'postgres.json'), 'utf8')).schema).toMatch(/^statesync_[0-9a-f]{16}$/)
    }, 60_000)

    test('SIGKILL in the middle of a run: started again, the postgres store resumes from its head, every block applied once', async () => {
      const args = ['statesync', '--source', 'generate:blocks=150,accounts=1500,slots=6000,seed=8', '--store', 'postgres', '--store', 'sqlite', '--stores-dir', join(dir, 'crash'), '--verify', 'every:10', '--log-interval', '0.1']
      const child = await startChild([MOSAIC, ...args], { ready: { progress: /statesync number=(?:[3-9]\d|1[0-4]\d) / }, timeoutMs: 40_000 })
      child.proc.kill('SIGKILL')
      await child.proc.exited
      const out = join(dir, 'crash-report')
      const r = await run([...args.slice(1), '--report', out])
      expect(r.err).not.toContain('mosaic statesync:')
      expect(r.code).toBe(0)
      const j = report(out)
      expect(j.head.number).toBe(150)
      for (const name of ['postgres', 'sqlite']) {
        const s = byName(j, name)
        expect(s.status).toBe('verified')
        expect(s.transitions).toBe(151) // blocks 0..150, each exactly once across both runs
        expect(s.commits).toBeLessThan(151 - 25) // the second run applied only what the first had not
      }
    }, 90_000)
  })
}
