/**
 * What the RPC layer reads and drives, as small capability interfaces carrying plain data. The
 * execution profile implements them over blockchain, state, txpool and payload; tests use
 * in-memory fakes. Each method names its consumers.
 */
import type { ChainSpec } from '../chainspec/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import type { AccountProof, AccountReader } from '../state/index.ts'
import type { Block, Header, Receipt, Transaction } from '../types/index.ts'

/** Where a mined transaction sits. */
export interface TxLocation {
  blockHash: Hash
  blockNumber: bigint
  index: number
}

/** A new canonical head; `removed` lists blocks that left the canonical chain (reorg), newest first. */
export interface HeadEvent {
  block: Block
  receipts: Receipt[]
  /** Blocks added to the canonical chain by this event, oldest first (the last is `block`). */
  added: { block: Block; receipts: Receipt[] }[]
  removed: { block: Block; receipts: Receipt[] }[]
}

/** An account and storage proof (EIP-1186, eth_getProof), as src/state makes it. */
export type { AccountProof }

/** The state after one block: flat reads plus what only the trie can answer. */
export interface StateView extends AccountReader {
  readonly stateRoot: Hash
  /** EIP-1186 proof of an account and some of its slots. */
  proof(address: Address, slots: readonly bigint[]): AccountProof
}

/** The stored chain. Consumers: eth_ block/tx/receipt/log/state methods, debug_getRaw*, subscriptions. */
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
  /** The state after a block; undefined when it is no longer kept (at least the last 128 are). */
  stateAt(blockHash: Hash): StateView | undefined
  /** Called after each change of the canonical head; returns the unsubscribe function. */
  onHead(listener: (e: HeadEvent) => void): () => void
}

/** Dev-mode accounts whose keys the node holds. Consumer: eth_accounts, eth_sendTransaction, eth_sign*. */
export interface DevSigner {
  accounts(): Address[]
  /** The private key of an unlocked account, or undefined. */
  privateKey(address: Address): Uint8Array | undefined
}

/**
 * Dev-mode chain controls, under anvil's and Hardhat's names. State edits apply to the latest
 * state at once (reads at `latest` see them) and are carried into the next mined block.
 * Consumer: evm_*, anvil_*, hardhat_* methods.
 */
export interface DevControls {
  /** Mines `count` blocks (default 1, at most 10,000 a call) now; returns the new head. */
  mine(opts?: { count?: number; timestamp?: bigint }): Promise<Header>
  automine(): boolean
  setAutomine(on: boolean): void
  /** Interval mining in seconds; 0 turns it off. */
  setIntervalMining(seconds: number): void
  /** A snapshot id of the current chain and state. */
  snapshot(): bigint
  /** Back to a snapshot (and drops later snapshots); false when unknown. */
  revert(id: bigint): boolean
  /** Moves the clock forward; returns the total offset in seconds. */
  increaseTime(seconds: bigint): bigint
  setNextBlockTimestamp(timestamp: bigint): void
  setBalance(address: Address, balance: bigint): void
  setCode(address: Address, code: Uint8Array): void
  setNonce(address: Address, nonce: bigint): void
  setStorageAt(address: Address, slot: bigint, value: bigint): void
  /** Lets eth_sendTransaction send from `address` without its key. */
  impersonate(address: Address): void
  stopImpersonating(address: Address): void
  isImpersonated(address: Address): boolean
}

/** Block building used by eth_call at `pending` and by dev mining. */
export interface PendingBlock {
  /** The header the next block would get (number, timestamp, base fee, gas limit...). */
  nextHeader(): Header
}

/** Re-exported so that namespace files import one module. */
export type { Block, Header, Receipt, Transaction }
