/**
 * Adding blocks to the chain: import (validate, execute, store) or insert one that was executed
 * already, and what a block builder executes on (a stored block's state, BLOCKHASH, the trie
 * node store its commit reads). Consumers: `mosaic import`/`blocktest`, dev mining, the Engine API.
 */
import type { Hash } from '../primitives/index.ts'
import type { FlatReader } from '../state/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'
import type { Block } from '../types/index.ts'
import type { ExecutedBlock, ImportOptions, ImportResult } from './blockchain.ts'

export interface BlockImporter {
  /** Validates, executes and stores a block; throws BlockValidationError for an invalid one. */
  importBlock(block: Block, opts?: ImportOptions): ImportResult
  /** Stores a block executed against its parent already (one batch). */
  insertExecuted(x: ExecutedBlock, opts?: ImportOptions): void
  /** The state after a stored block as a flat reader, or undefined when not kept. */
  stateReaderAt(hash: Hash): FlatReader | undefined
  /** BLOCKHASH as seen by a child of `parentHash`. */
  blockHashFn(parentHash: Hash): (n: bigint) => Hash | undefined
  /** Trie nodes, for state-root commits of built blocks. */
  readonly nodes: TrieNodeStore
}
