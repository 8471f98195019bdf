/**
 * The chain as its readers see it, and the event of a head move. A capability interface of
 * plain data: the `Blockchain` implements it, and so can a follower, a remote chain or a test
 * double. Consumers: RPC, the transaction pool, p2p (Status), dev mining.
 */
import type { ChainSpec } from '../chainspec/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import type { AccountProof, AccountReader, ChangeSet } from '../state/index.ts'
import type { Block, Header, Receipt } from '../types/index.ts'
import type { TxLocation } from './chain-store.ts'

/** The state after one block: account reads plus what only the trie can answer. */
export interface StateView extends AccountReader {
  readonly stateRoot: Hash
  /** EIP-1186 proof of an account and some of its slots (eth_getProof). */
  proof(address: Address, slots: readonly bigint[]): AccountProof
}

/** One block of a head move. */
export interface HeadBlock {
  block: Block
  receipts: Receipt[]
  /** The block's state change (what was undone for a removed block, redone for an added one), when known. */
  changes?: ChangeSet
}

/** A new canonical head; `removed` lists blocks that left the canonical chain (reorg), newest first. */
export interface HeadEvent {
  block: Block
  receipts: Receipt[]
  /** Blocks added to the canonical chain by this event, oldest first (the last is `block`). */
  added: HeadBlock[]
  removed: HeadBlock[]
}

/** The stored chain. Consumers: eth_ block/tx/receipt/log/state methods, debug_getRaw*, subscriptions, the pool. */
export interface ChainReader {
  readonly spec: ChainSpec
  /** The canonical head. */
  head(): Header
  /** Canonical header at a height. */
  headerByNumber(number: bigint): Header | undefined
  /** Any stored header (canonical or not). */
  headerByHash(hash: Hash): Header | undefined
  /** Any stored block. */
  blockByHash(hash: Hash): Block | undefined
  /** Hash of the canonical block at a height (also serves BLOCKHASH). */
  canonicalHash(number: bigint): Hash | undefined
  safe(): Header | undefined
  finalized(): Header | undefined
  /** Receipts of a stored block, in transaction order. */
  receipts(blockHash: Hash): Receipt[] | undefined
  /** Senders of a stored block's transactions, in order. */
  senders(blockHash: Hash): Address[] | undefined
  /** Location of a canonical transaction. */
  transactionLocation(txHash: Hash): TxLocation | undefined
  /** The state after a block; undefined when it is no longer kept. */
  stateAt(blockHash: Hash): StateView | undefined
  /** Called after each change of the canonical head; returns the unsubscribe function. */
  onHead(listener: (e: HeadEvent) => void): () => void
}
