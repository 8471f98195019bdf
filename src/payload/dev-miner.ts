/**
 * Dev-mode mining, as anvil and Hardhat do it: a block per transaction (automine, the default),
 * or every N seconds (interval mining), or on request (evm_mine). It also holds the dev
 * controls: clock offset and next timestamp, state edits (./dev-edits.ts), snapshots that
 * revert the chain by moving its head back, and impersonated senders.
 *
 * Consumers: the execution profile (which starts and stops it), the RPC's evm_/anvil_/hardhat_
 * methods through the `DevControls` shape.
 */
import type { Chain } from '../blockchain/index.ts'
import { blobBaseFee } from '../executor/index.ts'
import { addressKey, type FlatReader, type StateProvider } from '../state/index.ts'
import { SignatureTable } from '../evm/index.ts'
import { bytesToHex, type Address, type Hash } from '../primitives/index.ts'
import { transactionHash, type BlobTransactionNetwork, type Block, type Header, type Receipt, type Transaction } from '../types/index.ts'
import { buildBlock, type BuildOptions, type BuiltBlock, type Candidate } from './build.ts'
import type { DevBlockProducer } from './dev-controls.ts'
import { DevEdits } from './dev-edits.ts'
import { dumpLatestState, type DumpedAccount, type ListableState } from './dev-state-dump.ts'
import { nextHeaderTemplate, type PayloadAttributes } from './next-header.ts'

/** What the miner needs of the transaction pool. */
export interface MinerPool {
  best(baseFee: bigint, blobBaseFee?: bigint): readonly { tx: Transaction; sender: Address; hash: Hash }[]
  promote(): void
  /** The sidecar of a pooled blob transaction, read before `promote` drops the mined ones. */
  sidecarOf?(txHash: Hash): BlobTransactionNetwork | undefined
  onPending(listener: (txs: readonly unknown[]) => void): () => void
}

export interface DevMinerOptions {
  /** Fee recipient of mined blocks (default: the zero address). */
  coinbase?: Address
  /** Mine a block for each new pending transaction (default true, unless `blockTime` is set). */
  automine?: boolean
  /** Interval mining in seconds (0: off). */
  blockTime?: number
  /** The wall clock in seconds (tests replace it). */
  now?: () => bigint
  /** The pending state edits, shared with whoever serves the latest state (default: the miner's own). */
  edits?: DevEdits
  /** Fills the top of each block before the pool's transactions (bundles). */
  top?: BuildOptions['top']
  /** Called with each mined block, its receipts and senders (logging; off with anvil_setLoggingEnabled false). */
  onMined?: (mined: { block: Block; receipts: Receipt[]; senders: Address[] }) => void
}

/** Sidecars of mined blob transactions kept for anvil_getBlob*: up to 6 (9 from Prague) blobs of 128 KiB each. */
const MINED_SIDECARS = 32

interface Snapshot {
  head: Hash
  edits: DevEdits
  offset: bigint
  nextTimestamp: bigint | undefined
}

export class DevMiner implements DevBlockProducer, StateProvider {
  private readonly edits: DevEdits
  private auto: boolean
  private timer: ReturnType<typeof setInterval> | undefined
  private interval: number | undefined
  private offset = 0n
  private nextTimestamp: bigint | undefined
  private readonly saved = new Map<bigint, Snapshot>()
  private readonly sidecars = new Map<string, [Hash, BlobTransactionNetwork]>()
  private nextSnapshot = 1n
  private readonly impersonated = new Set<string>()
  /** anvil_impersonateSignature's table: the node's, in memory as anvil keeps it. */
  readonly signatures = new SignatureTable()
  private autoImpersonate = false
  private logging = true
  private coinbase: Address | undefined
  private timestampInterval: bigint | undefined
  private nextBaseFee: bigint | undefined
  private gasLimit: bigint | undefined
  private mining = false
  private again = false
  private unsubscribe: (() => void) | undefined
  private readonly now: () => bigint

  constructor(private readonly chain: Chain, private readonly pool: MinerPool, private readonly opts: DevMinerOptions = {}) {
    this.edits = opts.edits ?? new DevEdits()
    this.auto = opts.automine ?? !opts.blockTime
    this.now = opts.now ?? (() => BigInt(Math.floor(Date.now() / 1000)))
    this.coinbase = opts.coinbase
  }

  start(): void {
    this.unsubscribe = this.pool.onPending(() => {
      if (this.auto) this.mineNow()
    })
    if (this.opts.blockTime) this.setIntervalMining(this.opts.blockTime)
  }

  /** Stops timers. Pending edits stay pending: the store keeps them (./dev-edits-store.ts), no block is mined for them. */
  stop(): void {
    this.unsubscribe?.()
    this.setIntervalMining(0)
  }

  /** The latest state as reads at `latest` see it: the head's, with pending edits on top. */
  latestState(): FlatReader {
    return this.edits.reader(this.chain.latestState())
  }

