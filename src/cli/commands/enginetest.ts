/**
 * `mosaic enginetest [--json] [--run REGEX] [--from-blocktests] PATH...`: runs EEST
 * `blockchain_test_engine` fixtures through the Engine API of an in-process node (or, with
 * `--from-blocktests`, BlockchainTests converted to that form). Exit code 0 when all pass, 1
 * otherwise, 2 on a usage error.
 */
import { parseArgs } from '../args.ts'
import type { Command } from '../command.ts'
import { fixtureFiles, processOutput, reportResults, runFilter, runFixtureFiles, type OutputDeps } from '../fixture-command.ts'
import { runEngineTestFile, type EngineTestResult } from './enginetest-runner.ts'

const USAGE = `Usage: mosaic enginetest [--json] [--run REGEX] [--from-blocktests] PATH...

Runs EEST blockchain_test_engine fixtures through the Engine API of an in-process node, as EEST's
\`consume engine\` does: for every test, a fresh in-memory chain from its genesis header and
pre-state; each of \`engineNewPayloads\` is sent with engine_newPayloadVn and must answer VALID
(then forkchoiceUpdatedVn makes it the head), INVALID when it has a \`validationError\`, or fail
with its \`errorCode\`; the head must end at \`lastblockhash\` with the state equal to \`postState\`.
PATH is a fixture file or a directory (searched recursively for .json files). Networks before
Paris (no Engine API) are skipped.

Options:
  --from-blocktests  the files are BlockchainTests (ethereum/tests): each block's RLP becomes the
                     newPayload call of its fork (Paris V1, Shanghai V2, Cancun V3, Prague V4);
                     blocks with \`expectException\` must be refused (INVALID, INVALID_BLOCK_HASH,
                     an error, or an RLP that does not decode)
  --json             print a JSON array of {file, name, network, pass, payloads, error}
  --run REGEX        run only tests whose name matches

Exit code: 0 all passed, 1 some failed, 2 usage error.`

const PROGRESS_EVERY = 50

export async function runEnginetest(args: string[], deps: OutputDeps = processOutput): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['run'], booleans: ['json', 'from-blocktests'] })
  const run = runFilter(flags.get('run'))
  const files = fixtureFiles(positional)
  const json = flags.has('json')
  const fromBlocktests = flags.has('from-blocktests')
  const { results, skipped } = await runFixtureFiles<EngineTestResult>(
    'enginetest',
    files,
    deps,
    { every: PROGRESS_EVERY, quiet: json },
    (file) => runEngineTestFile(file, { run, fromBlocktests }),
    (file, error) => ({ name: file, network: '', pass: false, payloads: 0, error }),
  )
  return reportResults(deps, results, {
    json,
    row: (r) => ({ file: r.file, name: r.name, network: r.network, pass: r.pass, payloads: r.payloads, error: r.error ?? null }),
    fail: (r) => `FAIL ${r.file} ${r.name}: ${r.error}`,
    skipped,
    skippedWhy: 'networks before Paris',
  })
}

export const enginetest: Command = {
  name: 'enginetest',
  summary: 'run blockchain_test_engine files (or BlockchainTests, --from-blocktests) through the in-process Engine API',
  usage: USAGE,
  run: (args) => runEnginetest(args),
}
