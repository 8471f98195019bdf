/**
 * Locating the shared conformance fixtures (../shared/fixtures, never copied here) and the
 * known-failures list that the conformance runners read.
 */
import { describe } from 'bun:test'
import { existsSync } from 'node:fs'
import { jsonFilesUnder } from '../src/cli/files.ts'
import { join, resolve } from 'node:path'
import knownFailures from './known-failures.json' with { type: 'json' }
import { jitMode, setJitMode } from '../src/evm/index.ts'

export const FIXTURES_DIR = resolve(process.env.MOSAIC_FIXTURES ?? join(import.meta.dir, '../../shared/fixtures'))

/** Absolute path of a fixture folder or file, or null when ../shared is absent. */
export function fixturePath(...parts: string[]): string | null {
  const p = join(FIXTURES_DIR, ...parts)
  return existsSync(p) ? p : null
}

/** `describe` when the fixtures exist; otherwise a skipped suite with a message saying why. */
export function describeFixtures(title: string, parts: string[], fn: (dir: string) => void): void {
  const p = fixturePath(...parts)
  if (p) return describe(title, () => fn(p))
  console.warn(`[skip] ${title}: fixtures not found at ${join(FIXTURES_DIR, ...parts)}`)
  describe.skip(`${title} (fixtures absent)`, () => {})
}

/** Every .json file under `dir`, recursively, sorted. */
export const jsonFiles = jsonFilesUnder

/** Reason a case is known to fail, if it is listed in test/known-failures.json. */
export function knownFailure(suite: string, name: string): string | undefined {
  const list = (knownFailures as unknown as Record<string, Record<string, string>>)[suite]
  return list?.[name]
}

/**
 * The conformance suites run with the EVM's compiling tier forced on for every code (the
 * interpreter still runs where a block cannot run whole); MOSAIC_EVM_JIT=off|on|auto picks
 * another mode, e.g. `MOSAIC_EVM_JIT=off bun test test/conformance/state.test.ts` for the
 * interpreter alone. Returns the mode the suite runs with.
 */
export function conformanceJitMode(): string {
  if (process.env.MOSAIC_EVM_JIT === undefined) setJitMode('on')
  return jitMode()
}
