/**
 * `mosaic blocktest [--json] [--run REGEX] [--evm.jit MODE] PATH...`: runs BlockchainTests fixtures — every block
 * imported onto a fresh chain, expected exceptions matched by name, the last block hash and the
 * post state compared. Exit code 0 when all pass, 1 otherwise, 2 on a usage error.
 */
import { parseArgs } from '../args.ts'
import type { Command } from '../command.ts'
import { applyJitFlag, fixtureFiles, JIT_USAGE, processOutput, reportResults, runFilter, runFixtureFiles, type OutputDeps } from '../fixture-command.ts'
import { runBlockTestFile, type BlockTestResult } from './blocktest-runner.ts'

const USAGE = `Usage: mosaic blocktest [--json] [--run REGEX] [--evm.jit MODE] PATH...

Runs BlockchainTests fixtures (ethereum/tests ValidBlocks and InvalidBlocks): for every test,
imports its blocks in order onto a fresh in-memory chain built from the test's genesis and
pre-state. Valid blocks must import; blocks with \`expectException\` must be rejected with one of
the named exceptions; the head must end at \`lastblockhash\` with the state equal to
\`postState\`. PATH is a fixture file or a directory (searched recursively for .json files).
Networks before Paris are skipped (Mosaic is a proof-of-stake client).

Options:
  --json        print a JSON array of {name, network, pass, blocks, error}
  --run REGEX   run only tests whose name matches
${JIT_USAGE}

Exit code: 0 all passed, 1 some failed, 2 usage error.`

const PROGRESS_EVERY = 50

export async function runBlocktest(args: string[], deps: OutputDeps = processOutput): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['run', 'evm.jit'], booleans: ['json'] })
  applyJitFlag(flags.get('evm.jit'))
  const run = runFilter(flags.get('run'))
  const files = fixtureFiles(positional)
  const json = flags.has('json')
  const { results, skipped } = await runFixtureFiles<BlockTestResult>(
    'blocktest',
    files,
    deps,
    { every: PROGRESS_EVERY, quiet: json },
    (file) => runBlockTestFile(file, { run }),
    (file, error) => ({ name: file, network: '', pass: false, blocks: 0, error }),
  )
  return reportResults(deps, results, {
    json,
    row: (r) => ({ name: r.name, network: r.network, pass: r.pass, blocks: r.blocks, error: r.error ?? null }),
    fail: (r) => `FAIL ${r.file} ${r.name}: ${r.error}`,
    skipped,
    skippedWhy: 'networks before Paris',
  })
}

export const blocktest: Command = {
  name: 'blocktest',
  summary: 'run BlockchainTests files: import every block, match expected exceptions, compare head and post state',
  usage: USAGE,
  run: (args) => runBlocktest(args),
}
