/**
 * `mosaic statesync --store postgres` as a child process against a real server (DATABASE_URL;
 * `make services` starts one, .ci/run does for CI; without it these skip): a generated chain with
 * reorgs into PostgreSQL and memory verifies clean; and SIGKILLs at random blocks of a run, after
 * each of which the restarted command resumes the postgres store from its acknowledged height with
 * every block applied exactly once. Each run's stores directory is new, so is its schema; the
 * schemas are dropped after.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { until } from '../e2e/wait.ts'
import { databaseUrl, dropStoreSchemas, pgSkipReason } from '../postgres-server.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const url = databaseUrl

async function run(args: string[]) {
  const proc = Bun.spawn([MOSAIC, 'statesync', ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { out, err, code }
}
const report = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'))
const byName = (r: any, name: string) => r.stores.find((s: any) => s.name === name)

if (!url) {
  describe('mosaic statesync --store postgres', () => {
    test.skip(pgSkipReason, () => {})
  })
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-statesync-pg-'))
  afterAll(async () => {
    await dropStoreSchemas(url, dir)
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
      // the server's backend did the work: its CPU and writes, read from /proc/<pid> (the server is local here)
      expect(s.usage.server.pid).toBeGreaterThan(0)
      expect(s.usage.server.cpuMs).toBeGreaterThan(0)
      expect(s.usage.server.writeBytes).toBeGreaterThan(0)
      expect(s.writeAmplification).toBeGreaterThan(0)
      expect(JSON.parse(readFileSync(join(out, 'stores', 'postgres', 'postgres.json'), 'utf8')).schema).toMatch(/^statesync_[0-9a-f]{16}$/)
    }, 60_000)

    test('SIGKILLed twice at random blocks: each restart resumes the postgres store from its head, every block applied once', async () => {
      const args = ['statesync', '--source', 'generate:blocks=150,accounts=1500,slots=6000,seed=8', '--store', 'postgres', '--store', 'sqlite', '--stores-dir', join(dir, 'crash'), '--verify', 'every:10', '--log-interval', '0.05']
      // two kill points, random each run (printed, to replay one): in the first and the second half
      const points = [20 + Math.floor(Math.random() * 50), 80 + Math.floor(Math.random() * 50)]
      console.log(`statesync-postgres: SIGKILL at blocks ${points.join(', ')}`)
      for (const at of points) {
        const child = await startChild([MOSAIC, ...args], { ready: { progress: /statesync number=\d+ / }, timeoutMs: 40_000 })
        const reached = () => Math.max(-1, ...[...child.log().matchAll(/statesync number=(\d+) /g)].map((m) => Number(m[1])))
        await until(() => reached() >= at || child.proc.exitCode !== null, `the run at block ${at}`, 40_000)
        child.proc.kill('SIGKILL')
        await child.proc.exited
        expect(reached()).toBeLessThan(150) // killed mid-run, not after it ended
      }
      const out = join(dir, 'crash-report')
      const r = await run([...args.slice(1), '--report', out])
      expect(r.err).not.toContain('mosaic statesync:')
      expect(r.code).toBe(0)
      const j = report(out)
      expect(j.head.number).toBe(150)
      for (const name of ['postgres', 'sqlite']) {
        const s = byName(j, name)
        expect(s.status).toBe('verified')
        expect(s.transitions).toBe(151) // blocks 0..150, each exactly once across the three runs
        expect(s.commits).toBeLessThan(151 - points[1]! + 12) // the last run applied only what the others had not
      }
    }, 90_000)
  })
}
