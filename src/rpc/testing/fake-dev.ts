/**
 * Dev controls and dev accounts over a `FakeChain` and a pool, for RPC tests: mining takes the
 * pool's best transactions, state edits go into the head state, snapshots keep the chain length
 * and a copy of the head state, time moves by an offset over a fixed clock.
 */
import { privateKeyToAddress } from '../../crypto/index.ts'
import { bigintToWord, bytesToHex, type Address, type Hash } from '../../primitives/index.ts'
import { addressKey, type MemoryState } from '../../state/index.ts'
import type { TransactionPool } from '../../txpool/index.ts'
import { nextBaseFee } from '../../executor/index.ts'
import type { BlobTransactionNetwork, Header, Transaction } from '../../types/index.ts'
import type { DevControls, DevSigner } from '../backend.ts'
import type { FakeChain } from './fake-chain.ts'

/** Deterministic test keys: 0x…1001, 0x…1002, … */
export const TEST_KEYS = Array.from({ length: 4 }, (_, i) => bigintToWord(0x1001n + BigInt(i)))
export const TEST_ACCOUNTS = TEST_KEYS.map(privateKeyToAddress)

export function fakeSigner(keys: readonly Uint8Array[] = TEST_KEYS): DevSigner {
  const byAddr = new Map(keys.map((k) => [bytesToHex(privateKeyToAddress(k)), k]))
  return {
    accounts: () => keys.map(privateKeyToAddress),
    privateKey: (a) => byAddr.get(bytesToHex(a)),
  }
}

export class FakeDev implements DevControls {
  private auto = true
  private offset = 0n
  private nextTimestamp?: bigint
  private readonly saved: { length: bigint; state: MemoryState; offset: bigint }[] = []
  private readonly impersonated = new Set<string>()
  interval = 0
  private mining = false
  private again = false

  constructor(private readonly chain: FakeChain, private readonly pool: TransactionPool, private readonly clock: () => bigint = () => 1_700_000_000n) {
    // automine: a block as soon as the pool announces a transaction (inside the pool's add)
    pool.onPending(() => {
      if (this.auto) this.mineOne()
    })
  }

  private mineOne(timestamp?: bigint): void {
    if (this.mining) {
      this.again = true
      return
    }
    this.mining = true
    try {
      do {
        this.again = false
        const parent = this.chain.head()
        let ts = timestamp ?? this.nextTimestamp ?? this.clock() + this.offset
        timestamp = this.nextTimestamp = undefined
        if (ts <= parent.timestamp) ts = parent.timestamp + 1n
        const txs = this.pool.best(nextBaseFee(parent)).map((p) => ({ tx: p.tx, sender: p.sender }))
        // the head state carries dev edits: build on it
        this.chain.mine(txs, { timestamp: ts })
        this.pool.promote()
      } while (this.again)
    } finally {
      this.mining = false
    }
  }

