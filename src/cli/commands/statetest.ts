/**
 * `mosaic statetest [--json] [--fork NAME] [--run REGEX] [--evm.jit MODE] PATH...`: runs state-test fixtures
 * (ethereum/tests GeneralStateTests and EEST state_tests) and compares each post entry's state
 * root and logs hash. Exit code 0 when all pass, 1 otherwise, 2 on a usage error.
 */
import { parseArgs } from '../args.ts'
import { applyJitFlag, fixtureFiles, JIT_USAGE, processOutput, reportResults, runFilter, runFixtureFiles, type OutputDeps } from '../fixture-command.ts'
import { UsageError, type Command } from '../command.ts'
import { isForkAtLeast, parseForkName, type ForkName } from '../../types/index.ts'
import { runStateTestFile, type StateTestResult } from './statetest-runner.ts'

const USAGE = `Usage: mosaic statetest [--json] [--fork NAME] [--run REGEX] [--evm.jit MODE] PATH...

Runs state-test fixtures (ethereum/tests GeneralStateTests, EEST state_tests): for every test and
post entry, builds the transaction from the entry's indexes, executes it on the pre-state and
compares the state root and the logs hash. PATH is a fixture file or a directory (searched
recursively for .json files).

Options:
  --json        print a JSON array of {name, fork, index, pass, stateRoot, error}
  --fork NAME   run only this fork's entries (Paris or later; default: Cancun, Prague, Osaka)
  --run REGEX   run only tests whose name matches
${JIT_USAGE}

Exit code: 0 all passed, 1 some failed, 2 usage error.`

export type StatetestDeps = OutputDeps

const PROGRESS_EVERY = 100

export async function runStatetest(args: string[], deps: StatetestDeps = processOutput): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['fork', 'run', 'evm.jit'], booleans: ['json'] })
  let fork: ForkName | undefined
  const forkFlag = flags.get('fork')
  if (typeof forkFlag === 'string') {
    fork = parseForkName(forkFlag)
    if (!fork) throw new UsageError(`unknown fork ${JSON.stringify(forkFlag)}`)
    if (!isForkAtLeast(fork, 'paris')) throw new UsageError(`fork ${forkFlag} is before Paris; the EVM starts at Paris`)
  }
  applyJitFlag(flags.get('evm.jit'))
  const run = runFilter(flags.get('run'))
  const files = fixtureFiles(positional)

  const json = flags.has('json')
  const { results, skipped } = await runFixtureFiles<StateTestResult>(
    'statetest',
    files,
    deps,
    { every: PROGRESS_EVERY, quiet: json },
    (file) => runStateTestFile(file, { fork, run }),
    (file, error) => ({ name: file, fork: '', index: 0, pass: false, stateRoot: '', error }),
  )
  return reportResults(deps, results, {
    json,
    row: (r) => ({ name: r.name, fork: r.fork, index: r.index, pass: r.pass, stateRoot: r.stateRoot, error: r.error ?? null }),
    fail: (r) => `FAIL ${r.file} ${r.name} [${r.fork} #${r.index}]: ${r.error}`,
    skipped,
    skippedWhy: 'other forks',
  })
}

export const statetest: Command = {
  name: 'statetest',
  summary: 'run state-test files (GeneralStateTests, EEST state_tests): state root and logs per post entry',
  usage: USAGE,
  run: (args) => runStatetest(args),
}
