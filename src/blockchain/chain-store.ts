/**
 * The chain's tables on the key-value store: headers, bodies, receipts, senders and change
 * sets by (number, hash); the canonical index number → hash; hash → number; the transaction
 * lookup of canonical transactions; the head/safe/finalized markers. Reads decode and cache
 * recent headers and canonical hashes; writes go into the caller's batch, and the chain tells
 * the caches what a written batch stored (`cacheHeader`, `cacheCanonical`).
 */
import { bytesToHex, concatBytes, decodeRlp, encodeRlp, rlpBytes, rlpList, type Address, type Hash } from '../primitives/index.ts'
import type { ChangeSet } from '../state/index.ts'
import { decodeChangeSet, encodeChangeSet } from '../state/index.ts'
import {
  blockNumberKey,
  bodyKey,
  canonicalKey,
  changeSetKey,
  decodeNumber,
  encodeNumber,
  headerKey,
  MetaKeys,
  receiptsKey,
  sendersKey,
  txLookupKey,
  type KeyValueReader,
  type WriteBatch,
} from '../storage/index.ts'
import {
  decodeBlockBody,
  decodeHeader,
  decodeReceipt,
  encodeBlockBody,
  encodeHeader,
  encodeReceipt,
  headerHash,
  transactionHash,
  type Block,
  type BlockBody,
  type Header,
  type Receipt,
} from '../types/index.ts'

export interface TxLocation {
  blockHash: Hash
  blockNumber: bigint
  index: number
}

const HEADER_CACHE = 1024
const CANONICAL_CACHE = 1024

/** A bounded insertion-ordered cache: the oldest entry goes first. */
function remember<K, V>(m: Map<K, V>, k: K, v: V, max: number): void {
  if (m.size >= max && !m.has(k)) m.delete(m.keys().next().value!)
  m.set(k, v)
}

export class ChainStore {
  private readonly headers = new Map<string, Header>()
  private readonly canonical = new Map<bigint, Hash>()
  constructor(readonly db: KeyValueReader) {}

  /** A header just written (the block's batch is on disk): its first reads need no decoding. */
  cacheHeader(hash: Hash, header: Header): void {
    remember(this.headers, bytesToHex(hash), header, HEADER_CACHE)
  }

  /** The canonical index at `number` as a written batch left it (undefined: removed). */
  cacheCanonical(number: bigint, hash: Hash | undefined): void {
    if (hash) remember(this.canonical, number, hash, CANONICAL_CACHE)
    else this.canonical.delete(number)
  }

  numberOf(hash: Hash): bigint | undefined {
    const v = this.db.get(blockNumberKey(hash))
    return v ? decodeNumber(v) : undefined
  }

  header(hash: Hash): Header | undefined {
    const k = bytesToHex(hash)
    const hit = this.headers.get(k)
    if (hit) return hit
    const n = this.numberOf(hash)
    if (n === undefined) return undefined
    const raw = this.db.get(headerKey(n, hash))
    if (!raw) return undefined
    const h = decodeHeader(raw)
    remember(this.headers, k, h, HEADER_CACHE)
    return h
  }

  body(hash: Hash): BlockBody | undefined {
    const n = this.numberOf(hash)
    const raw = n === undefined ? undefined : this.db.get(bodyKey(n, hash))
    return raw ? decodeBlockBody(raw) : undefined
  }

  block(hash: Hash): Block | undefined {
    const header = this.header(hash)
    const body = header && this.body(hash)
    return header && body ? { header, ...body } : undefined
  }

  canonicalHash(number: bigint): Hash | undefined {
    if (number < 0n) return undefined
    const hit = this.canonical.get(number)
    if (hit) return hit
    const h = this.db.get(canonicalKey(number))
    if (h) remember(this.canonical, number, h, CANONICAL_CACHE)
    return h
  }

  receipts(hash: Hash): Receipt[] | undefined {
    const n = this.numberOf(hash)
    const raw = n === undefined ? undefined : this.db.get(receiptsKey(n, hash))
    return raw ? rlpList(decodeRlp(raw), 'receipts').map((r) => decodeReceipt(rlpBytes(r, 'receipt'))) : undefined
  }

  senders(hash: Hash): Address[] | undefined {
    const n = this.numberOf(hash)
    const raw = n === undefined ? undefined : this.db.get(sendersKey(n, hash))
    if (!raw) return undefined
    const out: Address[] = []
    for (let i = 0; i < raw.length; i += 20) out.push(raw.subarray(i, i + 20))
    return out
  }

  changeSet(number: bigint, hash: Hash): ChangeSet | undefined {
    const raw = this.db.get(changeSetKey(number, hash))
    return raw ? decodeChangeSet(raw) : undefined
  }

  transactionLocation(txHash: Hash): TxLocation | undefined {
    const v = this.db.get(txLookupKey(txHash))
    if (!v) return undefined
    return { blockNumber: decodeNumber(v), blockHash: v.subarray(8, 40), index: new DataView(v.buffer, v.byteOffset + 40, 4).getUint32(0) }
  }

  marker(which: 'head' | 'safe' | 'finalized'): Hash | undefined {
    return this.db.get(MetaKeys[which])
  }
}

/** Everything stored for a newly imported block (canonical or not). */
export function writeBlock(batch: WriteBatch, block: Block, receipts: readonly Receipt[], senders: readonly Address[], changes: ChangeSet): Hash {
  const h = headerHash(block.header)
  const n = block.header.number
  batch.put(headerKey(n, h), encodeHeader(block.header))
  batch.put(bodyKey(n, h), encodeBlockBody(block))
  batch.put(receiptsKey(n, h), encodeRlp(receipts.map(encodeReceipt)))
  batch.put(sendersKey(n, h), concatBytes(...senders))
  batch.put(changeSetKey(n, h), encodeChangeSet(changes))
  batch.put(blockNumberKey(h), encodeNumber(n))
  return h
}

/** Makes a stored block canonical at its height (index and transaction lookups). */
export function writeCanonical(batch: WriteBatch, block: Block, hash: Hash): void {
  batch.put(canonicalKey(block.header.number), hash)
  block.transactions.forEach((tx, i) => {
    const loc = new Uint8Array(44)
    loc.set(encodeNumber(block.header.number), 0)
    loc.set(hash, 8)
    new DataView(loc.buffer).setUint32(40, i)
    batch.put(txLookupKey(transactionHash(tx)), loc)
  })
}

/** Removes a block from the canonical index (a reorg away from it). */
export function deleteCanonical(batch: WriteBatch, block: Block): void {
  batch.delete(canonicalKey(block.header.number))
  for (const tx of block.transactions) batch.delete(txLookupKey(transactionHash(tx)))
}