  async mine(opts: { count?: number; timestamp?: bigint } = {}): Promise<Header> {
    for (let i = 0; i < (opts.count ?? 1); i++) this.mineOne(i === 0 ? opts.timestamp : undefined)
    return this.chain.head()
  }
  automine = () => this.auto
  setAutomine(on: boolean): void {
    this.auto = on
  }
  setIntervalMining(seconds: number): void {
    this.interval = seconds
  }
  minedSidecars(): Iterable<[Hash, BlobTransactionNetwork]> {
    return []
  }
  intervalMining(): number | undefined {
    return this.interval || undefined
  }
  snapshot(): bigint {
    this.saved.push({ length: this.chain.head().number, state: this.chain.headState().clone(), offset: this.offset })
    return BigInt(this.saved.length - 1)
  }
  dumpState(): never {
    throw new Error('FakeDev keeps no listable state')
  }
  loadState(accounts: readonly { address: Address; nonce: bigint; balance: bigint; code: Uint8Array; storage: [bigint, bigint][] }[]): void {
    for (const a of accounts) {
      this.edit(a.address, (x) => Object.assign(x, { nonce: a.nonce, balance: a.balance, code: a.code }))
      for (const [k, v] of a.storage) this.setStorageAt(a.address, k, v)
    }
  }
  reset(): void {
    this.revert(0n)
  }
  revert(id: bigint): boolean {
    const s = this.saved[Number(id)]
    if (id < 0n || !s) return false
    this.saved.length = Number(id)
    this.chain.truncate(s.length)
    const head = this.chain.headState()
    head.accounts.clear()
    for (const [k, a] of s.state.accounts) head.accounts.set(k, a)
    this.offset = s.offset
    return true
  }
  /** The fake's rollback drops the blocks, not their state changes (the head state is one map). */
  rollback(depth: number): Header {
    this.chain.truncate(this.chain.head().number - BigInt(depth))
    return this.chain.head()
  }
  reorg(depth: number, blocks: readonly (readonly { tx: Transaction; sender: Address }[])[]): Header {
    this.rollback(depth)
    for (let i = 0; i < depth; i++) this.chain.mine([...(blocks[i] ?? [])], { timestamp: this.chain.head().timestamp + 1n })
    return this.chain.head()
  }
  /** The fake executes nothing that reads ecrecover overrides. */
  impersonateSignature(): void {}
  increaseTime(seconds: bigint): bigint {
    this.offset += seconds
    return this.offset
  }
  setNextBlockTimestamp(timestamp: bigint): void {
    this.nextTimestamp = timestamp
  }
  setTime(timestamp: bigint): bigint {
    this.offset = timestamp - BigInt(Math.floor(Date.now() / 1000))
    this.nextTimestamp = undefined
    return this.offset > 0n ? this.offset : 0n
  }
  private edit(a: Address, f: (acct: { nonce: bigint; balance: bigint; code: Uint8Array; storage: Map<bigint, bigint> }) => void): void {
    const s = this.chain.headState()
    const cur = s.accounts.get(addressKey(a))
    const acct = cur ? { ...cur, storage: new Map(cur.storage) } : { nonce: 0n, balance: 0n, code: new Uint8Array(0), storage: new Map<bigint, bigint>() }
    f(acct)
    s.setAccount(a, acct)
  }
  setBalance(a: Address, balance: bigint): void {
    this.edit(a, (x) => (x.balance = balance))
  }
  setCode(a: Address, code: Uint8Array): void {
    this.edit(a, (x) => (x.code = code))
  }
  setNonce(a: Address, nonce: bigint): void {
    this.edit(a, (x) => (x.nonce = nonce))
  }
  setStorageAt(a: Address, slot: bigint, value: bigint): void {
    this.edit(a, (x) => (value === 0n ? x.storage.delete(slot) : x.storage.set(slot, value)))
  }
  impersonate(a: Address): void {
    this.impersonated.add(bytesToHex(a))
  }
  stopImpersonating(a: Address): void {
    this.impersonated.delete(bytesToHex(a))
  }
  isImpersonated(a: Address): boolean {
    return this.autoImpersonate || this.impersonated.has(bytesToHex(a))
  }
  autoImpersonate = false
  logging = true
  coinbase: Address | undefined
  timestampInterval: bigint | undefined
  setAutoImpersonate(on: boolean): void {
    this.autoImpersonate = on
  }
  setLogging(on: boolean): void {
    this.logging = on
  }
  nextBaseFee: bigint | undefined
  gasLimit: bigint | undefined
  setNextBlockBaseFee(fee: bigint): void {
    this.nextBaseFee = fee
  }
  setBlockGasLimit(limit: bigint): void {
    this.gasLimit = limit
  }
  setCoinbase(a: Address): void {
    this.coinbase = a
  }
  chainId: bigint | undefined
  setChainId(id: bigint): void {
    this.chainId = id
  }
  setBlockTimestampInterval(seconds: bigint | undefined): boolean {
    const had = this.timestampInterval !== undefined
    this.timestampInterval = seconds
    return had
  }
  snapshots(): { id: bigint; head: Uint8Array }[] {
    return this.saved.map((_, i) => ({ id: BigInt(i), head: new Uint8Array(32) }))
  }
}
