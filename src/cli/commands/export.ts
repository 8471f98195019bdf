/**
 * `mosaic export [--datadir DIR] [--chain NAME|GENESIS] FILE.rlp [FIRST [LAST]]`: writes
 * canonical blocks as concatenated RLP (geth's `export`; gzip when the name ends in .gz).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalBlockEdits, createBlockFileWriter, EDITS_FORMAT, editsFileEntry, exportBlocks, type Blockchain, type EditsFile, type ExportStats } from '../../blockchain/index.ts'
import { DataDirError } from '../../node/index.ts'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import {
  blockNumberArg,
  chainAndDir,
  editsFilePath,
  EXIT_INTERRUPTED,
  fixed,
  grouped,
  interruptFlag,
  logIntervalMs,
  openChain,
  perSecond,
  processChainDeps,
  progressMeter,
  type ChainCommandDeps,
} from './import-export.ts'

const USAGE = `Usage: mosaic export [--datadir DIR] [--chain NAME|GENESIS] [--log-interval SECONDS] FILE.rlp [FIRST [LAST]]

Writes the canonical blocks FIRST..LAST (default: genesis to the head) of the data directory's
chain to FILE as concatenated RLP blocks, the format geth's \`export\` writes and \`mosaic
import\` reads; gzip'ed when FILE ends in .gz. FILE is overwritten.

A dev chain's blocks can carry edits (anvil_setBalance, setCode, setNonce, setStorageAt,
setChainId) applied before their transactions, which a block's body does not hold. They are
written beside FILE as FILE.edits.json, listing the blocks that carry them; \`mosaic import\`
reads that file from beside FILE and applies each block's edits, so the chain imports to the
same head and state root.

Options:
  --datadir DIR           data directory (default: $XDG_DATA_HOME/mosaic/<chain>, the node's)
  --chain NAME|GENESIS    the chain (default: the one the data directory records, else dev)
  --log-interval SECONDS  progress line interval when stderr is not a terminal (default 8)

Exit code: 0 done, 1 error, 2 usage error, 130 interrupted.`

const rate = (s: ExportStats) => fixed(perSecond(s.blocks, s.elapsedMs))

export async function runExport(args: string[], deps: ChainCommandDeps = processChainDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['datadir', 'chain', 'log-interval'] })
  const [file, firstArg, lastArg, ...extra] = positional
  if (!file) throw new UsageError('give the file to write')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
  const first = firstArg === undefined ? 0n : blockNumberArg(firstArg, 'FIRST')
  const lastFlag = lastArg === undefined ? undefined : blockNumberArg(lastArg, 'LAST')
  if (lastFlag !== undefined && lastFlag < first) throw new UsageError(`LAST (${lastFlag}) is below FIRST (${first})`)
  const interval = logIntervalMs(flags, 8)
  const { spec, datadir, genesisPath } = chainAndDir(flags)
  if (!existsSync(join(datadir, 'chaindata'))) throw new DataDirError(`${datadir} holds no chain data`, 'pass the --datadir of an initialised chain')
  const { db, chain } = await openChain(spec, datadir, genesisPath)
  const interrupt = interruptFlag(deps, 'export')
  try {
    const head = chain.head().number
    const last = lastFlag ?? head
    if (last > head) throw new UsageError(`LAST (${last}) is past the head (block ${head})`)
    if (first > last) throw new UsageError(`FIRST (${first}) is past the head (block ${head})`)
    const writer = createBlockFileWriter(file)
    const meter = progressMeter(deps, interval)
    let result: Awaited<ReturnType<typeof exportBlocks>>
    try {
      result = await exportBlocks(chain, writer, first, last, {
        shouldStop: () => interrupt.stopped,
        onBlock: (s) =>
          meter.update(`export #${grouped(s.number ?? 0n)}  ${grouped(s.blocks)} blocks  ${rate(s)} blocks/s  ${fixed(s.bytes / 1e6)} MB`, () => `export number=${s.number} blocks=${s.blocks} bytes=${s.bytes} blocks/s=${rate(s)} elapsed=${fixed(s.elapsedMs / 1000)}s`),
      })
    } finally {
      meter.done()
      await writer.close()
    }
    const s = result.stats
    const range = s.blocks === 0 ? 'no blocks' : `blocks ${first}..${s.number}`
    deps.out(`exported ${range} (${s.blocks} blocks, ${s.bytes} bytes) to ${file} in ${fixed(s.elapsedMs / 1000, 2)}s (${rate(s)} blocks/s)${result.stopped ? '; interrupted' : ''}\n`)
    const edited = s.number === undefined ? [] : writeEdits(chain, file, first, s.number)
    if (edited.length) deps.out(`blocks ${edited.join(', ')} carry dev edits: written to ${editsFilePath(file)}, which mosaic import reads from beside ${file}\n`)
    return result.stopped ? EXIT_INTERRUPTED : 0
  } finally {
    interrupt.dispose()
    await db.close()
  }
}

/** Writes the companion edits file of FILE (removing a stale one); returns the numbers of the blocks with edits. */
function writeEdits(chain: Blockchain, file: string, first: bigint, last: bigint): bigint[] {
  const path = editsFilePath(file)
  const found = canonicalBlockEdits(chain.db, (n) => chain.canonicalHash(n), first, last)
  if (found.length === 0) {
    rmSync(path, { force: true })
    return []
  }
  const out: EditsFile = { format: EDITS_FORMAT, blocks: found.map((b) => editsFileEntry(b.number, b.hash, b.edits)) }
  writeFileSync(path, `${JSON.stringify(out, null, 1)}\n`)
  return found.map((b) => b.number)
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write canonical blocks to an RLP block file (geth export format, .gz too)',
  usage: USAGE,
  run: (args) => runExport(args),
}
