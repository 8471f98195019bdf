/** Plain data of the world state: accounts, the read capability, and diffs. */
import type { Address } from '../primitives/index.ts'

/** An account's header fields (storage is read slot by slot). */
export interface AccountInfo {
  nonce: bigint
  balance: bigint
  code: Uint8Array
}

/**
 * Read side of a base state (flat state). Consumer: `JournaledState`. Implementers: `MemoryState`
 * here; a storage-backed reader later.
 */
export interface AccountReader {
  /** The account, or undefined when it does not exist. */
  getAccount(address: Address): AccountInfo | undefined
  /** A storage slot (0 when unset or when the account does not exist). */
  getStorage(address: Address, key: bigint): bigint
  /** Whether the account has any non-zero slot (EIP-7610 collisions). */
  hasStorage(address: Address): boolean
}

/** What one account went through in a transaction or a block: before → after. */
export interface AccountDiff {
  address: Address
  /** Undefined = did not exist. */
  before: AccountInfo | undefined
  after: AccountInfo | undefined
  /** Slots changed: key → [before, after]. */
  storage: Map<bigint, [bigint, bigint]>
  /** Storage was wiped (destroyed, or re-created over an existing account). */
  storageCleared: boolean
}

/** Accounts changed by a transaction or block, keyed by lower-case hex address without 0x. */
export type StateDiff = Map<string, AccountDiff>
