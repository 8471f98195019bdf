/**
 * An in-memory Host for the EVM tests: plain maps plus an undo log. snapshot() returns
 * the log length; revert(n) undoes entries back to n.
 */
import { keccak256 } from '../../crypto/index.ts'
import type { Address, Hash } from '../../primitives/index.ts'
import type { BlockContext, Host, TxContext } from '../host.ts'

export interface MemoryHostAccount {
  balance: bigint
  nonce: bigint
  code: Uint8Array
  storage: Map<bigint, bigint>
}

export interface MemoryHostOptions {
  block?: Partial<BlockContext>
  tx?: Partial<TxContext>
  blockHashes?: Map<bigint, Hash>
}

const EMPTY_CODE = new Uint8Array(0)
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
function key(a: Address): string {
  let s = ''
  for (let i = 0; i < a.length; i++) s += HEX[a[i]!]
  return s
}

export class MemoryHost implements Host {
  readonly block: BlockContext
  readonly tx: TxContext
  readonly accounts = new Map<string, MemoryHostAccount>()
  /** Storage at the start of the transaction (for EIP-2200 original values). */
  private original = new Map<string, Map<bigint, bigint>>()
  private transient = new Map<string, bigint>()
  private warmAddresses = new Set<string>()
  private warmSlots = new Set<string>()
  readonly created = new Set<string>()
  readonly destroyed = new Set<string>()
  readonly touched = new Set<string>()
  private log: (() => void)[] = []
  private blockHashes: Map<bigint, Hash>

  constructor(opts: MemoryHostOptions = {}) {
    this.block = {
      coinbase: new Uint8Array(20),
      number: 1n,
      timestamp: 1n,
      gasLimit: 30_000_000n,
      prevRandao: 0n,
      baseFee: 7n,
      blobBaseFee: 1n,
      chainId: 1n,
      ...opts.block,
    }
    this.tx = { origin: new Uint8Array(20), gasPrice: 10n, blobHashes: [], ...opts.tx }
    this.blockHashes = opts.blockHashes ?? new Map()
  }

  // --- setup helpers (not journaled) ---
  setAccount(address: Address, a: Partial<MemoryHostAccount>): void {
    const acc = { balance: 0n, nonce: 0n, code: EMPTY_CODE, storage: new Map(), ...a }
    this.accounts.set(key(address), acc)
    this.original.set(key(address), new Map(acc.storage))
  }

  account(address: Address): MemoryHostAccount | undefined {
    return this.accounts.get(key(address))
  }

  /** Starts a new transaction: current storage becomes original, transient and warm sets clear. */
  beginTransaction(): void {
    for (const [k, a] of this.accounts) this.original.set(k, new Map(a.storage))
    this.transient.clear()
    this.warmAddresses.clear()
    this.warmSlots.clear()
    this.created.clear()
    this.log = []
  }

  private getOrCreate(address: Address): MemoryHostAccount {
    const k = key(address)
    let a = this.accounts.get(k)
    if (!a) {
      a = { balance: 0n, nonce: 0n, code: EMPTY_CODE, storage: new Map() }
      this.accounts.set(k, a)
      this.log.push(() => this.accounts.delete(k))
    }
    return a
  }

  blockHash(number: bigint): Hash | undefined {
    return this.blockHashes.get(number)
  }

  accountExists(address: Address): boolean {
    return this.accounts.has(key(address))
  }

  isDeadOrEmpty(address: Address): boolean {
    const a = this.account(address)
    return !a || (a.balance === 0n && a.nonce === 0n && a.code.length === 0)
  }

  getBalance(address: Address): bigint {
    return this.account(address)?.balance ?? 0n
  }

  setBalance(address: Address, balance: bigint): void {
    const a = this.getOrCreate(address)
    const prev = a.balance
    a.balance = balance
    this.log.push(() => (a.balance = prev))
  }

  getNonce(address: Address): bigint {
    return this.account(address)?.nonce ?? 0n
  }

  setNonce(address: Address, nonce: bigint): void {
    const a = this.getOrCreate(address)
    const prev = a.nonce
    a.nonce = nonce
    this.log.push(() => (a.nonce = prev))
  }

  getCode(address: Address): Uint8Array {
    return this.account(address)?.code ?? EMPTY_CODE
  }

  getCodeHash(address: Address): Hash {
    return keccak256(this.getCode(address))
  }

  setCode(address: Address, code: Uint8Array): void {
    const a = this.getOrCreate(address)
    const prev = a.code
    a.code = code
    this.log.push(() => (a.code = prev))
  }

  transfer(from: Address, to: Address, value: bigint): void {
    this.touch(to)
    if (value === 0n) return
    this.setBalance(from, this.getBalance(from) - value)
    this.setBalance(to, this.getBalance(to) + value)
  }

  touch(address: Address): void {
    const k = key(address)
    if (this.touched.has(k)) return
    this.touched.add(k)
    this.log.push(() => this.touched.delete(k))
  }

  getStorage(address: Address, slot: bigint): bigint {
    return this.account(address)?.storage.get(slot) ?? 0n
  }

  getOriginalStorage(address: Address, slot: bigint): bigint {
    return this.original.get(key(address))?.get(slot) ?? 0n
  }

  setStorage(address: Address, slot: bigint, value: bigint): void {
    const a = this.getOrCreate(address)
    const prev = a.storage.get(slot)
    if (value === 0n) a.storage.delete(slot)
    else a.storage.set(slot, value)
    this.log.push(() => (prev === undefined ? a.storage.delete(slot) : a.storage.set(slot, prev)))
  }

  hasStorage(address: Address): boolean {
    return (this.account(address)?.storage.size ?? 0) > 0
  }

  getTransientStorage(address: Address, slot: bigint): bigint {
    return this.transient.get(`${key(address)}:${slot}`) ?? 0n
  }

  setTransientStorage(address: Address, slot: bigint, value: bigint): void {
    const k = `${key(address)}:${slot}`
    const prev = this.transient.get(k)
    this.transient.set(k, value)
    this.log.push(() => (prev === undefined ? this.transient.delete(k) : this.transient.set(k, prev)))
  }

  warmAddress(address: Address): boolean {
    const k = key(address)
    if (this.warmAddresses.has(k)) return true
    this.warmAddresses.add(k)
    this.log.push(() => this.warmAddresses.delete(k))
    return false
  }

  warmSlot(address: Address, slot: bigint): boolean {
    const k = `${key(address)}:${slot}`
    if (this.warmSlots.has(k)) return true
    this.warmSlots.add(k)
    this.log.push(() => this.warmSlots.delete(k))
    return false
  }

  createContract(address: Address): void {
    const a = this.getOrCreate(address)
    const prevNonce = a.nonce
    const prevStorage = a.storage
    a.nonce = 1n
    a.storage = new Map()
    const k = key(address)
    const wasCreated = this.created.has(k)
    this.created.add(k)
    this.log.push(() => {
      a.nonce = prevNonce
      a.storage = prevStorage
      if (!wasCreated) this.created.delete(k)
    })
  }

  isCreatedInTx(address: Address): boolean {
    return this.created.has(key(address))
  }

  markDestroyed(address: Address): void {
    const k = key(address)
    if (this.destroyed.has(k)) return
    this.destroyed.add(k)
    this.log.push(() => this.destroyed.delete(k))
  }

  snapshot(): number {
    return this.log.length
  }

  revert(snapshot: number): void {
    while (this.log.length > snapshot) this.log.pop()!()
  }

  commit(_snapshot: number): void {}
}
