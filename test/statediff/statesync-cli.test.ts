/**
 * `mosaic statesync` as a child process: a generated chain (reorgs, self-destructs) into the
 * memory, SQLite, LMDB and RocksDB stores with a clean verify and both report files; the same
 * chain as a block file into a stored chain, and a new store served from its stored change
 * sets; a wrong plugin store caught with the block and key named; a store whose state root goes
 * wrong caught by the periodic root check with the first bad block named; a store that throws; bad
 * stores; and a SIGKILL in the middle of a run, after which every store resumes from its own
 * head and ends with every block applied exactly once.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const FIXTURES = join(import.meta.dir, 'fixtures')
const dir = mkdtempSync(join(tmpdir(), 'mosaic-statesync-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SPEC = 'generate:blocks=40,accounts=400,slots=2000,seed=2,reorgs=9'

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([MOSAIC, 'statesync', ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...env } })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { out, err, code }
}

const report = (d: string) => JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'))
const byName = (r: any, name: string) => r.stores.find((s: any) => s.name === name)

describe('mosaic statesync', () => {
  test('a generated chain into memory, sqlite, lmdb and rocksdb: every store verified, report.json and report.md written', async () => {
    const out = join(dir, 'gen')
    const r = await run(['--source', SPEC, '--store', 'memory', '--store', 'sqlite', '--store', 'lmdb', '--store', 'rocksdb', '--verify', 'every:4', '--window', '10', '--report', out, '--write-chain', join(dir, 'gen.rlp.gz'), '--diffs', join(dir, 'gen.jsonl')])
    expect(r.err).not.toContain('mosaic statesync:')
    expect(r.code).toBe(0)
    expect(r.out).toContain('statesync: pass: block 40')
    for (const s of ['memory', 'sqlite', 'lmdb', 'rocksdb']) expect(r.out).toContain(`${s}: verified`)
    const j = report(out)
    expect(j.verdict).toBe('pass')
    expect(j.head.number).toBe(40)
    expect(j.notifications.reorged).toBe(4)
    expect(j.verify.checks).toBeGreaterThan(5)
    expect(j.state.accounts).toBeGreaterThan(350)
    expect(j.state.slots).toBeGreaterThan(1700)
    for (const s of j.stores) {
      expect(s.status).toBe('verified')
      expect(s.head.number).toBe(40)
      expect(s.reverts).toBeGreaterThan(3)
      expect(s.commits - s.reverts).toBe(41) // genesis to block 40, whatever the reorgs
      expect(s.transitions).toBe(s.commits + s.reverts)
      expect(s.windows.length).toBeGreaterThan(3)
      expect(s.applyMs.p50).toBeGreaterThan(0)
      expect(s.readUs.first.p50).toBeGreaterThan(0)
    }
    expect(byName(j, 'rocksdb').bytesOnDisk).toBeGreaterThan(0)
    // CPU, RSS and writes per store, measured around each store's own calls: the memory store
    // writes nothing even though the process wrote for the others
    for (const s of j.stores) {
      expect(s.cpuMs).toBeGreaterThan(0)
      expect(s.usage.logicalBytes).toBeGreaterThan(100_000)
      expect(s.usage.calls.count).toBeGreaterThanOrEqual(s.transitions)
    }
    expect(byName(j, 'memory').writeBytes).toBe(0)
    for (const s of ['sqlite', 'lmdb', 'rocksdb']) {
      expect(byName(j, s).writeBytes).toBeGreaterThan(0)
      expect(byName(j, s).writeAmplification).toBeGreaterThan(0)
    }
    expect(byName(j, 'rocksdb').usage.background.threads).toBeGreaterThan(0) // RocksDB's own pool, counted to it
    expect(j.method).toContain('process.threadCpuUsage')
    // the memory store keeps a commitment: its stateRoot() is the header's; the others have none
    expect(byName(j, 'memory').stateRoot).toBe('match')
    for (const s of ['sqlite', 'lmdb', 'rocksdb']) expect(byName(j, s).stateRoot).toBe('none')
    const md = readFileSync(join(out, 'report.md'), 'utf8')
    expect(md).toContain('# statesync report: every store verified')
    expect(md).toContain('| lmdb | verified |')
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    for (const id of ['apply', 'read', 'disk']) expect(html).toContain(`<svg class="chart" id="${id}"`)
    expect(html).toContain('<th>write amp.</th>')
    expect(html).toMatch(/<td class="wamp">\d+(\.\d+)?<\/td>/)
    expect(html).toContain('<p id="method">Per-store CPU, RSS and writes are measured')
    expect(md).toContain('| CPU (s) | RSS growth (MiB) | written (MiB) | write amp. |')
    expect(existsSync(join(dir, 'gen.rlp.gz.genesis.json'))).toBe(true)
    expect(readFileSync(join(dir, 'gen.jsonl'), 'utf8').split('\n').length).toBeGreaterThan(40)
  }, 30_000)

  test('the chain as a block file into a stored chain; a new store later is served from the stored change sets', async () => {
    const chain = ['--chain', join(dir, 'gen.rlp.gz.genesis.json'), '--datadir', join(dir, 'chaindata'), '--source', join(dir, 'gen.rlp.gz')]
    const first = await run([...chain, '--store', 'memory', '--report', join(dir, 'file1')])
    expect(first.code).toBe(0)
    const j1 = report(join(dir, 'file1'))
    expect(j1.head.number).toBe(40)
    expect(j1.notifications.reorged).toBe(4)
    // every block is stored now: nothing is imported, the new store catches up from the change sets
    const second = await run([...chain, '--store', 'sqlite', '--report', join(dir, 'file2')])
    expect(second.code).toBe(0)
    const s = byName(report(join(dir, 'file2')), 'sqlite')
    expect(s.status).toBe('verified')
    expect(s.commits).toBe(41)
    expect(s.reverts).toBe(0)
  }, 30_000)

  test('a store that drops every 50th slot write is caught: the block and the key named, both values, exit 1', async () => {
    const out = join(dir, 'wrong')
    const r = await run(['--source', SPEC, '--store', join(FIXTURES, 'dropping-store-plugin.ts'), '--store', 'memory', '--verify', 'every:3', '--report', out], { MOSAIC_TEST_DROP_EVERY: '50' })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/mosaic statesync: dropping-store-plugin: wrong state at block \d+ 0x[0-9a-f]{64} \(the key's last write; found by a sampled check at block \d+\): slot 0x[0-9a-f]{40} 0x[0-9a-f]+: Mosaic has 0x[0-9a-f]+, the store has 0x[0-9a-f]+/)
    const j = report(out)
    expect(j.verdict).toBe('fail')
    const bad = byName(j, 'dropping-store-plugin')
    expect(bad.status).toBe('mismatch')
    expect(bad.failure.key).toMatch(/^slot 0x/)
    expect(bad.failure.expected).not.toBe(bad.failure.actual)
    expect(bad.failure.lastWritten.number).toBeLessThanOrEqual(bad.failure.block)
    expect(byName(j, 'memory').status).toBe('verified')
  }, 30_000)

  test('state roots checked every N blocks: a store whose root goes wrong at block 7 is caught at the next check, block 7 named as the first bad one', async () => {
    const out = join(dir, 'root')
    const r = await run(['--source', 'generate:blocks=30,accounts=300,slots=1000,seed=3', '--store', join(FIXTURES, 'wrong-root-store-plugin.ts'), '--store', 'memory', '--verify', 'none', '--verify-root', 'every:5', '--report', out])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/mosaic statesync: wrong-root-store-plugin: its state root differs from the header's at block 10: the first bad block is 7 0x[0-9a-f]{64} \(its root differs, its parent's matches\)/)
    const j = report(out)
    expect(j.verify.rootEvery).toBe(5)
    const bad = byName(j, 'wrong-root-store-plugin')
    expect(bad.status).toBe('failed')
    expect(bad.failure.block).toBe(7)
    expect(bad.stateRoot).toBe('differs')
    const good = byName(j, 'memory')
    expect(good.stateRoot).toBe('match')
    expect(good.stateRootChecks).toBe(6) // blocks 5, 10, …, 30
    const usage = await run(['--source', 'generate:blocks=2', '--store', 'memory', '--verify-root', 'often'])
    expect(usage.code).toBe(2)
    expect(usage.err).toContain('--verify-root must be every:N')
  }, 30_000)

  test('a store that throws is failed with its name and the block; the others go on', async () => {
    const r = await run(['--source', 'generate:blocks=12,accounts=100,slots=300', '--store', join(FIXTURES, 'throwing-store-plugin.ts'), '--store', 'memory'])
    expect(r.code).toBe(1)
    expect(r.err).toContain('throwing-store-plugin: commit failed at block 7')
    expect(r.err).toContain('the disk went away')
    expect(r.out).toContain('memory: verified')
  }, 30_000)

  test('bad stores and bad flags stop with one line', async () => {
    const unknown = await run(['--source', 'generate:blocks=2', '--store', 'postgres9'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('unknown store "postgres9"')
    const notStore = await run(['--source', 'generate:blocks=2', '--store', join(FIXTURES, 'not-a-store-plugin.ts')])
    expect(notStore.code).toBe(1)
    expect(notStore.err).toContain('is not a StateStore: it lacks apply, revert')
    const noSource = await run(['--store', 'memory'])
    expect(noSource.code).toBe(2)
    expect(noSource.err).toContain('give --source')
    const badVerify = await run(['--source', 'generate:blocks=2', '--store', 'memory', '--verify', 'sometimes'])
    expect(badVerify.code).toBe(2)
    const badSpec = await run(['--source', 'generate:blocks=2,color=red', '--store', 'memory'])
    expect(badSpec.code).toBe(2)
    expect(badSpec.err).toContain('unknown key "color"')
  }, 30_000)

  test('Ctrl-C stops after the current block: exit 130, the report says interrupted', async () => {
    const out = join(dir, 'interrupted')
    const child = await startChild([MOSAIC, 'statesync', '--source', 'generate:blocks=400,accounts=4000,slots=20000', '--store', 'memory', '--report', out, '--log-interval', '0.1'], {
      ready: { progress: /statesync number=\d+ / },
      timeoutMs: 20_000,
    })
    expect(await child.stop('SIGINT')).toBe(130)
    expect(child.log()).toContain('statesync: interrupted, stopping after the current block')
    const j = report(out)
    expect(j.verdict).toBe('interrupted')
    expect(j.interrupted).toBe(true)
    expect(j.head.number).toBeLessThan(400)
  }, 30_000)

  test('SIGKILL in the middle of a run: started again, each store resumes from its own head, every block applied once', async () => {
    const args = ['statesync', '--source', 'generate:blocks=150,accounts=1500,slots=6000,seed=8', '--store', 'rocksdb', '--store', 'sqlite', '--store', 'lmdb', '--stores-dir', join(dir, 'crash'), '--verify', 'every:10', '--log-interval', '0.1']
    const child = await startChild([MOSAIC, ...args], { ready: { progress: /statesync number=(?:[3-9]\d|1[0-4]\d) / }, timeoutMs: 20_000 })
    child.proc.kill('SIGKILL')
    await child.proc.exited
    const out = join(dir, 'crash-report')
    const r = await run([...args.slice(1), '--report', out])
    expect(r.code).toBe(0)
    const j = report(out)
    expect(j.head.number).toBe(150)
    for (const name of ['rocksdb', 'sqlite', 'lmdb']) {
      const s = byName(j, name)
      expect(s.status).toBe('verified')
      expect(s.transitions).toBe(151) // blocks 0..150, each exactly once across both runs
      expect(s.commits).toBeLessThan(151 - 25) // the second run applied only what the first had not
    }
  }, 60_000)
})