  /** The attributes of the next block: the dev clock's timestamp, the fee recipient, zero randomness. */
  nextAttributes(): PayloadAttributes {
    return {
      timestamp: this.timestampAfter(this.chain.head()),
      feeRecipient: this.coinbase ?? new Uint8Array(20),
      prevRandao: new Uint8Array(32),
      ...(this.gasLimit === undefined ? {} : { gasLimit: this.gasLimit }),
      ...(this.nextBaseFee === undefined ? {} : { baseFeePerGas: this.nextBaseFee }),
    }
  }

  private timestampAfter(parent: Header): bigint {
    if (this.nextTimestamp === undefined && this.timestampInterval !== undefined) return parent.timestamp + this.timestampInterval
    const t = this.nextTimestamp ?? this.now() + this.offset
    return t > parent.timestamp ? t : parent.timestamp + 1n
  }

  /** Mines one block from the pool now (re-entrant calls coalesce into one more block). */
  private mineNow(timestamp?: bigint): Header {
    if (this.mining) {
      this.again = true
      return this.chain.head()
    }
    this.mining = true
    try {
      let header: Header
      do {
        this.again = false
        header = this.mineOne(timestamp)
        timestamp = undefined
      } while (this.again)
      return header
    } finally {
      this.mining = false
    }
  }

  /** The next block over the head from the pool's best transactions (or `given` ones) and the pending edits. */
  private build(timestamp?: bigint, given?: readonly Candidate[]): BuiltBlock {
    const parent = this.chain.head()
    const ts = timestamp ?? this.timestampAfter(parent)
    // the caller's contract: rpc's dev namespace checks timestamps before mining
    if (ts <= parent.timestamp) throw new Error(`timestamp ${ts} is not after the head's ${parent.timestamp}`)
    const attrs = { ...this.nextAttributes(), timestamp: ts }
    const { header: next, blob } = nextHeaderTemplate(parent, this.chain.spec, attrs, this.chain.headBlockHash())
    const candidates = given ?? this.pool.best(next.baseFeePerGas ?? 0n, blob && next.excessBlobGas !== undefined ? blobBaseFee(next.excessBlobGas, blob) : undefined)
    return buildBlock(this.chain, candidates, { ...attrs, coinbase: attrs.feeRecipient, edits: this.edits.empty ? undefined : this.edits.list(), top: this.opts.top, signatures: this.signatures })
  }

  pendingBlock(): { block: Block; senders: Address[] } {
    const { block, senders } = this.build().executed
    return { block, senders }
  }

  private mineOne(timestamp?: bigint, given?: readonly Candidate[]): Header {
    const built = this.build(timestamp, given)
    this.chain.insertExecuted(built.executed)
    this.keepSidecars(built.executed.block)
    this.edits.clear()
    this.nextTimestamp = undefined
    this.nextBaseFee = undefined
    this.pool.promote()
    if (this.logging) this.opts.onMined?.(built.executed)
    return built.executed.block.header
  }

  private keepSidecars(block: Block): void {
    for (const tx of block.transactions) {
      if (tx.type !== 3 || !this.pool.sidecarOf) continue
      const hash = transactionHash(tx)
      const sidecar = this.pool.sidecarOf(hash)
      if (!sidecar) continue
      this.sidecars.set(bytesToHex(hash), [hash, sidecar])
      if (this.sidecars.size > MINED_SIDECARS) this.sidecars.delete(this.sidecars.keys().next().value!)
    }
  }

