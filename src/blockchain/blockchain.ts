/**
 * The chain: block import (validate, execute, commit in one batch), the canonical head and its
 * moves (extend, or reorganise onto another branch by undoing and redoing change sets), the
 * safe/finalized markers, and the state at recent blocks. Proof-of-stake only: the head is
 * what the caller chooses (forkchoice), by default each newly imported block.
 *
 * Consumers: `mosaic blocktest`/`import`, dev block production, the Engine API, RPC (through
 * the `ChainReader` methods: head, headers, blocks, receipts, senders, lookups, stateAt).
 */
import { blobParamsAt, forkAt, genesisHash, type ChainSpec } from '../chainspec/index.ts'
import { BlockValidationError, checkBlockResult, validateBody, validateHeader, blockEnvOf, type BlockResult, type RuleOrder } from '../executor/index.ts'
import { bytesToHex, equalBytes, type Address, type Hash } from '../primitives/index.ts'
import {
  CachedFlatState,
  changeSetOf,
  commitChangeSet,
  JournaledState,
  proveAccount,
  StateOverlay,
  writeChangeSet,
  type ChangeSet,
  type FlatReader,
} from '../state/index.ts'
import { decodeNumber, MetaKeys, SCHEMA_VERSION, trieNodeKey, type KeyValueStore } from '../storage/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'
import { headerHash, type Block, type Header, type Receipt } from '../types/index.ts'
import { applyBlockEdits, hasEdits, putBlockEdits } from './block-edits.ts'
import { BlockSenders } from './block-senders.ts'
import { ChainStore, deleteCanonical, writeBlock, writeCanonical, type TxLocation } from './chain-store.ts'
import { ChainError } from './errors.ts'
import { CachedNodeStore } from './node-cache.ts'
import { writeBaseBlock, writeGenesis } from './genesis.ts'
import { cachedView, stateView, type FlatStateView } from './state-view.ts'
import type { HeadEvent } from './chain-reader.ts'
import type { Chain } from './chain-service.ts'
import type { ExecutedBlock, ImportedBlock, ImportOptions, ImportResult } from './block-importer.ts'

export interface BlockchainOptions {
  /** Blocks behind the head whose state stays readable (RPC, side branches). Default 128. */
  stateHistory?: number
  /** A genesis header to use instead of the spec's (block tests). */
  genesisHeader?: Header
  /**
   * The chain starts at this block instead of genesis, with its state supplied by the store
   * (fork mode: src/remote's fork store reads it from the upstream). Written with an empty body.
   */
  baseBlock?: Header
  /** fsync each block's batch (default false: survives a process crash, not a power loss). */
  syncWrites?: boolean
  /** Which rule names a transaction that breaks several (the executor's `RuleOrder`); block
   *  tests filled by geth name geth's. Default: the execution-specs'. */
  ruleOrder?: RuleOrder
}

interface HeadMove {
  event: HeadEvent
  /** Change sets written to the flat tables, in order. */
  flat: [ChangeSet, 'undo' | 'redo'][]
}

interface Pending {
  block: Block
  changes: ChangeSet
  receipts?: Receipt[]
}

/** Past states' views kept (see `pastViews`). */
const PAST_VIEWS = 4
/** Account and slot changes kept decoded (see `decodedChangeSets`). */
const DECODED_CHANGES = 200_000

/** Blocks stored off the head whose execution is kept for the head move (see `unheaded`). */
const MAX_UNHEADED = 16

export class Blockchain implements Chain {
  store: ChainStore
  nodes: TrieNodeStore
  private nodeCache: CachedNodeStore
  private headHeader: Header
  private headHash: Hash
  private headView: FlatStateView | undefined
  /**
   * Views of past blocks' state, oldest out: building one undoes every change set from the
   * head down, and traces ask for one block's parent state several times in a row (each
   * transaction of a block, each tracer). Built on the head's flat state, so cleared when it moves.
   */
  private readonly pastViews = new Map<string, FlatStateView>()
  /** Stored change sets decoded (oldest out): a past view undoes every one from the head down, and decoding is most of its cost. */
  private readonly decodedChangeSets = new Map<string, { cs: ChangeSet; weight: number }>()
  private decodedWeight = 0
  private flat: CachedFlatState
  private readonly listeners = new Set<(e: HeadEvent) => void>()
  private readonly importListeners = new Set<(e: ImportedBlock) => void>()
  /**
   * The last blocks stored with `setHead: false` (the Engine API's newPayload), with their
   * change sets and receipts: the forkchoiceUpdated that usually follows moves the head to them
   * without reading them back from the database. Oldest out after MAX_UNHEADED.
   */
  private readonly unheaded = new Map<string, Pending>()
  /** The safe and finalized markers as stored (read once at open). */
  private readonly markers: Partial<Record<'safe' | 'finalized', Hash>>
  private readonly stateHistory: number
  private readonly syncWrites: boolean
  private readonly ruleOrder: RuleOrder | undefined

