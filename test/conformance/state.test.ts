/**
 * State tests: ethereum/tests GeneralStateTests (Cancun entries) and EEST Osaka state_tests, one
 * test per file through the runner `mosaic statetest` uses. Cases listed in
 * test/known-failures.json under "GeneralStateTests" / "EestOsaka" (key `dir/file.json:name`)
 * must still fail; all others must pass. stTimeConsuming/CALLBlake2f_MaxRounds runs 2^32-1 BLAKE2
 * rounds (about a minute in the native F function), so its files get a longer time limit.
 * The EVM's compiling tier is forced on unless MOSAIC_EVM_JIT says otherwise (test/fixtures.ts).
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { runStateTest, type FileRun } from '../../src/cli/commands/statetest-runner.ts'
import { conformanceJitMode, describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

const JIT = conformanceJitMode()


const SLOW = /(^|\/)stTimeConsuming\//

function suite(title: string, key: string, parts: string[]): void {
  describeFixtures(title, parts, (dir) => {
    for (const file of jsonFiles(dir)) {
      const rel = relative(dir, file)
      test(rel, () => {
        const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>
        const problems: string[] = []
        for (const [name, body] of Object.entries(doc)) {
          const out: FileRun = { results: [], skipped: 0 }
          runStateTest(name, body, {}, out)
          const id = `${rel}:${name}`
          const known = knownFailure(key, id)
          const failures = out.results.filter((r) => !r.pass).map((r) => `${id} [${r.fork} #${r.index}]: ${r.error}`)
          if (known) {
            if (failures.length === 0) problems.push(`${id}: listed as a known failure (${known}) but passes`)
          } else problems.push(...failures)
        }
        expect(problems).toEqual([])
      }, SLOW.test(rel) ? 900_000 : 120_000)
    }
  })
}

suite(`GeneralStateTests (evm.jit ${JIT})`, 'GeneralStateTests', ['ethereum-tests', 'GeneralStateTests'])
suite(`EEST Osaka state tests (evm.jit ${JIT})`, 'EestOsaka', ['eest-osaka', 'state_tests'])
