/**
 * The `stateFile` component, anvil's `--state FILE` (`--load-state` and `--dump-state` in one),
 * `--load-state`, `--dump-state` and `--state-interval`: at start the accounts of a state file
 * in anvil's format (src/payload/anvil-state.ts) are loaded as dev edits (mined with the next
 * block, durable at once); at a clean exit, and every `--state-interval` seconds, the latest
 * state is written in the same format (a directory gets `state.json`, as with anvil). The file
 * is replaced by a rename, so a reader never sees half of one.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { parseAnvilState, StateFileError, toAnvilState, type DumpedAccount } from '../../payload/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    stateFile: { dump(): void }
  }
}

export interface StateFileConfig {
  /** The accounts to load at start, read and checked when configured, so a bad file stops the node before it starts. */
  load?: { file: string; accounts: DumpedAccount[] }
  dump?: string
  intervalSeconds?: number
  log?: Logger
}

/** The accounts of a state file, or one clear error. */
function readStateFile(file: string): DumpedAccount[] {
  let raw: Uint8Array
  try {
    raw = readFileSync(file)
  } catch (e) {
    throw new ConfigError(`cannot read the state file ${file}`, e instanceof Error ? e.message : String(e))
  }
  try {
    return parseAnvilState(raw)
  } catch (e) {
    if (e instanceof StateFileError) throw new ConfigError(`${file} is not a state file`, e.details)
    throw e
  }
}

export const stateFileOptions: OptionSpec[] = [
  { flag: 'state', type: 'string', section: 'stateFile', key: 'state', help: "anvil's --state: load the state file at start when it exists, write it at exit" },
  { flag: 'load-state', type: 'string', section: 'stateFile', key: 'load', help: 'load the accounts of a state file (anvil_dumpState / --dump-state format) at start' },
  { flag: 'dump-state', type: 'string', section: 'stateFile', key: 'dump', help: 'write the latest state in anvil\'s format at exit (a directory gets state.json)' },
  { flag: 'state-interval', short: 's', type: 'int', section: 'stateFile', key: 'interval', min: 1, help: 'also write the state every N seconds (with --state or --dump-state)' },
]

/** Whether any of the state-file flags was given (--state-interval alone too: configure refuses it). */
export const stateFileRequested = (s: Record<string, Record<string, unknown> | undefined>): boolean => {
  const f = s.stateFile ?? {}
  return f.state !== undefined || f.load !== undefined || f.dump !== undefined || f.interval !== undefined
}

const dumpPath = (p: string) => (existsSync(p) && statSync(p).isDirectory() ? join(p, 'state.json') : p)

export const stateFileComponent = defineComponent({
  provides: 'stateFile',
  requires: ['miner', 'chain'],
  description: "anvil's --state / --load-state / --dump-state: the latest state from a file at start, to it at exit and every --state-interval seconds",
  options: stateFileOptions,
  configure: (s, ctx): StateFileConfig => {
    const f = (s.stateFile ?? {}) as { state?: string; load?: string; dump?: string; interval?: number }
    if (f.interval !== undefined && f.state === undefined && f.dump === undefined) throw new ConfigError('--state-interval needs --state or --dump-state', 'give the file to write')
    // --state: loaded when it exists; --load-state: it must
    const load = f.load ?? (f.state !== undefined && existsSync(f.state) ? f.state : undefined)
    return { load: load === undefined ? undefined : { file: load, accounts: readStateFile(load) }, dump: f.dump ?? f.state, intervalSeconds: f.interval, log: ctx.log.with({ component: 'state-file' }) }
  },
  create({ miner, chain }, c) {
    const dump = () => {
      if (!c.dump) return
      const path = dumpPath(c.dump)
      const tmp = `${path}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(toAnvilState(miner.dumpState(), chain.head())))
      renameSync(tmp, path)
    }
    let timer: ReturnType<typeof setInterval> | undefined
    return {
      service: { dump },
      start() {
        if (c.load) {
          miner.loadState(c.load.accounts)
          c.log?.info('Loaded state', { file: c.load.file, accounts: c.load.accounts.length })
        }
        if (c.intervalSeconds) {
          timer = setInterval(() => {
            try {
              dump()
            } catch (e) {
              c.log?.warn('Cannot write the state file', { file: c.dump, error: e instanceof Error ? e.message : String(e) })
            }
          }, c.intervalSeconds * 1000)
          timer.unref?.()
        }
      },
      stop() {
        if (timer) clearInterval(timer)
        dump()
        if (c.dump) c.log?.info('Wrote state', { file: dumpPath(c.dump) })
      },
    }
  },
})
