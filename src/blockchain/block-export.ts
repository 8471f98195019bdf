/**
 * Writing canonical blocks as a block file (concatenated RLP, geth's `export` format). Blocks
 * are assembled from the stored header and body encodings without decoding them.
 *
 * Consumer: `mosaic export`.
 */
import { bodyKey, headerKey } from '../storage/index.ts'
import type { Blockchain } from './blockchain.ts'
import { blockRlpFromParts, type BlockFileWriter } from './block-file.ts'
import { ChainError } from './errors.ts'

export interface ExportStats {
  blocks: number
  bytes: number
  /** The last block written. */
  number?: bigint
  elapsedMs: number
}

export interface ExportOptions {
  onBlock?: (stats: ExportStats) => void
  /** Checked before each block: true stops cleanly (the file then ends at a whole block). */
  shouldStop?: () => boolean
  yieldMs?: number
}

/** The RLP of the canonical block at `number`, or undefined above the head. */
export function canonicalBlockRlp(chain: Blockchain, number: bigint): Uint8Array | undefined {
  const hash = chain.canonicalHash(number)
  if (!hash) return undefined
  const header = chain.db.get(headerKey(number, hash))
  const body = chain.db.get(bodyKey(number, hash))
  if (!header || !body) throw new ChainError('CORRUPT_DATABASE', `block ${number} is canonical but its ${header ? 'body' : 'header'} is missing`)
  return blockRlpFromParts(header, body)
}

/** Writes canonical blocks `first..last` (inclusive) to `writer`, in order. */
export async function exportBlocks(chain: Blockchain, writer: BlockFileWriter, first: bigint, last: bigint, opts: ExportOptions = {}): Promise<{ stats: ExportStats; stopped: boolean }> {
  const stats: ExportStats = { blocks: 0, bytes: 0, elapsedMs: 0 }
  const start = performance.now()
  const yieldMs = opts.yieldMs ?? 50
  let lastTurn = start
  for (let n = first; n <= last; n++) {
    if (performance.now() - lastTurn >= yieldMs) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      lastTurn = performance.now()
    }
    if (opts.shouldStop?.()) return { stats, stopped: true }
    const rlp = canonicalBlockRlp(chain, n)
    if (!rlp) throw new ChainError('UNKNOWN_BLOCK', `block ${n} is not in the canonical chain`, `the head is block ${chain.head().number}`)
    await writer.write(rlp)
    stats.blocks++
    stats.bytes += rlp.length
    stats.number = n
    stats.elapsedMs = performance.now() - start
    opts.onBlock?.(stats)
  }
  stats.elapsedMs = performance.now() - start
  return { stats, stopped: false }
}