  private currentSpec: ChainSpec

  private constructor(readonly db: KeyValueStore, spec: ChainSpec, opts: BlockchainOptions) {
    const chainId = db.get(MetaKeys.chainId)
    this.currentSpec = chainId ? withChainId(spec, BigInt(new TextDecoder().decode(chainId))) : spec
    this.store = new ChainStore(db)
    this.nodeCache = new CachedNodeStore(db)
    this.nodes = this.nodeCache
    this.flat = new CachedFlatState(db)
    this.stateHistory = opts.stateHistory ?? 128
    this.syncWrites = opts.syncWrites ?? false
    this.ruleOrder = opts.ruleOrder
    const head = this.store.marker('head')
    const header = head && this.store.header(head)
    if (!head || !header) throw new ChainError('CORRUPT_DATABASE', 'the head block is missing', 'the database was not initialised or is damaged')
    this.headHash = head
    this.headHeader = header
    this.markers = { safe: this.store.marker('safe'), finalized: this.store.marker('finalized') }
  }

  /**
   * Opens the chain on `db`, writing genesis into an empty store. A store of another layout
   * version or another genesis is refused with a ChainError.
   */
  static open(db: KeyValueStore, spec: ChainSpec, opts: BlockchainOptions = {}): Blockchain {
    const version = db.get(MetaKeys.schemaVersion)
    if (!version) {
      for (const _ of db.iterate({ limit: 1 }))
        throw new ChainError('INCOMPATIBLE_DATABASE', 'the data directory holds data that is not a Mosaic chain', 'choose an empty --datadir')
      if (opts.baseBlock) writeBaseBlock(db, opts.baseBlock)
      else writeGenesis(db, spec, opts.genesisHeader)
    } else if (decodeNumber(version) !== BigInt(SCHEMA_VERSION)) {
      throw new ChainError(
        'INCOMPATIBLE_DATABASE',
        `the data directory was written with storage layout ${decodeNumber(version)}; this build reads layout ${SCHEMA_VERSION}`,
        'use another --datadir, or remove this one to sync again',
      )
    }
    const chain = new Blockchain(db, spec, opts)
    const first = opts.baseBlock?.number ?? 0n
    const stored = chain.store.canonicalHash(first)
    const expected = opts.baseBlock ? headerHash(opts.baseBlock) : opts.genesisHeader ? headerHash(opts.genesisHeader) : genesisHash(spec)
    if (!stored || !equalBytes(stored, expected))
      throw new ChainError('GENESIS_MISMATCH', `the data directory holds another chain (genesis ${stored ? bytesToHex(stored) : 'none'}, ${spec.name} has ${bytesToHex(expected)})`, 'use the matching --chain, or another --datadir')
    return chain
  }

  /** The chain's spec, with the chain id anvil_setChainId set when it did. */
  get spec(): ChainSpec {
    return this.currentSpec
  }

  /** Puts `chainId` in force from the next block on (anvil_setChainId), durably. */
  setChainId(chainId: bigint): void {
    this.db.put(MetaKeys.chainId, new TextEncoder().encode(chainId.toString()))
    this.currentSpec = withChainId(this.currentSpec, chainId)
  }

