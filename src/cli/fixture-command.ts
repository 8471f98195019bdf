/**
 * Plumbing shared by the commands that run fixture files (`txtest`, `statetest`, `blocktest`, `enginetest`): where output
 * goes, which files a command's paths name, and the progress line on stderr.
 */
import { existsSync } from 'node:fs'
import type { RuleOrder } from '../executor/index.ts'
import { UsageError } from './command.ts'
import { jsonFilesUnder } from './files.ts'
import { JIT_MODES, setJitMode, type JitMode } from '../evm/index.ts'

export interface OutputDeps {
  out: (text: string) => void
  err: (text: string) => void
  /** Whether stderr is a terminal (progress redraws one line). */
  isTTY: boolean
  /** The terminal's width (a progress line is cut to fit). */
  columns?: () => number | undefined
}

export const processOutput: OutputDeps = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  columns: () => process.stderr.columns,
}

/** The usage line of `--evm.jit`, shared by the commands that run the EVM. */
export const JIT_USAGE = `  --evm.jit MODE the compiling tier: ${JIT_MODES.join(', ')} (default auto, or MOSAIC_EVM_JIT); on compiles every code`

/** Applies `--evm.jit` when given; a value other than off, on or auto is a usage error. */
export function applyJitFlag(value: string | true | undefined): void {
  if (value === undefined) return
  if (typeof value !== 'string' || !(JIT_MODES as readonly string[]).includes(value)) throw new UsageError(`--evm.jit takes ${JIT_MODES.join(', ')}, not ${JSON.stringify(value)}`)
  setJitMode(value as JitMode)
}

/** Every .json file the given paths name; a missing path or an empty directory is a usage error. */
export function fixtureFiles(paths: string[]): string[] {
  if (paths.length === 0) throw new UsageError('give at least one fixture file or directory')
  const files: string[] = []
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`)
    const found = jsonFilesUnder(p)
    if (found.length === 0) throw new UsageError(`no .json files under ${p}`)
    files.push(...found)
  }
  return files
}

/**
 * A progress line `LABEL: i/N files, P passed, F failed`: redrawn in place on a terminal, else
 * printed every `every` files and at the end. `done()` ends the terminal line.
 */
export function progressLine(label: string, total: number, deps: OutputDeps, every: number) {
  return {
    update(i: number, passed: number, failed: number): void {
      const line = `${label}: ${i}/${total} files, ${passed} passed, ${failed} failed`
      if (deps.isTTY) deps.err(`\r${line}`)
      else if (i % every === 0 || i === total) deps.err(`${line}\n`)
    },
    done(): void {
      if (deps.isTTY) deps.err('\n')
    },
  }
}

/** One file's results, and how many of its tests were skipped (other forks). */
export interface FileResults<R> {
  results: R[]
  skipped: number
}

/**
 * Runs `runFile` (synchronous, or async as enginetest's) over every file with the progress line, collecting each result with its file;
 * a file that cannot be read or parsed becomes one failed result made by `unreadable`.
 */
export async function runFixtureFiles<R extends { pass: boolean }>(
  label: string,
  files: string[],
  deps: OutputDeps,
  opts: { every: number; quiet: boolean },
  runFile: (file: string) => FileResults<R> | Promise<FileResults<R>>,
  unreadable: (file: string, message: string) => R,
): Promise<{ results: (R & { file: string })[]; failed: number; skipped: number }> {
  const results: (R & { file: string })[] = []
  let failed = 0
  let skipped = 0
  const progress = opts.quiet ? undefined : progressLine(label, files.length, deps, opts.every)
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!
    try {
      const r = await runFile(file)
      skipped += r.skipped
      for (const x of r.results) {
        results.push({ ...x, file })
        if (!x.pass) failed++
      }
    } catch (e) {
      results.push({ ...unreadable(file, `unreadable: ${e instanceof Error ? e.message : e}`), file })
      failed++
    }
    progress?.update(i + 1, results.length - failed, failed)
  }
  progress?.done()
  return { results, failed, skipped }
}

/**
 * The end of a fixture command: with `json`, one JSON array of `row(r)` on stdout (exit.ts lets
 * it drain through a pipe); otherwise `fail(r)` for each failed result and the summary line
 * `P passed, F failed[, S skipped (why)]`. Returns the exit code: 1 when any failed, else 0.
 */
export function reportResults<R extends { pass: boolean }>(
  deps: OutputDeps,
  results: readonly R[],
  opts: { json: boolean; row: (r: R) => unknown; fail: (r: R) => string; skipped?: number; skippedWhy?: string },
): number {
  const failed = results.filter((r) => !r.pass).length
  if (opts.json) {
    deps.out(`${JSON.stringify(results.map(opts.row), null, 2)}\n`)
  } else {
    const lines = results.filter((r) => !r.pass).map(opts.fail)
    lines.push(`${results.length - failed} passed, ${failed} failed${opts.skipped ? `, ${opts.skipped} skipped (${opts.skippedWhy})` : ''}`)
    deps.out(`${lines.join('\n')}\n`)
  }
  return failed > 0 ? 1 : 0
}

/** The `--run REGEX` filter of a fixture command; an invalid pattern is a usage error. */
export function runFilter(flag: string | true | undefined): RegExp | undefined {
  if (typeof flag !== 'string') return undefined
  try {
    return new RegExp(flag)
  } catch {
    throw new UsageError(`invalid --run pattern ${JSON.stringify(flag)}`)
  }
}

/**
 * The rule order of the client that filled the fixture: a transaction breaking several rules is
 * named by the first its filler checks. ethereum/tests were filled by retesteth driving geth's
 * `evm` (`_info.filling-rpc-server`); EEST fixtures by the execution-specs.
 */
export function fillerRuleOrder(t: { _info?: Record<string, unknown> }): RuleOrder {
  return /^evm version/.test(String(t._info?.['filling-rpc-server'] ?? '')) ? 'geth' : 'spec'
}
