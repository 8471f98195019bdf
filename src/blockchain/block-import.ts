/**
 * Importing a stream of RLP blocks (a block file) in order: blocks already stored are skipped,
 * the rest go through `Blockchain.importBlock` (validate, execute, commit one atomic batch), while
 * the senders of the next blocks are recovered on a background thread (./sender-lookahead.ts).
 * The first bad block stops the import with an ImportError naming its number and offset; the
 * chain stays as it was after the last good block.
 *
 * Consumers: `mosaic import`, benchmarks, tests.
 */
import { bytesToHex, MosaicError, type Hash } from '../primitives/index.ts'
import { StorageError } from '../storage/index.ts'
import { decodeBlock, headerHash, type Block } from '../types/index.ts'
import type { BlockEdits } from './block-edits.ts'
import type { Chain } from './chain-service.ts'
import { numberOfBlockBytes, type RawBlock } from './block-file.ts'
import { BlockFileError, ImportError } from './errors.ts'
import { withSendersAhead, type LookaheadBlock } from './sender-lookahead.ts'

export interface ImportStats {
  /** Blocks imported (executed and stored). */
  imported: number
  /** Blocks skipped because they were stored already. */
  known: number
  txs: number
  gasUsed: bigint
  /** Number and hash of the last block processed (imported or known), if any. */
  number?: bigint
  hash?: Hash
  /** Stream offset just past the last block processed. */
  offset: number
  elapsedMs: number
}

export interface ImportStreamOptions {
  /** Called after every block (throttle in the caller); a returned promise is awaited before the next block. */
  onBlock?: (stats: ImportStats, block: Block) => void | Promise<void>
  /** Checked before each block: true stops the import cleanly (the caller's Ctrl-C). */
  shouldStop?: () => boolean
  /** Stats to continue from (several files in one run). */
  stats?: ImportStats
  /** Give the event loop a turn at least this often, so signals are seen (default 50 ms). */
  yieldMs?: number
  /** The dev edits a block applied before its transactions, by block hash (an export's companion file: ./block-edits.ts). */
  editsOf?: (hash: Hash) => BlockEdits | undefined
}

export interface ImportStreamResult {
  stats: ImportStats
  /** True when `shouldStop` ended the import before the stream did. */
  stopped: boolean
}

export const emptyImportStats = (): ImportStats => ({ imported: 0, known: 0, txs: 0, gasUsed: 0n, offset: 0, elapsedMs: 0 })

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Imports the blocks of `source` in order. Throws ImportError at the first bad block or bad bytes. */
export async function importBlockStream(chain: Pick<Chain, 'headerByHash' | 'canonicalHash' | 'head' | 'importBlock'>, source: AsyncIterable<RawBlock>, opts: ImportStreamOptions = {}): Promise<ImportStreamResult> {
  const stats = opts.stats ?? emptyImportStats()
  const yieldMs = opts.yieldMs ?? 50
  const start = performance.now() - stats.elapsedMs
  let lastTurn = performance.now()
  const iterator = withSendersAhead(source)
  try {
    for (;;) {
      if (performance.now() - lastTurn >= yieldMs) {
        await turn()
        lastTurn = performance.now()
      }
      if (opts.shouldStop?.()) return { stats, stopped: true }
      let next: IteratorResult<LookaheadBlock>
      try {
        next = await iterator.next()
      } catch (e) {
        if (!(e instanceof BlockFileError)) throw e
        throw new ImportError('BAD_FILE', e.offset, e.number, e.message, { cause: e })
      }
      if (next.done) break
      const { offset, rlp } = next.value
      const block = next.value.block ?? decode(rlp, offset)
      const number = block.header.number
      const hash = headerHash(block.header)
      if (chain.headerByHash(hash) !== undefined) {
        stats.known++
      } else {
        if (number === 0n) {
          const ours = chain.canonicalHash(0n)!
          throw new ImportError('GENESIS_MISMATCH', offset, 0n, `the file's genesis block ${bytesToHex(hash)} is not this chain's (${bytesToHex(ours)})`, {
            details: 'import into a data directory of the chain the file was exported from (--chain, or mosaic init with its genesis.json)',
          })
        }
        if (!chain.headerByHash(block.header.parentHash)) {
          throw new ImportError('UNKNOWN_PARENT', offset, number, `block ${number} at offset ${offset}: its parent ${bytesToHex(block.header.parentHash)} is not stored`, {
            details: chain.head().number + 1n < number ? `the chain's head is block ${chain.head().number}: import the blocks in between first` : 'the file is of another chain or branch',
          })
        }
        try {
          chain.importBlock(block, { edits: opts.editsOf?.(hash) })
        } catch (e) {
          if (e instanceof StorageError || !(e instanceof MosaicError)) throw e
          throw new ImportError('INVALID_BLOCK', offset, number, `block ${number} at offset ${offset} is invalid`, { details: `${e.code}: ${e.details ?? e.shortMessage}`, cause: e })
        }
        stats.imported++
        stats.txs += block.transactions.length
        stats.gasUsed += block.header.gasUsed
      }
      stats.number = number
      stats.hash = hash
      stats.offset = offset + rlp.length
      stats.elapsedMs = performance.now() - start
      const after = opts.onBlock?.(stats, block)
      if (after) await after
    }
  } finally {
    stats.elapsedMs = performance.now() - start
    await iterator.return(undefined)
  }
  return { stats, stopped: false }
}

function decode(rlp: Uint8Array, offset: number): Block {
  try {
    return decodeBlock(rlp)
  } catch (e) {
    const number = numberOfBlockBytes(rlp)
    throw new ImportError('UNDECODABLE_BLOCK', offset, number, `${number === undefined ? 'the block' : `block ${number}`} at offset ${offset} does not decode`, { details: reason(e), cause: e })
  }
}
