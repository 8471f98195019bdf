/**
 * `make fuzz-diff` as a user runs it (scripts/fuzz-diff.ts in a child process): a bounded sample
 * of Prague and Osaka cases against anvil, with the t8n round trip, must report no difference;
 * and the generator is a function of its seed. Skipped with a message without anvil.
 */
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex } from '../../src/primitives/index.ts'
import { generateCase, KINDS } from './generate.ts'

const ROOT = join(import.meta.dir, '..', '..')
const HAVE_ANVIL = existsSync(join(ROOT, 'node_modules', '.bin', 'anvil'))
if (!HAVE_ANVIL) console.log('fuzz-diff: node_modules/.bin/anvil not found, the sample run is skipped')

const fingerprint = (seed: number) => {
  const c = generateCase(seed, 'prague')
  return JSON.stringify([c.kind, c.accounts.map((a) => [bytesToHex(a.address), bytesToHex(a.code)]), c.txs.map((t) => [t.type, bytesToHex(t.data), String(t.gas)])])
}

test('a case is a function of its seed, and the seeds reach every kind', () => {
  expect(fingerprint(7)).toBe(fingerprint(7))
  expect(fingerprint(7)).not.toBe(fingerprint(8))
  const kinds = new Set(Array.from({ length: 60 }, (_, i) => generateCase(i, 'osaka').kind))
  expect([...kinds].sort()).toEqual([...KINDS].sort())
}, 20_000)

test('bad settings get a usage error and exit code 2, before anvil starts', async () => {
  for (const env of [{ COUNT: 'abc' }, { FORKS: 'cancun' }, { KIND: 'nope' }]) {
    const proc = Bun.spawn(['bun', 'scripts/fuzz-diff.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
    const [err, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited])
    expect(err).toContain('Usage:')
    expect(code).toBe(2)
  }
})

describe.skipIf(!HAVE_ANVIL)('make fuzz-diff (sample)', () => {
  test('20 cases per fork agree with anvil and with t8n', async () => {
    const proc = Bun.spawn(['bun', 'scripts/fuzz-diff.ts'], { cwd: ROOT, env: { ...process.env, COUNT: '20', SEED: '5000', FORKS: 'prague,osaka' }, stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    expect(err + out).not.toContain('DIFF')
    expect(out).toContain('40 cases, 0 differences')
    expect(out).toMatch(/prague: 20 cases; opcodes reached \d+\/\d+; precompiles \d+\/17/)
    expect(out).toMatch(/osaka: 20 cases; opcodes reached \d+\/\d+; precompiles \d+\/18/)
    expect(code).toBe(0)
  }, 60_000)
})
