/**
 * BlockchainTests (ValidBlocks and InvalidBlocks, Cancun): every test through the runner that
 * `mosaic blocktest` uses — import each block onto a fresh memory store, reject the ones marked
 * `expectException` with a named exception, end at `lastblockhash` with the flat state equal to
 * `postState`. Cases listed in test/known-failures.json under "BlockchainTests" (key
 * `dir/file.json:name`) must still fail; all others must pass. The EVM's compiling tier is
 * forced on unless MOSAIC_EVM_JIT says otherwise (test/fixtures.ts).
 */
import { expect, test } from 'bun:test'
import { relative } from 'node:path'
import { runBlockTestFile } from '../../src/cli/commands/blocktest-runner.ts'
import { conformanceJitMode, describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

const JIT = conformanceJitMode()

const counted = { tests: 0, blocks: 0 }

describeFixtures(`BlockchainTests (evm.jit ${JIT})`, ['ethereum-tests', 'BlockchainTests'], (dir) => {
  for (const file of jsonFiles(dir)) {
    const rel = relative(dir, file)
    test(rel, () => {
      const problems: string[] = []
      for (const r of runBlockTestFile(file).results) {
        counted.tests++
        counted.blocks += r.blocks
        const id = `${rel}:${r.name}`
        const known = knownFailure('BlockchainTests', id)
        if (known) {
          if (r.pass) problems.push(`${id}: listed as a known failure (${known}) but passes`)
        } else if (!r.pass) problems.push(`${id}: ${r.error}`)
      }
      expect(problems).toEqual([])
    })
  }
  // Guards against a runner that silently checks nothing.
  test('ran the Cancun tests and their blocks', () => {
    expect(counted.tests).toBeGreaterThan(450)
    expect(counted.blocks).toBeGreaterThan(1000)
  })
})