  /**
   * Starts the chain over at `baseBlock` on a store the caller has emptied (fork mode's
   * anvil_reset: a new fork block). Caches are dropped; listeners get a head event with the
   * new base as the only block, so the pool re-checks its transactions against its state.
   */
  rebase(baseBlock: Header): void {
    writeBaseBlock(this.db, baseBlock)
    this.store = new ChainStore(this.db)
    this.nodeCache = new CachedNodeStore(this.db)
    this.nodes = this.nodeCache
    this.flat = new CachedFlatState(this.db)
    this.unheaded.clear()
    this.decodedChangeSets.clear()
    this.decodedWeight = 0
    const block: Block = { header: baseBlock, transactions: [], ommers: [], ...(baseBlock.withdrawalsRoot ? { withdrawals: [] } : {}) }
    this.afterHeadMove(headerHash(baseBlock), baseBlock, { event: { block, receipts: [], added: [{ block, receipts: [] }], removed: [] }, flat: [] })
  }

  // --- reads (ChainReader) ---
  head(): Header {
    return this.headHeader
  }
  headBlockHash(): Hash {
    return this.headHash
  }
  headerByNumber(number: bigint): Header | undefined {
    const h = this.canonicalHash(number)
    return h && this.store.header(h)
  }
  headerByHash(hash: Hash): Header | undefined {
    return this.store.header(hash)
  }
  blockByHash(hash: Hash): Block | undefined {
    return this.store.block(hash)
  }
  blockByNumber(number: bigint): Block | undefined {
    const h = this.canonicalHash(number)
    return h && this.store.block(h)
  }
  canonicalHash(number: bigint): Hash | undefined {
    // the canonical index ends at the head (a head move removes what lies above it)
    return number > this.headHeader.number ? undefined : this.store.canonicalHash(number)
  }
  isCanonical(hash: Hash, number?: bigint): boolean {
    const n = number ?? this.store.numberOf(hash)
    const c = n === undefined ? undefined : this.canonicalHash(n)
    return c !== undefined && equalBytes(c, hash)
  }
  safe(): Header | undefined {
    const h = this.markers.safe
    return h && this.store.header(h)
  }
  finalized(): Header | undefined {
    const h = this.markers.finalized
    return h && this.store.header(h)
  }
  receipts(blockHash: Hash): Receipt[] | undefined {
    return this.store.receipts(blockHash)
  }
  senders(blockHash: Hash): Address[] | undefined {
    return this.store.senders(blockHash)
  }
  transactionLocation(txHash: Hash): TxLocation | undefined {
    return this.store.transactionLocation(txHash)
  }
  onHead(listener: (e: HeadEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  onImported(listener: (e: ImportedBlock) => void): () => void {
    this.importListeners.add(listener)
    return () => this.importListeners.delete(listener)
  }

  changeSet(number: bigint, hash: Hash): ChangeSet | undefined {
    return this.store.changeSet(number, hash)
  }

  /** The latest flat state (the head's). */
  latestState(): FlatReader {
    return this.flat
  }

  /** The state after `blockHash`, or undefined when it is not kept (more than `stateHistory` behind the head). */
  stateAt(blockHash: Hash): FlatStateView | undefined {
    // the head's view is asked for on nearly every RPC read: one object until the head moves
    if (equalBytes(blockHash, this.headHash)) return (this.headView ??= cachedView(stateView(this.flat, this.headHeader.stateRoot, this.nodes, proveAccount)))
    const key = bytesToHex(blockHash)
    const kept = this.pastViews.get(key)
    if (kept) return kept
    const header = this.store.header(blockHash)
    if (!header) return undefined
    const reader = this.readerAt(blockHash, header)
    if (!reader) return undefined
    const view = stateView(reader, header.stateRoot, this.nodes, proveAccount)
    this.pastViews.set(key, view)
    if (this.pastViews.size > PAST_VIEWS) this.pastViews.delete(this.pastViews.keys().next().value!)
    return view
  }

  /** A flat reader of the state after a stored block: the head's flat state, with change sets undone/redone. */
  private readerAt(hash: Hash, header: Header, pending?: Map<string, Pending>): FlatReader | undefined {
    if (equalBytes(hash, this.headHash)) return this.flat
    const path = this.pathFrom(hash, header, pending)
    if (!path) return undefined
    const overlay = new StateOverlay(this.flat)
    for (const b of path.undo) overlay.undo(this.changeSetOf(b.hash, b.number, pending))
    for (const b of path.redo) overlay.redo(this.changeSetOf(b.hash, b.number, pending))
    return overlay
  }

  private changeSetOf(hash: Hash, number: bigint, pending?: Map<string, Pending>): ChangeSet {
    const key = bytesToHex(hash)
    const p = pending?.get(key)
    if (p) return p.changes
    const kept = this.decodedChangeSets.get(key)
    if (kept) return kept.cs
    const cs = this.store.changeSet(number, hash)
    if (!cs) throw new ChainError('CORRUPT_DATABASE', `the change set of block ${number} is missing`)
    const weight = cs.reduce((n, c) => n + 1 + c.slots.length + c.wiped.length, 0)
    this.decodedChangeSets.set(key, { cs, weight })
    this.decodedWeight += weight
    for (const [k, v] of this.decodedChangeSets) {
      if (this.decodedWeight <= DECODED_CHANGES) break
      this.decodedChangeSets.delete(k)
      this.decodedWeight -= v.weight
    }
    return cs
  }

  /**
   * How to get from the head's state to `hash`'s: canonical blocks to undo (newest first) down
   * to the fork point, then side-branch blocks to redo (oldest first). Undefined when the fork
   * point is more than `stateHistory` behind the head.
   */
  private pathFrom(hash: Hash, header: Header, pending?: Map<string, Pending>): { undo: { hash: Hash; number: bigint }[]; redo: { hash: Hash; number: bigint }[] } | undefined {
    const redo: { hash: Hash; number: bigint }[] = []
    let h = hash
    let hdr: Header | undefined = header
    const floor = this.headHeader.number - BigInt(this.stateHistory)
    while (!this.isCanonical(h, hdr.number) || hdr.number > this.headHeader.number) {
      if (hdr.number <= floor) return undefined
      redo.push({ hash: h, number: hdr.number })
      h = hdr.parentHash
      hdr = pending?.get(bytesToHex(h))?.block.header ?? this.store.header(h)
      if (!hdr) return undefined
    }
    if (hdr.number < floor) return undefined
    const undo: { hash: Hash; number: bigint }[] = []
    for (let n = this.headHeader.number; n > hdr.number; n--) undo.push({ hash: this.canonicalHash(n)!, number: n })
    return { undo, redo: redo.reverse() }
  }

  /** BLOCKHASH for a block whose parent is `parent`: its own ancestry, canonical or not. */
  private ancestorHash(parent: Header, parentHash: Hash, number: bigint): Hash | undefined {
    if (number > parent.number || number < 0n) return undefined
    if (this.isCanonical(parentHash, parent.number)) return this.canonicalHash(number)
    let h: Header | undefined = parent
    let hash = parentHash
    while (h && h.number > number) {
      hash = h.parentHash
      h = this.store.header(hash)
      if (h && this.isCanonical(hash, h.number)) return this.canonicalHash(number)
    }
    return h ? hash : undefined
  }

  // --- import ---
  /**
   * Validates, executes and stores `block`; by default it becomes the head. Throws
   * BlockValidationError for an invalid block (nothing is written).
   */
  importBlock(block: Block, opts: ImportOptions = {}): ImportResult {
    const started = performance.now()
    const header = block.header
    const hash = headerHash(header)
    const setHead = opts.setHead ?? true
    if (this.store.numberOf(hash) !== undefined) {
      if (setHead && !equalBytes(hash, this.headHash)) this.setHead(hash)
      return { hash, status: 'known' }
    }
    const parent = this.store.header(header.parentHash)
    if (!parent) throw new BlockValidationError(header.parentHash.every((b) => b === 0) ? 'UNKNOWN_PARENT_ZERO' : 'UNKNOWN_PARENT', `parent ${bytesToHex(header.parentHash)} of block ${header.number} is not known`)
    // a block that carries a chain id change runs under it (./block-edits.ts)
    const spec = opts.edits?.chainId === undefined ? this.spec : withChainId(this.spec, opts.edits.chainId)
    const fork = forkAt(spec, header.number, header.timestamp)
    const blob = blobParamsAt(spec, header.timestamp)
    // recovered in the background while the block is checked and executed (block-senders.ts)
    const recovery = new BlockSenders(block, opts.senders)
    let result: BlockResult
    let senders: Address[]
    let base: FlatReader | undefined
    let state: JournaledState
    try {
      validateHeader(header, parent, { fork, blob })
      validateBody(header, block, { fork })
      base = this.readerAt(header.parentHash, parent)
      if (!base) {
        throw (
          recovery.signatureError() ??
          new ChainError('STATE_UNAVAILABLE', `the state of block ${parent.number} is no longer kept`, `its branch forks more than ${this.stateHistory} blocks behind the head`)
        )
      }
      state = new JournaledState(base, {
        block: blockEnvOf(header, spec.chainId, blob),
        blockHash: (n) => this.ancestorHash(parent, header.parentHash, n),
      })
      if (opts.edits) applyBlockEdits(state, opts.edits)
      ;({ result, senders } = recovery.execute(state, block, { spec, fork, blob, order: this.ruleOrder }))
    } finally {
      recovery.done()
    }
    const { changes, codes } = changeSetOf(state.blockDiff(), base)
    const commit = commitChangeSet(this.nodes, parent.stateRoot, changes)
    checkBlockResult(block, result, { stateRoot: commit.stateRoot, rootsFromBody: opts.rootsFromBody, blob })

    const executionSeconds = (performance.now() - started) / 1000
    const executed: ExecutedBlock = { block, hash, receipts: result.receipts, senders, changes, codes, nodes: commit.nodes, executionSeconds, edits: opts.edits }
    this.insertExecuted(executed, { setHead })
    return { hash, status: 'imported', result }
  }

  /**
   * Stores a block that was executed against its parent's state already (by `importBlock`, or
   * by the block builder), in one batch; makes it the head unless `setHead` is false.
   */
  insertExecuted(x: ExecutedBlock, opts: ImportOptions = {}): void {
    const started = performance.now()
    const batch = this.db.batch()
    for (const [h, rlp] of x.nodes) batch.put(trieNodeKey(h), rlp)
    writeBlock(batch, x.block, x.receipts, x.senders, x.changes)
    if (x.edits && hasEdits(x.edits)) putBlockEdits(batch, x.block.header.number, x.hash, x.edits)
    // Code is content-addressed: write it whether or not the block becomes canonical.
    writeChangeSet(batch, [], 'redo', x.codes)
    let move: HeadMove | undefined
    if (opts.setHead ?? true) {
      const pending = new Map([[bytesToHex(x.hash), { block: x.block, changes: x.changes }]])
      move = this.moveHead(batch, x.hash, x.block.header, pending, x.receipts)
    }
    batch.write({ sync: this.syncWrites })
    if (x.edits?.chainId !== undefined && x.edits.chainId !== this.spec.chainId) this.setChainId(x.edits.chainId)
    this.store.cacheHeader(x.hash, x.block.header)
    if (!move) {
      this.unheaded.set(bytesToHex(x.hash), { block: x.block, changes: x.changes, receipts: x.receipts })
      if (this.unheaded.size > MAX_UNHEADED) this.unheaded.delete(this.unheaded.keys().next().value!)
    }
    this.nodeCache.add(x.nodes)
    const commitSeconds = (performance.now() - started) / 1000
    if (move) this.afterHeadMove(x.hash, x.block.header, move)
    if (this.importListeners.size > 0) notify(this.importListeners, { header: x.block.header, executionSeconds: x.executionSeconds, commitSeconds })
  }

  /** The state after a stored block as a flat reader (the base a builder executes on), or undefined when not kept. */
  stateReaderAt(hash: Hash): FlatReader | undefined {
    const header = this.store.header(hash)
    return header && this.readerAt(hash, header)
  }

  /** BLOCKHASH as seen by a child of `parentHash`. */
  blockHashFn(parentHash: Hash): (n: bigint) => Hash | undefined {
    const parent = this.store.header(parentHash)
    return (n) => (parent ? this.ancestorHash(parent, parentHash, n) : undefined)
  }

  /** Makes a stored block the canonical head (forkchoice), reorganising if it is on another branch. */
  setHead(hash: Hash): void {
    this.setForkchoice({ head: hash })
  }
  setSafe(hash: Hash): void {
    this.setForkchoice({ safe: hash })
  }
  setFinalized(hash: Hash): void {
    this.setForkchoice({ finalized: hash })
  }

  /**
   * Moves the head (reorganising if it is on another branch) and sets the safe and finalized
   * markers, in one batch; what is already so is not written again. All or nothing: an unknown
   * block or an unreachable branch throws ChainError before anything is written.
   */
  setForkchoice(update: { head?: Hash; safe?: Hash; finalized?: Hash }): void {
    const marks: ['safe' | 'finalized', Hash][] = []
    for (const which of ['safe', 'finalized'] as const) {
      const hash = update[which]
      if (!hash || (this.markers[which] && equalBytes(this.markers[which], hash))) continue
      if (!this.store.header(hash)) throw new ChainError('UNKNOWN_BLOCK', `block ${bytesToHex(hash)} is not known`)
      marks.push([which, hash])
    }
    const head = update.head && !equalBytes(update.head, this.headHash) ? update.head : undefined
    const header = head && this.store.header(head)
    if (head && !header) throw new ChainError('UNKNOWN_BLOCK', `block ${bytesToHex(head)} is not known`)
    if (!header && marks.length === 0) return
    const batch = this.db.batch()
    const move = header && this.moveHead(batch, head!, header, this.unheaded)
    for (const [which, hash] of marks) batch.put(MetaKeys[which], hash)
    batch.write({ sync: this.syncWrites })
    for (const [which, hash] of marks) this.markers[which] = hash
    if (move) this.afterHeadMove(head!, header, move)
  }

  /**
   * Writes the canonical moves to `hash` into `batch`: undo the old branch, redo the new one.
   * Returns the head event and the change sets written, for the flat cache once the batch is on disk.
   */
  private moveHead(batch: ReturnType<KeyValueStore['batch']>, hash: Hash, header: Header, pending?: Map<string, Pending>, newReceipts?: Receipt[]): HeadMove {
    const path = this.pathFrom(hash, header, pending)
    if (!path) throw new ChainError('STATE_UNAVAILABLE', `cannot move the head to block ${header.number}`, `its branch forks more than ${this.stateHistory} blocks behind the head`)
    const removed: HeadEvent['removed'] = []
    const added: HeadEvent['added'] = []
    const flat: HeadMove['flat'] = []
    for (const b of path.undo) {
      const block = this.store.block(b.hash)!
      const cs = this.changeSetOf(b.hash, b.number)
      writeChangeSet(batch, cs, 'undo')
      flat.push([cs, 'undo'])
      deleteCanonical(batch, block)
      removed.push({ block, receipts: this.store.receipts(b.hash) ?? [], changes: cs })
    }
    for (const b of path.redo) {
      const p = pending?.get(bytesToHex(b.hash))
      const block = p?.block ?? this.store.block(b.hash)!
      const cs = this.changeSetOf(b.hash, b.number, pending)
      writeChangeSet(batch, cs, 'redo')
      flat.push([cs, 'redo'])
      writeCanonical(batch, block, b.hash)
      added.push({ block, receipts: (p ? (p.receipts ?? newReceipts) : this.store.receipts(b.hash)) ?? [], changes: cs })
    }
    batch.put(MetaKeys.head, hash)
    const last = added[added.length - 1] ?? { block: this.store.block(hash)!, receipts: this.store.receipts(hash) ?? [] }
    return { event: { block: last.block, receipts: last.receipts, added, removed }, flat }
  }

  /** After the batch of a head move is written: the flat cache, the head, the listeners. */
  private afterHeadMove(hash: Hash, header: Header, move: HeadMove): void {
    for (const [cs, dir] of move.flat) this.flat.apply(cs, dir)
    const event = move.event
    for (const r of event.removed) this.store.cacheCanonical(r.block.header.number, undefined)
    for (const a of event.added) this.store.cacheCanonical(a.block.header.number, headerHash(a.block.header))
    this.headHash = hash
    this.headHeader = header
    this.headView = undefined
    this.pastViews.clear()
    notify(this.listeners, event)
  }
}

function notify<E>(listeners: Set<(e: E) => void>, event: E): void {
  for (const l of listeners) {
    try {
      l(event)
    } catch {
      // a listener's failure must not break import
    }
  }
}

const withChainId = (spec: ChainSpec, chainId: bigint): ChainSpec => ({ ...spec, chainId, networkId: chainId })
