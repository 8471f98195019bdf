/**
 * `mosaic import [--datadir DIR] [--chain NAME|GENESIS] FILE.rlp...`: imports block files
 * (geth's format: concatenated RLP blocks, gzip'ed when the name ends in .gz) into the chain of a
 * data directory, streaming, in order, skipping blocks already stored.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { emptyImportStats, ImportError, importBlockStream, isGzipPath, numberOfBlockBytes, parseEditsFile, readBlockFile, type BlockEdits, type ImportStats } from '../../blockchain/index.ts'
import { devChain, genesisHash, type ChainSpec } from '../../chainspec/index.ts'
import { decodeBlock, headerHash } from '../../types/index.ts'
import { progressBar } from '../../node/index.ts'
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import {
  chainAndDir,
  editsFilePath,
  EXIT_INTERRUPTED,
  fixed,
  grouped,
  interruptFlag,
  logIntervalMs,
  mgas,
  openChain,
  perSecond,
  processChainDeps,
  progressMeter,
  type ChainCommandDeps,
} from './import-export.ts'

const USAGE = `Usage: mosaic import [--datadir DIR] [--chain NAME|GENESIS] [--log-interval SECONDS] FILE.rlp...

Imports blocks from files of concatenated RLP blocks (as geth's \`export\` writes them; gzip'ed
when the name ends in .gz) into the chain of the data directory: every block is validated,
executed and stored in one atomic write, in file order. Blocks already stored are skipped, so
an interrupted import resumes where it stopped. The first invalid block, or a corrupt or
truncated file, stops the import with one error line; the chain stays at the last good block.
Ctrl-C stops after the current block. A data directory this run created is removed when
nothing could be imported into it (a file of another chain).

A dev chain's export writes the dev edits of its blocks (anvil_setBalance & co.) beside the
block file as FILE.edits.json; when that file is there, each block's edits are applied before
its transactions, as the dev node did, and kept with the block.

Options:
  --datadir DIR           data directory (default: $XDG_DATA_HOME/mosaic/<chain>, the node's)
  --chain NAME|GENESIS    mainnet, sepolia, hoodi, dev, or a genesis.json; default: the chain
                          the data directory records (mosaic init), else dev (as \`make run\`)
  --log-interval SECONDS  progress line interval when stderr is not a terminal (default 8)

Exit code: 0 done, 1 error, 2 usage error, 130 interrupted.`

function statusFields(s: ImportStats, file: string, size: number | undefined): string {
  const pct = size ? ` progress=${fixed((100 * s.offset) / size)}%` : ''
  return (
    `import number=${s.number ?? '-'} blocks=${s.imported} known=${s.known} txs=${s.txs} mgas=${fixed(mgas(s.gasUsed), 3)}` +
    ` blocks/s=${fixed(perSecond(s.imported, s.elapsedMs))} mgas/s=${fixed(perSecond(mgas(s.gasUsed), s.elapsedMs))} elapsed=${fixed(s.elapsedMs / 1000)}s file=${file}${pct}`
  )
}

function statusLine(s: ImportStats, size: number | undefined): string {
  const pct = size ? `  ${progressBar(s.offset / size)} ${fixed((100 * s.offset) / size)}%` : ''
  return (
    `import #${grouped(s.number ?? 0n)}  ${grouped(s.imported)} blocks${s.known ? ` (+${grouped(s.known)} known)` : ''}  ${grouped(s.txs)} txs` +
    `  ${fixed(perSecond(s.imported, s.elapsedMs))} blocks/s  ${fixed(perSecond(mgas(s.gasUsed), s.elapsedMs))} Mgas/s${pct}`
  )
}

function summary(s: ImportStats, head: { number: bigint; hash: Uint8Array }): string {
  return (
    `imported ${s.imported} blocks (${s.known} already stored), ${s.txs} txs, ${fixed(mgas(s.gasUsed))} Mgas in ${fixed(s.elapsedMs / 1000, 2)}s` +
    ` (${fixed(perSecond(s.imported, s.elapsedMs))} blocks/s, ${fixed(perSecond(mgas(s.gasUsed), s.elapsedMs))} Mgas/s); head ${head.number} ${bytesToHex(head.hash)}`
  )
}

export async function runImport(args: string[], deps: ChainCommandDeps = processChainDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['datadir', 'chain', 'log-interval'] })
  if (positional.length === 0) throw new UsageError('give at least one block file')
  for (const f of positional) if (!existsSync(f) || statSync(f).isDirectory()) throw new UsageError(`no such file: ${f}`)
  const interval = logIntervalMs(flags, 8)
  const chosen = chainAndDir(flags)
  const { datadir, genesisPath } = chosen
  const edits = positional.map(readEdits)
  const fresh = !existsSync(datadir)
  const spec = fresh && !flags.has('chain') ? await devGenesisOf(positional[0]!, chosen.spec) : chosen.spec
  const { db, chain } = await openChain(spec, datadir, genesisPath)
  const interrupt = interruptFlag(deps, 'import')
  const meter = progressMeter(deps, interval)
  let stats = emptyImportStats()
  let removeDir = false
  try {
    for (const [i, file] of positional.entries()) {
      const ofFile = edits[i]
      const size = isGzipPath(file) ? undefined : statSync(file).size
      const name = basename(file)
      try {
        const r = await importBlockStream(chain, readBlockFile(file), {
          stats: { ...stats, offset: 0 },
          shouldStop: () => interrupt.stopped,
          onBlock: (s) => meter.update(statusLine(s, size), () => statusFields(s, name, size)),
          editsOf: ofFile && ((h) => ofFile.get(bytesToHex(h))),
        })
        stats = r.stats
        if (r.stopped) {
          meter.done()
          deps.out(`${summary(stats, { number: chain.head().number, hash: chain.headBlockHash() })}; interrupted in ${file}\n`)
          return EXIT_INTERRUPTED
        }
      } catch (e) {
        meter.done()
        if (!(e instanceof ImportError)) throw e
        removeDir = fresh && stats.imported === 0 && chain.head().number === 0n
        deps.err(`mosaic import: ${file}: ${e.message}; ${removeDir ? `nothing imported, ${datadir} removed` : `the chain stays at block ${chain.head().number}`}\n`)
        return 1
      }
    }
    meter.done()
    deps.out(`${summary(stats, { number: chain.head().number, hash: chain.headBlockHash() })}\n`)
    return 0
  } finally {
    interrupt.dispose()
    await db.close()
    if (removeDir) rmSync(datadir, { recursive: true, force: true })
  }
}

/**
 * A dev node stamps a new chain's genesis with the time it starts (as anvil does), so a fresh
 * import of a dev chain's file takes the genesis timestamp from the file's block 0 when that
 * gives the same genesis hash; otherwise `spec`, and a file of another chain is refused.
 */
async function devGenesisOf(file: string, spec: ChainSpec): Promise<ChainSpec> {
  if (spec.name !== 'dev') return spec
  let header
  try {
    for await (const b of readBlockFile(file)) {
      if (numberOfBlockBytes(b.rlp) === 0n) header = decodeBlock(b.rlp).header
      break
    }
  } catch {
    return spec // the import reports the bad file
  }
  if (!header || header.timestamp === spec.genesis.timestamp) return spec
  const stamped = devChain({ ...spec.devOptions, timestamp: header.timestamp })
  return equalBytes(genesisHash(stamped), headerHash(header)) ? stamped : spec
}

/** The edits file beside a block file (absent: none), by block hash. */
function readEdits(file: string): Map<string, BlockEdits> | undefined {
  const path = editsFilePath(file)
  if (!existsSync(path)) return undefined
  try {
    return parseEditsFile(JSON.parse(readFileSync(path, 'utf8')))
  } catch (e) {
    throw new UsageError(`${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import blocks from RLP block files (geth export format, .gz too) into a data directory',
  usage: USAGE,
  run: (args) => runImport(args),
}
