/**
 * Dev-mode chain controls, under anvil's and Hardhat's names, and the `miner` service that
 * offers them. State edits apply to the latest state at once (reads at `latest` see them) and
 * are carried into the next mined block. Consumers: evm_*, anvil_*, hardhat_* methods; the
 * RPC's `pending` header (from `nextAttributes`).
 */
import type { SignatureTable } from '../evm/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import type { BlobTransactionNetwork, Block, Header, Transaction } from '../types/index.ts'
import type { DumpedAccount } from './dev-state-dump.ts'
import type { PayloadAttributes } from './next-header.ts'

export interface DevControls {
  /** Mines `count` blocks (default 1, at most 10,000 a call) now; returns the new head. */
  mine(opts?: { count?: number; timestamp?: bigint }): Promise<Header>
  automine(): boolean
  setAutomine(on: boolean): void
  /** Interval mining in seconds; 0 turns it off. */
  setIntervalMining(seconds: number): void
  /** The interval of interval mining in seconds, undefined when off (anvil_getIntervalMining). */
  intervalMining(): number | undefined
  /** A snapshot id of the current chain and state. */
  snapshot(): bigint
  /** The latest state, pending edits included, as plain accounts (anvil_dumpState). */
  dumpState(): DumpedAccount[]
  /** Sets every account of `accounts` as edits (anvil_loadState), in one durable write. */
  loadState(accounts: readonly DumpedAccount[]): void
  /** Back to the genesis block (anvil_reset without forking): edits, snapshots and clock offsets go too. */
  reset(): void
  /** Back to a snapshot (and drops later snapshots); false when unknown. */
  revert(id: bigint): boolean
  /**
   * Removes the last `depth` blocks (anvil_rollback): the head moves back to their parent
   * through the chain's undo machinery (durable, one head event listing them as removed). Their
   * transactions are not put back in the pool, as in anvil. Returns the new head.
   */
  rollback(depth: number): Header
  /**
   * Replaces the last `depth` blocks with `depth` new ones (anvil_reorg): a rollback, then block
   * i of the new branch holds `blocks[i]`'s transactions only (none past the list's end).
   */
  reorg(depth: number, blocks: readonly (readonly { tx: Transaction; sender: Address }[])[]): Header
  /** Moves the clock forward; returns the total offset in seconds. */
  increaseTime(seconds: bigint): bigint
  setNextBlockTimestamp(timestamp: bigint): void
  /**
   * Sets the clock to `timestamp` now (evm_setTime): later blocks count on from there, never
   * below their parent's timestamp + 1. Drops a pending evm_setNextBlockTimestamp. Returns how
   * far ahead of the clock's previous time it is, in seconds (0 when behind), as anvil does.
   */
  setTime(timestamp: bigint): bigint
  setBalance(address: Address, balance: bigint): void
  setCode(address: Address, code: Uint8Array): void
  setNonce(address: Address, nonce: bigint): void
  setStorageAt(address: Address, slot: bigint, value: bigint): void
  /** The chain id from now on (anvil_setChainId): eth_chainId, transaction validation, CHAINID; kept across restarts. */
  setChainId(chainId: bigint): void
  /**
   * The next block's base fee (anvil_setNextBlockBaseFeePerGas), and the gas limit of the next
   * blocks (anvil_setBlockGasLimit). anvil's: such blocks break the EIP-1559 and gas-limit header
   * rules, so an exported chain with them does not import elsewhere.
   */
  setNextBlockBaseFee(fee: bigint): void
  setBlockGasLimit(limit: bigint): void
  /** Fee recipient of the next blocks (anvil_setCoinbase). */
  setCoinbase(address: Address): void
  /**
   * Each next block's timestamp is its parent's plus `seconds` (anvil_setBlockTimestampInterval),
   * unless evm_setNextBlockTimestamp says otherwise; undefined removes it. Returns whether one was set.
   */
  setBlockTimestampInterval(seconds: bigint | undefined): boolean
  /**
   * The sidecar of a blob transaction the miner included lately (anvil_getBlobsByTransactionHash,
   * anvil_getBlobByHash): the pool lets go of a sidecar once its transaction is mined, the miner
   * keeps the last few in memory, as anvil keeps them with its blocks.
   */
  minedSidecars(): Iterable<[Hash, BlobTransactionNetwork]>
  /** The snapshots evm_revert can go back to, oldest first, with the head each holds. */
  snapshots(): { id: bigint; head: Hash }[]
  /** Lets eth_sendTransaction send from `address` without its key. */
  impersonate(address: Address): void
  /**
   * ecrecover of `signature` (65 bytes: r || s || v) returns `address` from now on
   * (anvil_impersonateSignature): in the ECRECOVER precompile and EIP-7702 authorities, in mined
   * blocks and calls. In memory, as anvil keeps it.
   */
  impersonateSignature(signature: Uint8Array, address: Address): void
  stopImpersonating(address: Address): void
  isImpersonated(address: Address): boolean
  /** Every sender impersonated (anvil_autoImpersonateAccount). */
  setAutoImpersonate(on: boolean): void
  /** The per-block and per-transaction info logs (anvil_setLoggingEnabled). */
  setLogging(on: boolean): void
}

/** A dev-mode block producer: its controls, and the attributes its next block would get. */
export interface DevBlockProducer extends DevControls {
  /** The clock's next timestamp (offsets and evm_setNextBlockTimestamp included) and fee recipient. */
  nextAttributes(): PayloadAttributes
  /** The ecrecover overrides of anvil_impersonateSignature, for the node's other executions (RPC calls). */
  readonly signatures: SignatureTable
  /** The block that mining now would produce (pool transactions and pending edits), not inserted. */
  pendingBlock(): { block: Block; senders: Address[] }
}
