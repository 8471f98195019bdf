/**
 * What the chain-data commands (`init`, `import`, `export`) share: their output and signal
 * hooks, the data directory and chain a run uses, the progress line, and number formatting.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { BUILTIN_CHAINS, type ChainSpec } from '../../chainspec/index.ts'
import { createStatusLine, defaultDataDir, recordChain, resolveChainSpec, type OpenedChain, openChainDir } from '../../node/index.ts'
import { UsageError } from '../command.ts'
import { processOutput, type OutputDeps } from '../fixture-command.ts'

export interface ChainCommandDeps extends OutputDeps {
  /** Subscribes to Ctrl-C (SIGINT) and SIGTERM; returns the unsubscribe. */
  onInterrupt: (handler: () => void) => () => void
}

export const processChainDeps: ChainCommandDeps = {
  ...processOutput,
  onInterrupt(handler) {
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
    return () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    }
  },
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130

/** The default data directory's name for a chain: the built-in name (the dev chain under anvil's flags too, as the node names it), else `chain-<id>`. */
export function chainDirName(spec: ChainSpec): string {
  return BUILTIN_CHAINS[spec.name] ? spec.name : `chain-${spec.chainId}`
}

/** The chain without `--chain` or a record: the node's (`make run`'s execution profile). */
export const DEFAULT_CHAIN = 'dev'

/**
 * The chain and data directory to use: `--chain`, else the one the data directory records
 * (`--datadir`, else the default chain's default directory, as the node uses it), else the
 * default chain.
 */
export function chainAndDir(flags: Map<string, string | true>): { spec: ChainSpec; datadir: string; genesisPath?: string } {
  const chainFlag = stringFlag(flags, 'chain')
  const dirFlag = stringFlag(flags, 'datadir')
  const spec = resolveChainSpec(chainFlag, dirFlag ?? (chainFlag ? undefined : defaultDataDir(DEFAULT_CHAIN)), DEFAULT_CHAIN)
  const genesisPath = chainFlag && !BUILTIN_CHAINS[chainFlag.toLowerCase()] && existsSync(chainFlag) ? chainFlag : undefined
  return { spec, datadir: resolve(dirFlag ?? defaultDataDir(chainDirName(spec))), genesisPath }
}

/** Where an export writes the dev edits of its blocks, and an import looks for them: beside the block file. */
export const editsFilePath = (blockFile: string): string => `${blockFile}.edits.json`

/** Opens the chain of a data directory, recording a genesis file given with `--chain` when it has no record yet. */
export async function openChain(spec: ChainSpec, datadir: string, genesisPath?: string): Promise<OpenedChain> {
  const opened = await openChainDir(datadir, spec)
  if (genesisPath && !existsSync(join(datadir, 'chain.json'))) recordChain(datadir, { genesis: JSON.parse(readFileSync(genesisPath, 'utf8')) })
  return opened
}

export function stringFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name)
  return typeof v === 'string' ? v : undefined
}

/** A non-negative decimal block number argument. */
export function blockNumberArg(value: string, what: string): bigint {
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`${what} must be a block number, got ${JSON.stringify(value)}`)
  return BigInt(value)
}

/** `--log-interval SECONDS` (how often a non-terminal gets a progress line), in ms. */
export function logIntervalMs(flags: Map<string, string | true>, fallbackSeconds: number): number {
  const v = stringFlag(flags, 'log-interval')
  if (v === undefined) return fallbackSeconds * 1000
  const s = Number(v)
  if (!Number.isFinite(s) || s < 0) throw new UsageError(`--log-interval must be a number of seconds, got ${JSON.stringify(v)}`)
  return s * 1000
}

/** Ctrl-C handling: the first signal asks the work to stop after its current block. */
export function interruptFlag(deps: ChainCommandDeps, label: string): { readonly stopped: boolean; dispose(): void } {
  let stopped = false
  const off = deps.onInterrupt(() => {
    if (!stopped) deps.err(`${deps.isTTY ? '\n' : ''}${label}: interrupted, stopping after the current block\n`)
    stopped = true
  })
  return {
    get stopped() {
      return stopped
    },
    dispose: off,
  }
}

const TTY_REDRAW_MS = 250

/**
 * A progress line: the status line of a terminal (src/node/status-line.ts, redrawn at most every
 * 250 ms), else printed as a `label key=value ...` line every `intervalMs`. `done()` ends the
 * terminal line.
 */
export function progressMeter(deps: ChainCommandDeps, intervalMs: number) {
  let last = performance.now()
  const status = deps.isTTY ? createStatusLine({ write: deps.err, columns: deps.columns }) : undefined
  return {
    update(ttyLine: string, fields: () => string): void {
      const now = performance.now()
      if (now - last < (status ? TTY_REDRAW_MS : intervalMs)) return
      last = now
      if (status) status.set(ttyLine)
      else deps.err(`${fields()}\n`)
    },
    done(): void {
      status?.done()
    },
  }
}

export const perSecond = (count: number, ms: number): number => (ms > 0 ? (count * 1000) / ms : 0)
export const mgas = (gas: bigint): number => Number(gas) / 1e6
export const fixed = (n: number, digits = 1): string => n.toFixed(digits)
export const grouped = (n: number | bigint): string => n.toLocaleString('en-US')
