/**
 * `mosaic [--profile NAME | --execution-only | --txpool-only | --mainnet | --statesync]
 * [OPTIONS]`: runs a node until SIGINT/SIGTERM (src/profiles/run.ts does the work). A failure
 * before the node runs is one line on stderr and exit code 1.
 */
import { batchedWriter, NodeBuildError } from '../node/index.ts'
import { MosaicError } from '../primitives/index.ts'
import { chooseProfile, nodeHelp, startProfile } from '../profiles/run.ts'
import type { Profile } from '../profiles/profile.ts'
import { versionText } from './version.ts'

/** The CLI entry: starts the node and keeps the process alive; returns an exit code on failure. */
export async function runNode(registry: Readonly<Record<string, Profile>>, argv: string[], fallback = 'execution'): Promise<number> {
  const err = process.stderr
  // a pipe or file gets the log in bursts (log-writer.ts); a terminal line by line
  const log = err.isTTY ? { write: (t: string) => void err.write(t), flush() {} } : batchedWriter((t) => err.write(t))
  process.on('exit', log.flush)
  try {
    const { profile } = chooseProfile(argv, registry, fallback)
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(nodeHelp(profile))
      return 0
    }
    await startProfile(registry, { argv, env: process.env, err: log.write, isTTY: Boolean(err.isTTY), columns: () => err.columns, handleSignals: true }, fallback)
    return await new Promise<number>(() => {}) // runs until a signal stops it
  } catch (e) {
    const msg = e instanceof MosaicError || e instanceof NodeBuildError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)
    log.flush()
    err.write(`mosaic: ${msg}\n`)
    return 1
  }
}

/** The `main` of a one-profile executable (dist/mosaic-NAME): `--version`, else the node. */
export function profileMain(registry: Readonly<Record<string, Profile>>, fallback?: string): (argv: string[]) => Promise<number> {
  return async (argv) => {
    if (argv[0] === '--version' || argv[0] === 'version') {
      console.log(await versionText())
      return 0
    }
    return runNode(registry, argv, fallback)
  }
}
