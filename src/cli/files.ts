/** Test-file discovery shared by the fixture-running commands and the conformance suites. */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** `path` itself when it is a file, else every .json file under it, recursively, sorted. */
export function jsonFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  const out: string[] = []
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name)
    if (statSync(p).isDirectory()) out.push(...jsonFilesUnder(p))
    else if (name.endsWith('.json')) out.push(p)
  }
  return out
}
