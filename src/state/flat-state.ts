/**
 * Flat state on a key-value store: one entry per account (`accounts` table: rlp [nonce,
 * balance, codeHash]), one per non-zero slot (`storage` table), code by hash (`code` table).
 * `FlatState` reads the latest state with one point lookup per account or slot; the trie is
 * only touched to compute roots (./commit.ts). Consumer: block import (the base of
 * `JournaledState`), RPC reads at the head.
 */
import { keccak256 } from '../crypto/index.ts'
import {
  bigintToBytes,
  bigintToWord,
  bytesToBigint,
  bytesToHex,
  decodeRlp,
  equalBytes,
  EMPTY_BYTES,
  encodeRlp,
  rlpBytes,
  rlpList,
  rlpUint,
  type Address,
  type Hash,
} from '../primitives/index.ts'
import { accountKey, accountStoragePrefix, codeKey, StorageError, storageKey, Tables, type KeyValueReader } from '../storage/index.ts'
import type { AccountInfo, AccountReader } from './types.ts'

export const EMPTY_CODE_HASH: Hash = keccak256(EMPTY_BYTES)

/** An account as the flat table holds it: code by hash. */
export interface FlatAccount {
  nonce: bigint
  balance: bigint
  codeHash: Hash
}

export function encodeFlatAccount(a: FlatAccount): Uint8Array {
  return encodeRlp([a.nonce, a.balance, a.codeHash])
}

export function decodeFlatAccount(bytes: Uint8Array): FlatAccount {
  const f = rlpList(decodeRlp(bytes), 'flat account')
  return { nonce: rlpUint(f[0], 'nonce', 8), balance: rlpUint(f[1], 'balance'), codeHash: rlpBytes(f[2], 'codeHash') }
}

/** Storage values are stored as their minimal big-endian bytes (never zero: zero slots are deleted). */
export const encodeSlotValue = (v: bigint): Uint8Array => bigintToBytes(v)
export const decodeSlotValue = (b: Uint8Array): bigint => bytesToBigint(b)

/** Contract code by hash. */
export interface CodeSource {
  get(codeHash: Hash): Uint8Array
}

/** Reads of code by hash from the `code` table, with a bounded cache (contracts are called again and again). */
export class CodeReader implements CodeSource {
  private readonly cache = new Map<string, Uint8Array>()
  constructor(private readonly db: KeyValueReader, private readonly maxEntries = 4096) {}

  get(codeHash: Hash): Uint8Array {
    if (equalBytes(codeHash, EMPTY_CODE_HASH)) return EMPTY_BYTES
    const k = bytesToHex(codeHash)
    const hit = this.cache.get(k)
    if (hit) return hit
    const code = this.db.get(codeKey(codeHash))
    if (!code) throw new StorageError('STORAGE_CORRUPT', `code ${k} is missing from the store: the database is incomplete`)
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(k, code)
    return code
  }
}

/** A base state the overlay and the journal can stack on: accounts by flat record, slots, slot iteration. */
export interface FlatReader extends AccountReader {
  getFlatAccount(address: Address): FlatAccount | undefined
  /** Every non-zero slot of an account, in no particular order. */
  storageEntries(address: Address): Iterable<[bigint, bigint]>
  readonly code: CodeSource
}

/** The latest flat state of a store (or of a snapshot of it). */
export class FlatState implements FlatReader {
  readonly code: CodeReader
  constructor(private readonly db: KeyValueReader, code?: CodeReader) {
    this.code = code ?? new CodeReader(db)
  }

  getFlatAccount(address: Address): FlatAccount | undefined {
    const v = this.db.get(accountKey(address))
    return v ? decodeFlatAccount(v) : undefined
  }

  getAccount(address: Address): AccountInfo | undefined {
    const a = this.getFlatAccount(address)
    return a && { nonce: a.nonce, balance: a.balance, code: this.code.get(a.codeHash) }
  }

  getStorage(address: Address, key: bigint): bigint {
    const v = this.db.get(storageKey(address, bigintToWord(key)))
    return v ? decodeSlotValue(v) : 0n
  }

  hasStorage(address: Address): boolean {
    for (const _ of this.db.iterate({ prefix: accountStoragePrefix(address), limit: 1 })) return true
    return false
  }

  *storageEntries(address: Address): Iterable<[bigint, bigint]> {
    for (const [k, v] of this.db.iterate({ prefix: accountStoragePrefix(address) })) yield [bytesToBigint(k.subarray(21)), decodeSlotValue(v)]
  }

  /** Every account, in address order (a dev node's state dump). */
  *allAccounts(): Iterable<[Address, FlatAccount]> {
    for (const [k, v] of this.db.iterate({ prefix: Tables.accounts.prefix })) yield [k.slice(1), decodeFlatAccount(v)]
  }
}
