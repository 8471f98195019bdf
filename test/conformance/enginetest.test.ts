/**
 * BlockchainTests through the Engine API: `bin/mosaic enginetest --from-blocktests --json` as a
 * child process over the whole tree, its piped JSON parsed. Every test that blocktest passes
 * (the runner of test/conformance/blockchain.test.ts, in process) must pass here too; the
 * tests that fail are exactly those listed in test/known-failures.json under
 * "EngineTestsFromBlockchainTests" (key `dir/file.json:name`). blocktest's known failures
 * (an exception named differently) pass here: the Engine API only says INVALID.
 */
import { expect, test } from 'bun:test'
import { join, relative } from 'node:path'
import { runBlockTestFile } from '../../src/cli/commands/blocktest-runner.ts'
import { describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')

interface Row {
  file: string
  name: string
  pass: boolean
  payloads: number
  error: string | null
}

describeFixtures('BlockchainTests through the Engine API (enginetest --from-blocktests)', ['ethereum-tests', 'BlockchainTests'], (dir) => {
  test('passes what blocktest passes, fails only its known failures', async () => {
    const proc = Bun.spawn([MOSAIC, 'enginetest', '--from-blocktests', '--json', dir], { stdout: 'pipe', stderr: 'pipe' })
    const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited])
    const rows = JSON.parse(text) as Row[]
    const id = (file: string, name: string) => `${relative(dir, file)}:${name}`
    const engine = new Map(rows.map((r) => [id(r.file, r.name), r]))

    const blocktestPassed: string[] = []
    for (const file of jsonFiles(dir)) for (const r of runBlockTestFile(file).results) if (r.pass) blocktestPassed.push(id(file, r.name))

    const problems: string[] = []
    for (const k of blocktestPassed) {
      const r = engine.get(k)
      if (!r) problems.push(`${k}: passes blocktest, not run by enginetest`)
    }
    for (const [k, r] of engine) {
      const known = knownFailure('EngineTestsFromBlockchainTests', k)
      if (known && r.pass) problems.push(`${k}: listed as a known failure (${known}) but passes`)
      if (!known && !r.pass) problems.push(`${k}: ${r.error}`)
    }
    expect(problems).toEqual([])
    expect(blocktestPassed.length).toBeGreaterThan(450)
    expect(rows.filter((r) => r.pass).length).toBeGreaterThanOrEqual(blocktestPassed.length)
    // Guards against a runner that silently sends nothing: more than one payload per test.
    expect(rows.reduce((n, r) => n + r.payloads, 0)).toBeGreaterThan(1000)
    expect(code).toBe(rows.every((r) => r.pass) ? 0 : 1)
  }, 120_000)
})
