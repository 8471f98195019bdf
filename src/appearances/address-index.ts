/**
 * The index of address appearances that Otterscan's searches read (ots_searchTransactions*,
 * ots_getTransactionBySenderAndNonce, ots_getContractCreator): for every address, the blocks
 * whose transactions touched it — as sender, recipient, the target or sender of an internal
 * call, a created contract or a self-destruct's beneficiary — with the transaction indices.
 *
 * Built as blocks become canonical: each head event queues its added blocks, which are traced
 * (the injected `collect`, the RPC layer's Otterscan tracer over a replay) shortly after, and a
 * query first indexes what is queued, so answers always cover the head. Each block is written
 * in one batch with its marker, so the index survives a crash block by block; at start the
 * canonical blocks above the last indexed one are queued again (catch-up, in slices of
 * CATCH_UP_SLICE between other work). A block whose parent state is no longer kept (imported
 * before the index ran, beyond --state.history) is indexed from its body and receipts alone:
 * senders, recipients and created contracts, without internal calls (marker 0).
 *
 * Entries are keyed by block number and hash and read through the canonical index, so a reorg
 * needs no rewrite: entries of blocks that left the canonical chain are skipped, and come back
 * into use if their block does.
 */
import type { ChainReader } from '../blockchain/index.ts'
import { createAddress } from '../evm/index.ts'
import { equalBytes, type Address, type Hash } from '../primitives/index.ts'
import { addressAppearancesPrefix, appearanceBlockKey, appearanceKey, decodeNumber, encodeNumber, type KeyValueStore } from '../storage/index.ts'
import { headerHash, type Block } from '../types/index.ts'
import { decodeRecords, encodeRecords, groupByAddress, type AppearanceRecord, type TxAppearances } from './records.ts'

/** Traces a canonical block's transactions; undefined when its parent state is not kept. */
export type CollectAppearances = (block: Block) => TxAppearances[] | undefined

/** Blocks indexed per turn of the event loop during catch-up. */
const CATCH_UP_SLICE = 64

/** A canonical block where the address appears, with its transactions that touched it. */
export interface AppearanceBlock {
  number: bigint
  hash: Hash
  records: AppearanceRecord[]
}

/** What the Otterscan methods read. Consumer: src/rpc/methods/ots*.ts. */
export interface AddressHistory {
  /**
   * Canonical blocks where `address` appears: `before` walks down from below `from` (the head
   * itself included when `from` is undefined), `after` up from above it.
   */
  blocks(address: Address, direction: 'before' | 'after', from?: bigint): Iterable<AppearanceBlock>
}

type IndexChain = Pick<ChainReader, 'head' | 'canonicalHash' | 'blockByHash' | 'senders' | 'receipts' | 'onHead'>

export class AddressIndex implements AddressHistory {
  private readonly queue: { number: bigint; hash: Hash }[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private off: (() => void) | undefined

  constructor(
    private readonly db: KeyValueStore,
    private readonly chain: IndexChain,
    private readonly collect: CollectAppearances,
  ) {}

  /** Follows the head and queues the canonical blocks not indexed yet. */
  start(): void {
    this.off = this.chain.onHead((e) => {
      for (const a of e.added) this.queue.push({ number: a.block.header.number, hash: headerHash(a.block.header) })
      this.schedule()
    })
    const missing: { number: bigint; hash: Hash }[] = []
    for (let n = this.chain.head().number; n > 0n; n--) {
      const hash = this.chain.canonicalHash(n)
      if (!hash || this.db.has(appearanceBlockKey(n, hash))) break
      missing.push({ number: n, hash })
    }
    this.queue.unshift(...missing.reverse())
    this.schedule()
  }

  stop(): void {
    this.off?.()
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Indexes every queued block (queries call it first). */
  sync(): void {
    this.drain(Number.POSITIVE_INFINITY)
  }

  *blocks(address: Address, direction: 'before' | 'after', from?: bigint): Iterable<AppearanceBlock> {
    this.sync()
    const prefix = addressAppearancesPrefix(address)
    const head = this.chain.head().number
    const range =
      direction === 'before'
        ? { prefix, reverse: true, ...(from === undefined ? {} : { lt: new Uint8Array([...prefix, ...encodeNumber(from)]) }) }
        : { prefix, ...(from === undefined ? {} : { gte: new Uint8Array([...prefix, ...encodeNumber(from + 1n)]) }) }
    for (const [k, v] of this.db.iterate(range)) {
      const number = decodeNumber(k, 21)
      const hash = k.subarray(29, 61)
      if (number > head) continue
      const canonical = this.chain.canonicalHash(number)
      if (!canonical || !equalBytes(canonical, hash)) continue
      yield { number, hash, records: decodeRecords(v) }
    }
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.drain(CATCH_UP_SLICE)
      this.schedule()
    }, 0)
  }

  private drain(max: number): void {
    for (let done = 0; done < max && this.queue.length > 0; done++) {
      const { number, hash } = this.queue.shift()!
      if (this.db.has(appearanceBlockKey(number, hash))) continue
      const block = this.chain.blockByHash(hash)
      if (block) this.index(block, number, hash)
    }
  }

  private index(block: Block, number: bigint, hash: Hash): void {
    const traced = this.collect(block)
    const txs = traced ?? this.topLevel(block, hash)
    const batch = this.db.batch()
    for (const { address, records } of groupByAddress(txs).values()) batch.put(appearanceKey(address, number, hash), encodeRecords(records))
    batch.put(appearanceBlockKey(number, hash), new Uint8Array([traced ? 1 : 0]))
    batch.write()
  }

  /** What the body and receipts alone tell: sender, recipient, the created contract. */
  private topLevel(block: Block, hash: Hash): TxAppearances[] {
    const senders = this.chain.senders(hash) ?? []
    const receipts = this.chain.receipts(hash) ?? []
    return block.transactions.map((tx, i) => {
      const from = senders[i]!
      if (tx.to) return { touched: [from, tx.to], created: [] }
      const address = createAddress(from, tx.nonce)
      return { touched: [from, address], created: receipts[i]?.status === 1 ? [{ address, creator: from }] : [] }
    })
  }
}
