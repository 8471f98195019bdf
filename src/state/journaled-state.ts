/**
 * The journaled world state of one block: an overlay over an `AccountReader`, implementing the
 * EVM `Host`. Every mutation pushes an undo entry; `snapshot()` is the journal length and
 * `revert(n)` undoes back to it. Per transaction: transient storage (EIP-1153), warm sets
 * (EIP-2929), original slot values (EIP-2200), created/destroyed/touched marks (EIP-6780,
 * EIP-161). `finalizeTransaction` deletes destroyed and touched-empty accounts and returns the
 * transaction's `StateDiff`; `blockDiff()` gives the block's against the base.
 *
 * Consumer: the executor (src/executor), the EVM through `Host`.
 */
import { keccak256 } from '../crypto/index.ts'
import { EMPTY_BYTES, type Address, type Hash } from '../primitives/index.ts'
import type { BlockContext, Host, SignatureOverrides, TxContext } from '../evm/index.ts'
import { addressKey } from './key.ts'
import type { AccountDiff, AccountInfo, AccountReader, StateDiff } from './types.ts'

interface Entry {
  address: Address
  exists: boolean
  nonce: bigint
  balance: bigint
  code: Uint8Array
  codeHash?: Hash
  /** Slots read or written; base slots are ignored when `cleared`. */
  storage: Map<bigint, bigint>
  cleared: boolean
  /** The account and the slots as the base has them (read once per block; `blockDiff` compares against them). */
  base: AccountInfo | undefined
  baseSlots: Map<bigint, bigint>
}

interface TxBefore {
  info: AccountInfo | undefined
  slots: Map<bigint, bigint>
  cleared: boolean
}

export interface JournaledStateOptions {
  block: BlockContext
  blockHash?: (number: bigint) => Hash | undefined
  /** The node's ecrecover overrides (the EVM's `EnvHost.signatures`). */
  signatures?: SignatureOverrides
}

const EMPTY_CODE_HASH = keccak256(EMPTY_BYTES)

const NO_KEYS: ReadonlySet<string> = new Set()
const fixedSets = new WeakMap<readonly Address[], ReadonlySet<string>>()

export class JournaledState implements Host {
  block: BlockContext
  readonly signatures: SignatureOverrides | undefined
  tx: TxContext = { origin: new Uint8Array(20), gasPrice: 0n, blobHashes: [] }
  private readonly base: AccountReader
  private readonly hashOf: (n: bigint) => Hash | undefined
  private readonly entries = new Map<string, Entry>()
  private readonly blockDirty = new Set<string>()
  private txBefore = new Map<string, TxBefore>()
  private transient = new Map<string, bigint>()
  private warmAddrs = new Set<string>()
  private warmFixed: ReadonlySet<string> = NO_KEYS
  /** EIP-2929 warm slots by account key. */
  private warmSlotsBy = new Map<string, Set<bigint>>()
  private created = new Set<string>()
  private destroyed = new Set<string>()
  private touched = new Set<string>()
  private log: (() => void)[] = []

  constructor(base: AccountReader, opts: JournaledStateOptions) {
    this.base = base
    this.block = opts.block
    this.hashOf = opts.blockHash ?? (() => undefined)
    this.signatures = opts.signatures
  }

  // --- entries ---
  private entry(address: Address): Entry {
    const k = addressKey(address)
    let e = this.entries.get(k)
    if (!e) {
      const info = this.base.getAccount(address)
      e = {
        address,
        exists: info !== undefined,
        nonce: info?.nonce ?? 0n,
        balance: info?.balance ?? 0n,
        code: info?.code ?? EMPTY_BYTES,
        storage: new Map(),
        cleared: false,
        base: info,
        baseSlots: new Map(),
      }
      this.entries.set(k, e)
    }
    return e
  }

  /** Records the account's pre-transaction values before its first change, and makes it exist. */
  private mutable(address: Address): Entry {
    const e = this.entry(address)
    const k = addressKey(address)
    if (!this.txBefore.has(k)) {
      this.txBefore.set(k, {
        info: e.exists ? { nonce: e.nonce, balance: e.balance, code: e.code } : undefined,
        slots: new Map(),
        cleared: e.cleared,
      })
    }
    this.blockDirty.add(k)
    if (!e.exists) {
      e.exists = true
      this.log.push(() => (e.exists = false))
    }
    return e
  }

