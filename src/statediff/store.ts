/**
 * The `StateStore` interface: what a data store implements to be fed by the stream and checked
 * by the testbed. Consumer: `mosaic statesync` (./testbed/), plugins.
 *
 * The contract:
 * - `apply(diff)` moves the store from `diff.parentHash` to `diff.hash`; `revert(diff)` takes a
 *   revert diff (the inverse, as the stream carries it) and moves it back to the parent. Each
 *   writes the block's changes and the new head in one atomic step (a batch, a transaction), so
 *   that after a crash of the process `head()` names exactly the blocks the data holds: the
 *   stream resumes after it and every block is applied exactly once.
 * - `head()` is the store's acknowledged height: the last block applied (undefined when empty).
 * - Reads answer at the store's head: an account (undefined when absent), a slot (0 when
 *   unset), code by hash (undefined when unknown).
 * - `flush()` makes what was applied durable against power loss (fsync); `close()` flushes and
 *   releases the store.
 * - `stats()` tells bytes on disk and entries (exact counts of accounts, non-zero slots, codes).
 * - `stateRoot()`, when present, is the store's own state commitment at its head, checked
 *   against the header's.
 * - `usage()`, when present, is what another process does for the store (a database server's
 *   backend): its CPU, bytes written and RSS so far, for the testbed's per-store measurements.
 *
 * Every method may return a promise. A store's name (its `--store` value) is the testbed's.
 */
import type { Address, Hash } from '../primitives/index.ts'
import type { AccountState, BlockDiff, BlockRef } from './types.ts'

type Maybe<T> = T | Promise<T>

export interface StoreStats {
  /** Bytes the store's files take on disk (0 for memory). */
  bytesOnDisk: number
  entries: { accounts: number; slots: number; codes: number }
  /** Block transitions applied so far (applies plus reverts), counted with the head: a block applied twice shows. */
  transitions?: number
}

/** Counters of a process that works for a store (a database server's backend), cumulative. */
export interface ProcessUsage {
  pid: number
  cpuMs: number
  /** Bytes it sent to storage (/proc/<pid>/io write_bytes). */
  writeBytes: number
  wchar: number
  rssBytes: number
}

export interface StateStore {
  /** What kind of store this is (`memory`, `rocksdb`, …). */
  readonly kind: string
  head(): Maybe<BlockRef | undefined>
  apply(diff: BlockDiff): Maybe<void>
  revert(diff: BlockDiff): Maybe<void>
  account(address: Address): Maybe<AccountState | undefined>
  slot(address: Address, slot: bigint): Maybe<bigint>
  code(hash: Hash): Maybe<Uint8Array | undefined>
  flush(): Maybe<void>
  stats(): Maybe<StoreStats>
  close(): Promise<void>
  stateRoot?(): Maybe<Hash>
  usage?(): Maybe<ProcessUsage | undefined>
}

/** What opening a store is given: a directory of its own for its files. */
export interface StoreOptions {
  dir: string
  /** The text after the name in `--store NAME:ARG` (postgres: the server's URL). */
  arg?: string
}

export type StoreFactory = (opts: StoreOptions) => Promise<StateStore>
