/**
 * ethereum/tests TransactionTests: one test per (file, test), checking every fork entry through
 * the runner `mosaic txtest` uses. Cases listed in test/known-failures.json under
 * "TransactionTests" (key `dir/file.json:test`) must still fail; all others must pass.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { runTransactionTest, type TxTestCase } from '../../src/cli/commands/txtest-runner.ts'
import { describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

describeFixtures('TransactionTests', ['ethereum-tests', 'TransactionTests'], (dir) => {
  for (const file of jsonFiles(dir)) {
    const rel = relative(dir, file)
    const tests = JSON.parse(readFileSync(file, 'utf8')) as Record<string, TxTestCase>
    for (const [name, t] of Object.entries(tests)) {
      const id = `${rel}:${name}`
      const known = knownFailure('TransactionTests', id)
      test(id, () => {
        const results = runTransactionTest(rel, name, t)
        expect(results.length).toBeGreaterThan(0)
        const failures = results.filter((r) => !r.pass).map((r) => `${r.fork}: ${r.error}`)
        if (known) expect(failures.length, `listed as a known failure (${known}) but passes`).toBeGreaterThan(0)
        else expect(failures).toEqual([])
      })
    }
  }
})