  // --- transaction lifecycle ---
  /** Starts a transaction: clears transient storage, warm sets, marks and the journal. */
  beginTransaction(tx: TxContext): void {
    this.tx = tx
    // fresh collections only where the last transaction left something (a call's state runs one)
    if (this.txBefore.size > 0) this.txBefore = new Map()
    if (this.transient.size > 0) this.transient = new Map()
    if (this.warmAddrs.size > 0) this.warmAddrs = new Set()
    this.warmFixed = NO_KEYS
    if (this.warmSlotsBy.size > 0) this.warmSlotsBy = new Map()
    if (this.created.size > 0) this.created = new Set()
    if (this.destroyed.size > 0) this.destroyed = new Set()
    if (this.touched.size > 0) this.touched = new Set()
    if (this.log.length > 0) this.log = []
  }

  /**
   * Ends a transaction: deletes self-destructed accounts and touched empty ones (EIP-161) and
   * returns the transaction's diff.
   */
  finalizeTransaction(): StateDiff {
    for (const k of this.destroyed) this.deleteAccount(k)
    for (const k of this.touched) {
      const e = this.entries.get(k)
      if (e && e.exists && e.nonce === 0n && e.balance === 0n && e.code.length === 0) this.deleteAccount(k)
    }
    const diff: StateDiff = new Map()
    for (const [k, b] of this.txBefore) {
      const e = this.entries.get(k)!
      const after = e.exists ? { nonce: e.nonce, balance: e.balance, code: e.code } : undefined
      const storageCleared = e.cleared && !b.cleared && b.info !== undefined
      const storage = new Map<bigint, [bigint, bigint]>()
      for (const [slot, before] of b.slots) {
        const now = this.slotValue(e, slot)
        if (now !== before || (storageCleared && now !== 0n)) storage.set(slot, [before, now])
      }
      const d: AccountDiff = { address: e.address, before: b.info, after, storage, storageCleared }
      if (sameInfo(b.info, after) && storage.size === 0 && !d.storageCleared) continue
      diff.set(k, d)
    }
    this.log = []
    return diff
  }

  private deleteAccount(k: string): void {
    const e = this.entries.get(k)!
    if (!this.txBefore.has(k)) this.mutable(e.address)
    this.blockDirty.add(k)
    e.exists = false
    e.nonce = 0n
    e.balance = 0n
    e.code = EMPTY_BYTES
    e.codeHash = undefined
    e.storage = new Map()
    e.cleared = true
  }

  /** Every account changed in the block, against the base state. */
  blockDiff(): StateDiff {
    const diff: StateDiff = new Map()
    for (const k of this.blockDirty) {
      const e = this.entries.get(k)!
      const before = e.base
      const after = e.exists ? { nonce: e.nonce, balance: e.balance, code: e.code } : undefined
      const storageCleared = e.cleared && before !== undefined
      const storage = new Map<bigint, [bigint, bigint]>()
      for (const [slot, v] of e.storage) {
        const b = e.baseSlots.get(slot) ?? this.base.getStorage(e.address, slot)
        // after a wipe every written slot is kept, one written back to its old value too
        if (b !== v || (storageCleared && v !== 0n)) storage.set(slot, [b, v])
      }
      if (sameInfo(before, after) && storage.size === 0 && !storageCleared) continue
      diff.set(k, { address: e.address, before, after, storage, storageCleared })
    }
    return diff
  }

  /** Whether the account exists (EIP-7702 refunds, RPC). */
  exists(address: Address): boolean {
    return this.entry(address).exists
  }

  // --- EnvHost ---
  blockHash(number: bigint): Hash | undefined {
    return this.hashOf(number)
  }

  // --- AccountHost ---
  isDeadOrEmpty(address: Address): boolean {
    const e = this.entry(address)
    return !e.exists || (e.nonce === 0n && e.balance === 0n && e.code.length === 0)
  }
  getBalance(address: Address): bigint {
    return this.entry(address).balance
  }
  setBalance(address: Address, balance: bigint): void {
    const e = this.mutable(address)
    const prev = e.balance
    e.balance = balance
    this.log.push(() => (e.balance = prev))
  }
  getNonce(address: Address): bigint {
    return this.entry(address).nonce
  }
  setNonce(address: Address, nonce: bigint): void {
    const e = this.mutable(address)
    const prev = e.nonce
    e.nonce = nonce
    this.log.push(() => (e.nonce = prev))
  }
  getCode(address: Address): Uint8Array {
    return this.entry(address).code
  }
  getCodeHash(address: Address): Hash {
    const e = this.entry(address)
    if (e.code.length === 0) return EMPTY_CODE_HASH
    return (e.codeHash ??= keccak256(e.code))
  }
  setCode(address: Address, code: Uint8Array): void {
    const e = this.mutable(address)
    const prev = e.code
    const prevHash = e.codeHash
    e.code = code
    e.codeHash = undefined
    this.log.push(() => {
      e.code = prev
      e.codeHash = prevHash
    })
  }
  transfer(from: Address, to: Address, value: bigint): void {
    this.touch(to)
    if (value === 0n) return
    this.setBalance(from, this.getBalance(from) - value)
    this.setBalance(to, this.getBalance(to) + value)
  }
  touch(address: Address): void {
    const k = addressKey(address)
    if (this.touched.has(k)) return
    this.touched.add(k)
    this.entry(address)
    this.log.push(() => this.touched.delete(k))
  }

