/**
 * Reads a block stream a window ahead of import and recovers the senders of the next window on
 * a background thread while the current one executes: signature recovery is about a sixth of a
 * block's import, and it needs nothing but the block. Blocks come out decoded (undecodable ones
 * without `block`, for the importer to report); a read error of the stream is held back until
 * every block before it has come out, so the importer sees errors in stream order.
 *
 * Consumer: ./block-import.ts.
 */
import { decodeBlock, startRecoverSenders, type Block } from '../types/index.ts'
import type { RawBlock } from './block-file.ts'

export interface LookaheadBlock extends RawBlock {
  /** Undefined when the bytes do not decode. */
  block?: Block
}

/** Blocks per window (16 ERC-20 transfers each: a few hundred signatures per native job). */
const WINDOW = 8

interface Window {
  items: LookaheadBlock[]
  senders: { wait(): void }
  /** The stream's error after these blocks, if reading stopped with one. */
  error?: { e: unknown }
}

export async function* withSendersAhead(source: AsyncIterable<RawBlock>, window = WINDOW): AsyncGenerator<LookaheadBlock> {
  const it = source[Symbol.asyncIterator]()
  const read = async (): Promise<Window> => {
    const items: LookaheadBlock[] = []
    let error: { e: unknown } | undefined
    try {
      while (items.length < window) {
        const next = await it.next()
        if (next.done) break
        items.push({ ...next.value, block: tryDecode(next.value.rlp) })
      }
    } catch (e) {
      error = { e }
    }
    const txs = items.flatMap((x) => x.block?.transactions ?? [])
    return { items, senders: startRecoverSenders(txs), error }
  }
  let next: Window | undefined
  try {
    let current = await read()
    for (;;) {
      const done = current.items.length < window || current.error !== undefined
      // Start the next window's recovery before executing this one.
      next = done ? undefined : await read()
      current.senders.wait()
      yield* current.items
      if (current.error) throw current.error.e
      if (!next) return
      current = next
      next = undefined
    }
  } finally {
    next?.senders.wait() // collect a job started for blocks the importer did not take
    await it.return?.()
  }
}

function tryDecode(rlp: Uint8Array): Block | undefined {
  try {
    return decodeBlock(rlp)
  } catch {
    return undefined
  }
}
