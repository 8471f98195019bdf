/**
 * The EVM's only door to the world: accounts, storage, access lists, journal, block and tx
 * context. Implemented by the journaled state (src/state); the tests' MemoryHost is one over memory.
 *
 * Consumer: the interpreter (src/evm). Implementer: src/state (journal over flat state).
 *
 * Every mutating call below must be journaled: `revert(id)` undoes everything since
 * `snapshot()` returned `id` — balances, nonces, code, storage, transient storage (EIP-1153),
 * warm addresses and slots (EIP-2929), created/destroyed marks and touches (EIP-161).
 */
import type { Address, Hash } from '../primitives/index.ts'

/** Block-level values read by BLOCKHASH, COINBASE, TIMESTAMP, ... (one object per block). */
export interface BlockContext {
  coinbase: Address
  number: bigint
  timestamp: bigint
  gasLimit: bigint
  /** PREVRANDAO after the merge (EIP-4399). */
  prevRandao: bigint
  baseFee: bigint
  /** EIP-7516 BLOBBASEFEE; 0 before Cancun. */
  blobBaseFee: bigint
  chainId: bigint
}

/** Transaction-level values (one object per transaction). */
export interface TxContext {
  origin: Address
  /** Effective gas price (GASPRICE). */
  gasPrice: bigint
  /** EIP-4844 versioned hashes (BLOBHASH). */
  blobHashes: readonly Uint8Array[]
}

/** Block and transaction context. */
export interface EnvHost {
  readonly block: BlockContext
  readonly tx: TxContext
  /** Hash of block `number`, or undefined if unknown. The EVM applies the 256-block window. */
  blockHash(number: bigint): Hash | undefined
  /** The node's ecrecover overrides (a dev node's anvil_impersonateSignature), read by ECRECOVER and EIP-7702 authorities. */
  readonly signatures?: SignatureOverrides
}

/** Accounts: balance, nonce, code, EIP-161 emptiness and touches. */
export interface AccountHost {
  /** EIP-161: exists with nonce 0, balance 0 and no code — or does not exist ("dead"). */
  isDeadOrEmpty(address: Address): boolean
  getBalance(address: Address): bigint
  getNonce(address: Address): bigint
  setNonce(address: Address, nonce: bigint): void
  /** Code bytes (empty for none). Returning the same Uint8Array for the same code lets the
   *  EVM reuse its jump-destination analysis. */
  getCode(address: Address): Uint8Array
  /** keccak256 of the code; the empty-code hash for accounts without code. Never called for
   *  non-existent accounts (EXTCODEHASH pushes 0 for those itself). */
  getCodeHash(address: Address): Hash
  setCode(address: Address, code: Uint8Array): void
  /** Sets the balance (SELFDESTRUCT burning a self-beneficiary's balance). */
  setBalance(address: Address, balance: bigint): void
  /** Moves `value` wei (caller checked the balance). Touches `to` (EIP-161) even for 0. */
  transfer(from: Address, to: Address, value: bigint): void
  /** Marks an account touched (EIP-161: empty touched accounts are deleted at tx end). */
  touch(address: Address): void
}

/** Persistent (EIP-2200 original values) and transient (EIP-1153) storage. */
export interface StorageHost {
  getStorage(address: Address, key: bigint): bigint
  /** Value of the slot at the start of the transaction (EIP-2200 "original value"). */
  getOriginalStorage(address: Address, key: bigint): bigint
  setStorage(address: Address, key: bigint, value: bigint): void
  /** EIP-7610: true if the account has any non-zero storage (a CREATE collision). */
  hasStorage(address: Address): boolean
  /** EIP-1153 transient storage, cleared at the end of each transaction. */
  getTransientStorage(address: Address, key: bigint): bigint
  setTransientStorage(address: Address, key: bigint, value: bigint): void
}

/** EIP-2929 access sets (journaled). */
export interface AccessHost {
  /** Marks the address warm; returns true if it already was warm. */
  warmAddress(address: Address): boolean
  /** Marks the slot warm; returns true if it already was warm. */
  warmSlot(address: Address, key: bigint): boolean
}

/** Create and selfdestruct bookkeeping (EIP-6780). */
export interface LifecycleHost {
  /** A contract is being created at `address`: record it as created in this transaction
   *  (EIP-6780), set its nonce to 1 (EIP-161), keep its balance, clear its storage. */
  createContract(address: Address): void
  /** EIP-6780: true if `createContract` was called for `address` in this transaction. */
  isCreatedInTx(address: Address): boolean
  /** SELFDESTRUCT: schedules the account for deletion at the end of the transaction. The EVM
   *  moves the balance itself. From Cancun on (EIP-6780) it calls this only for accounts
   *  created in the same transaction. */
  markDestroyed(address: Address): void
}

/** The journal: one snapshot per call frame. */
export interface JournalHost {
  snapshot(): number
  revert(snapshot: number): void
  /** The frame succeeded; the snapshot will not be reverted to (may free journal memory). */
  commit(snapshot: number): void
}

/** Everything the interpreter needs, as one object. */
export interface Host extends EnvHost, AccountHost, StorageHost, AccessHost, LifecycleHost, JournalHost {}

/** A node's ecrecover overrides (anvil_impersonateSignature; ./precompiles/signature-overrides.ts uses them). */
export interface SignatureOverrides {
  /** How many there are: none, and execution takes the plain path. */
  readonly size: number
  /** The address `signature` (r || s || v, 65 bytes) recovers to instead, if overridden. */
  recover(signature: Uint8Array): Address | undefined
}
