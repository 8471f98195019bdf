/**
 * Adding blocks to the chain: import (validate, execute, store) or insert one that was executed
 * already, and what a block builder executes on (a stored block's state, BLOCKHASH, the trie
 * node store its commit reads). Consumers: `mosaic import`/`blocktest`, dev mining, the Engine API.
 */
import type { BlockResult } from '../executor/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import type { ChangeSet, ChangeSetCode, FlatReader } from '../state/index.ts'
import type { CommittedNode, TrieNodeStore } from '../trie/index.ts'
import type { Block, Header, Receipt, SendersInOrder } from '../types/index.ts'
import type { BlockEdits } from './block-edits.ts'

export interface ImportOptions {
  /** Make the block the canonical head (default true). */
  setHead?: boolean
  /** The recovery of the block's senders, when the caller started it already (the Engine API, at decoding). */
  senders?: SendersInOrder
  /** The header's transactions and withdrawals roots were computed from this block's body (the Engine API's payload header): not computed again. */
  rootsFromBody?: boolean
  /** Dev edits the block applied before its transactions (an exported dev chain's companion file): applied, and stored beside it. */
  edits?: BlockEdits
}

export interface ImportResult {
  hash: Hash
  /** `known`: it was stored already. */
  status: 'imported' | 'known'
  result?: BlockResult
}

/** A block executed against its parent: everything its write batch needs. */
export interface ExecutedBlock {
  block: Block
  hash: Hash
  receipts: Receipt[]
  senders: Address[]
  changes: ChangeSet
  codes: ChangeSetCode[]
  /** New trie nodes, [hash, rlp, node]. */
  nodes: CommittedNode[]
  /** Seconds spent executing it and computing its state root, when its producer measured them. */
  executionSeconds?: number
  /** Dev edits it applied before its transactions: stored beside it, in its batch. */
  edits?: BlockEdits
}

/** A block stored by import or insert, with how long its work took (for metrics and logs). */
export interface ImportedBlock {
  header: Header
  /** Validation, execution and the state root, in seconds (`ExecutedBlock.executionSeconds` for an inserted block). */
  executionSeconds?: number
  /** Writing its batch, in seconds. */
  commitSeconds: number
}

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
  /** Called after each block is stored (canonical or not); returns the unsubscribe function. */
  onImported?(listener: (e: ImportedBlock) => void): () => void
}