  // --- DevControls ---
  async mine(opts: { count?: number; timestamp?: bigint } = {}): Promise<Header> {
    const count = opts.count ?? 1
    // DevControls' contract (rpc bounds the count first); RangeError like other argument checks
    if (!Number.isSafeInteger(count) || count < 1 || count > 10_000) throw new RangeError(`block count ${count} must be between 1 and 10000`)
    let header = this.chain.head()
    for (let i = 0; i < count; i++) header = this.mineNow(i === 0 ? opts.timestamp : undefined)
    return header
  }
  automine(): boolean {
    return this.auto
  }
  setAutomine(on: boolean): void {
    this.auto = on
  }
  setIntervalMining(seconds: number): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.interval = seconds > 0 ? seconds : undefined
    if (seconds > 0) {
      this.timer = setInterval(() => {
        try {
          this.mineNow()
        } catch {
          // a failed interval block is retried at the next tick
        }
      }, seconds * 1000)
      this.timer.unref?.()
    }
  }
  intervalMining(): number | undefined {
    return this.interval
  }
  snapshot(): bigint {
    const id = this.nextSnapshot++
    this.saved.set(id, { head: this.chain.headBlockHash(), edits: this.edits.clone(), offset: this.offset, nextTimestamp: this.nextTimestamp })
    return id
  }
  dumpState(): DumpedAccount[] {
    return dumpLatestState(this.chain.latestState() as ListableState, this.edits)
  }
  loadState(accounts: readonly DumpedAccount[]): void {
    this.edits.batch(() => {
      for (const a of accounts) {
        this.edits.setNonce(a.address, a.nonce)
        this.edits.setBalance(a.address, a.balance)
        this.edits.setCode(a.address, a.code)
        for (const [k, v] of a.storage) this.edits.setStorage(a.address, k, v)
      }
    })
    this.pool.promote()
  }
  reset(): void {
    const genesis = this.chain.canonicalHash(0n)
    // an invariant of a stored chain, not input
    if (!genesis) throw new Error('the chain has no genesis block')
    this.chain.setHead(genesis)
    this.edits.clear()
    this.saved.clear()
    this.offset = 0n
    this.nextTimestamp = undefined
    this.nextBaseFee = undefined
    this.pool.promote()
  }
  revert(id: bigint): boolean {
    const s = this.saved.get(id)
    if (!s) return false
    this.chain.setHead(s.head)
    this.edits.restore(s.edits)
    this.offset = s.offset
    this.nextTimestamp = s.nextTimestamp
    for (const k of [...this.saved.keys()]) if (k >= id) this.saved.delete(k)
    this.pool.promote()
    return true
  }
  rollback(depth: number): Header {
    const head = this.chain.head()
    // DevControls' contract: rpc checks the depth against the chain first
    if (!Number.isSafeInteger(depth) || depth < 0 || BigInt(depth) > head.number) throw new RangeError(`depth ${depth} exceeds the chain height ${head.number}`)
    if (depth === 0) return head
    // one head move through the chain's undo machinery: durable, and its event lists the blocks removed
    this.chain.setHead(this.chain.canonicalHash(head.number - BigInt(depth))!)
    this.pool.promote()
    return this.chain.head()
  }
  reorg(depth: number, blocks: readonly (readonly Candidate[])[]): Header {
    if (blocks.length > depth) throw new RangeError(`${blocks.length} blocks of transactions for a reorg of depth ${depth}`)
    // the new branch holds the given transactions only: pool announcements meanwhile mine nothing
    this.mining = true
    try {
      this.rollback(depth)
      for (let i = 0; i < depth; i++) this.mineOne(undefined, blocks[i] ?? [])
    } finally {
      this.mining = false
      this.again = false
    }
    return this.chain.head()
  }
  increaseTime(seconds: bigint): bigint {
    this.offset += seconds
    return this.offset
  }
  setNextBlockTimestamp(timestamp: bigint): void {
    const head = this.chain.head()
    // DevControls' contract: rpc's evm_setNextBlockTimestamp checks it first
    if (timestamp <= head.timestamp) throw new RangeError(`timestamp ${timestamp} is not after the latest block's ${head.timestamp}`)
    this.nextTimestamp = timestamp
  }
  setTime(timestamp: bigint): bigint {
    const now = this.now()
    const ahead = timestamp - (now + this.offset)
    // the offset may go negative: timestampAfter keeps each block after its parent
    this.offset = timestamp - now
    this.nextTimestamp = undefined
    return ahead > 0n ? ahead : 0n
  }
  setBalance(address: Address, balance: bigint): void {
    this.edits.setBalance(address, balance)
    this.pool.promote()
  }
  setCode(address: Address, code: Uint8Array): void {
    this.edits.setCode(address, code)
  }
  setNonce(address: Address, nonce: bigint): void {
    this.edits.setNonce(address, nonce)
    this.pool.promote()
  }
  setStorageAt(address: Address, slot: bigint, value: bigint): void {
    this.edits.setStorage(address, slot, value)
  }
  setChainId(chainId: bigint): void {
    // in force at once (eth_chainId, the pool, eth_call), and recorded with the next block for export
    this.chain.setChainId(chainId)
    this.edits.setChainId(chainId)
    this.pool.promote()
  }
  impersonate(address: Address): void {
    this.impersonated.add(addressKey(address))
  }
  impersonateSignature(signature: Uint8Array, address: Address): void {
    this.signatures.set(signature, address)
  }
  stopImpersonating(address: Address): void {
    this.impersonated.delete(addressKey(address))
  }
  isImpersonated(address: Address): boolean {
    return this.autoImpersonate || this.impersonated.has(addressKey(address))
  }
  setAutoImpersonate(on: boolean): void {
    this.autoImpersonate = on
  }
  setLogging(on: boolean): void {
    this.logging = on
  }
  setNextBlockBaseFee(fee: bigint): void {
    this.nextBaseFee = fee
  }
  setBlockGasLimit(limit: bigint): void {
    this.gasLimit = limit
  }
  setCoinbase(address: Address): void {
    this.coinbase = address
  }
  setBlockTimestampInterval(seconds: bigint | undefined): boolean {
    const had = this.timestampInterval !== undefined
    // DevControls' contract: rpc checks the argument; a zero interval would repeat the parent's timestamp
    if (seconds !== undefined && seconds < 1n) throw new RangeError(`timestamp interval ${seconds} must be at least 1 second`)
    this.timestampInterval = seconds
    return had
  }
  minedSidecars(): Iterable<[Hash, BlobTransactionNetwork]> {
    return this.sidecars.values()
  }
  snapshots(): { id: bigint; head: Hash }[] {
    return [...this.saved.entries()].map(([id, s]) => ({ id, head: s.head }))
  }
}
