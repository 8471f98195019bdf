/**
 * `mosaic txtest [--json] [--fork NAME] PATH...`: runs ethereum/tests TransactionTests files
 * (a file, or every .json file under a directory) and checks each test's sender, hash and
 * intrinsic gas, or its expected rejection, per fork. Exit code 0 when all pass, 1 otherwise,
 * 2 on a usage error.
 */
import { parseArgs } from '../args.ts'
import { fixtureFiles, progressLine, processOutput, reportResults, type OutputDeps } from '../fixture-command.ts'
import { UsageError, type Command } from '../command.ts'
import { FORKS, parseForkName, type ForkName } from '../../types/index.ts'
import { runTransactionTestFile, type TxTestResult } from './txtest-runner.ts'

const USAGE = `Usage: mosaic txtest [--json] [--fork NAME] PATH...

Runs TransactionTests fixtures (ethereum/tests): for every test and fork, decodes txbytes,
validates it under the fork's rules (chain id 1), and compares the sender, hash and intrinsic gas,
or checks that it is rejected for the expected reason. PATH is a fixture file or a directory
(searched recursively for .json files).

Options:
  --json       print a JSON array of {name, fork, pass, error, file} instead of a summary
  --fork NAME  run only this fork's entries (${FORKS.join(', ')}; fixture names such as
               EIP158 or ConstantinopleFix are accepted too)

Exit code: 0 all passed, 1 some failed, 2 usage error.`

export type TxtestDeps = OutputDeps

const PROGRESS_EVERY = 50

export async function runTxtest(args: string[], deps: TxtestDeps = processOutput): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['fork'], booleans: ['json'] })
  let fork: ForkName | undefined
  const forkFlag = flags.get('fork')
  if (typeof forkFlag === 'string') {
    fork = parseForkName(forkFlag)
    if (!fork) throw new UsageError(`unknown fork ${JSON.stringify(forkFlag)}`)
  }
  const files = fixtureFiles(positional)

  const json = flags.has('json')
  const results: TxTestResult[] = []
  let failed = 0
  const progress = json ? undefined : progressLine('txtest', files.length, deps, PROGRESS_EVERY)
  for (let i = 0; i < files.length; i++) {
    for (const r of runTransactionTestFile(files[i]!, { fork })) {
      results.push(r)
      if (!r.pass) failed++
    }
    progress?.update(i + 1, results.length - failed, failed)
  }
  progress?.done()

  return reportResults(deps, results, {
    json,
    row: (r) => ({ name: r.name, fork: r.fork, pass: r.pass, error: r.error, file: r.file }),
    fail: (r) => `FAIL ${r.file} ${r.name} [${r.fork}]: ${r.error}`,
  })
}

export const txtest: Command = {
  name: 'txtest',
  summary: 'run TransactionTests files: sender, hash, intrinsic gas or expected rejection per fork',
  usage: USAGE,
  run: (args) => runTxtest(args),
}
