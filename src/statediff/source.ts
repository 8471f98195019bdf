/**
 * Where the stream reads blocks from: a small capability over the chain (the head, the
 * canonical index, stored headers, stored change sets, code by hash, head events). The
 * `Blockchain` provides it through `chainDiffSource`; a remote chain or a test double can too.
 */
import type { Chain, HeadEvent } from '../blockchain/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { ChangeSet } from '../state/index.ts'
import type { BlockRef } from './types.ts'

export interface DiffSource {
  head(): BlockRef
  canonicalHash(number: bigint): Hash | undefined
  /** Any stored block's number and parent (canonical or not). */
  header(hash: Hash): { number: bigint; parentHash: Hash } | undefined
  /** A stored block's change set; undefined when it is not kept. */
  changeSet(number: bigint, hash: Hash): ChangeSet | undefined
  code(hash: Hash): Uint8Array | undefined
  /** Head moves; the listener runs synchronously after each. Returns the unsubscribe. */
  onHead(listener: (e: HeadEvent) => void): () => void
}

/**
 * The stream's source over a chain (the `Blockchain`, or the `chain` service of a profile).
 * Change sets are stored with every block and never pruned (`stateHistory` bounds only reorg
 * depth and state reads), so a consumer any number of blocks behind is served from the stored
 * change sets.
 */
export function chainDiffSource(chain: Pick<Chain, 'head' | 'headBlockHash' | 'canonicalHash' | 'headerByHash' | 'changeSet' | 'latestState' | 'onHead'>): DiffSource {
  const code = chain.latestState().code
  return {
    head: () => ({ number: chain.head().number, hash: chain.headBlockHash() }),
    canonicalHash: (n) => chain.canonicalHash(n),
    header: (hash) => chain.headerByHash(hash),
    changeSet: (number, hash) => chain.changeSet(number, hash),
    code(hash) {
      try {
        return code.get(hash)
      } catch {
        return undefined
      }
    },
    onHead: (l) => chain.onHead(l),
  }
}