  // --- StorageHost ---
  private slotValue(e: Entry, key: bigint): bigint {
    const v = e.storage.get(key)
    if (v !== undefined) return v
    if (e.cleared || !e.exists) return 0n
    const b = this.base.getStorage(e.address, key)
    e.storage.set(key, b)
    e.baseSlots.set(key, b)
    return b
  }
  getStorage(address: Address, key: bigint): bigint {
    return this.slotValue(this.entry(address), key)
  }
  getOriginalStorage(address: Address, key: bigint): bigint {
    const b = this.txBefore.get(addressKey(address))
    const v = b?.slots.get(key)
    return v !== undefined ? v : this.getStorage(address, key)
  }
  setStorage(address: Address, key: bigint, value: bigint): void {
    const e = this.mutable(address)
    const cur = this.slotValue(e, key)
    const b = this.txBefore.get(addressKey(address))!
    if (!b.slots.has(key)) b.slots.set(key, cur)
    e.storage.set(key, value)
    this.log.push(() => e.storage.set(key, cur))
  }
  hasStorage(address: Address): boolean {
    const e = this.entry(address)
    for (const v of e.storage.values()) if (v !== 0n) return true
    if (e.cleared || !e.exists) return false
    if (!this.base.hasStorage(address)) return false
    // base has slots: any of them not overwritten with zero here?
    return true
  }
  getTransientStorage(address: Address, key: bigint): bigint {
    return this.transient.get(`${addressKey(address)}:${key}`) ?? 0n
  }
  setTransientStorage(address: Address, key: bigint, value: bigint): void {
    const k = `${addressKey(address)}:${key}`
    const prev = this.transient.get(k)
    this.transient.set(k, value)
    this.log.push(() => (prev === undefined ? this.transient.delete(k) : this.transient.set(k, prev)))
  }

  // --- AccessHost ---
  warmAddress(address: Address): boolean {
    const k = addressKey(address)
    if (this.warmAddrs.has(k) || this.warmFixed.has(k)) return true
    this.warmAddrs.add(k)
    this.log.push(() => this.warmAddrs.delete(k))
    return false
  }
  /** Warms one address at the start of a transaction (sender, target, coinbase, access list): no journal entry. */
  warmOneAtStart(address: Address): void {
    this.warmAddrs.add(addressKey(address))
  }
  /**
   * Warms a fixed list at the start of a transaction (the fork's precompiles): one shared set per
   * list, consulted beside the transaction's own, so no per-transaction copies and no journal.
   */
  warmAtStart(addresses: readonly Address[]): void {
    let set = fixedSets.get(addresses)
    if (set === undefined) fixedSets.set(addresses, (set = new Set(addresses.map(addressKey))))
    this.warmFixed = set
  }
  warmSlot(address: Address, key: bigint): boolean {
    const k = addressKey(address)
    let set = this.warmSlotsBy.get(k)
    if (set === undefined) this.warmSlotsBy.set(k, (set = new Set()))
    if (set.has(key)) return true
    set.add(key)
    this.log.push(() => set.delete(key))
    return false
  }

  // --- LifecycleHost ---
  createContract(address: Address): void {
    const e = this.mutable(address)
    const k = addressKey(address)
    const prevNonce = e.nonce
    const prevStorage = e.storage
    const prevCleared = e.cleared
    e.nonce = 1n
    e.storage = new Map()
    e.cleared = true
    const wasCreated = this.created.has(k)
    this.created.add(k)
    this.log.push(() => {
      e.nonce = prevNonce
      e.storage = prevStorage
      e.cleared = prevCleared
      if (!wasCreated) this.created.delete(k)
    })
  }
  isCreatedInTx(address: Address): boolean {
    return this.created.has(addressKey(address))
  }
  markDestroyed(address: Address): void {
    const k = addressKey(address)
    if (this.destroyed.has(k)) return
    this.destroyed.add(k)
    this.log.push(() => this.destroyed.delete(k))
  }

  // --- JournalHost ---
  snapshot(): number {
    return this.log.length
  }
  revert(snapshot: number): void {
    while (this.log.length > snapshot) this.log.pop()!()
  }
  commit(_snapshot: number): void {}
}

function sameInfo(a: AccountInfo | undefined, b: AccountInfo | undefined): boolean {
  if (!a || !b) return a === b
  return a.nonce === b.nonce && a.balance === b.balance && (a.code === b.code || equalCode(a.code, b.code))
}

function equalCode(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
