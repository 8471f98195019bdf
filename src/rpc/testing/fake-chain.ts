/**
 * An in-memory chain for RPC tests: genesis from a chain spec, blocks built by running
 * transactions through src/executor (no system calls), a MemoryState per block, reorgs on
 * demand. Implements `ChainReader`; not a node — no validation beyond the executor's.
 */
import { forkAt, genesisHeader, blobParamsAt, type ChainSpec } from '../../chainspec/index.ts'
import { defaultBlobParams, executeTransaction, InvalidTransactionError, nextBaseFee, nextExcessBlobGas, transactionsRoot, type BlockEnv } from '../../executor/index.ts'
import { bigintToWord, bytesToBigint, bytesToHex, encodeRlp, hexToBytes, type Address, type Hash } from '../../primitives/index.ts'
import { keccak256 } from '../../crypto/index.ts'
import { JournaledState, MemoryState } from '../../state/index.ts'
import { createProof, EMPTY_TRIE_ROOT, orderedTrieRoot, Trie } from '../../trie/index.ts'
import { bloomOr, createBloom, EMPTY_REQUESTS_HASH, encodeReceipt, headerHash, isForkAtLeast, transactionHash, type Block, type Header, type Receipt, type Transaction } from '../../types/index.ts'
import type { AccountProof, ChainReader, HeadEvent, StateView, TxLocation } from '../backend.ts'
import { headerBlobBaseFee } from '../exec/env.ts'

interface Stored {
  block: Block
  receipts: Receipt[]
  senders: Address[]
  state: MemoryState
}

/** A MemoryState as a StateView, with proofs from tries built on demand. */
export function stateView(state: MemoryState): StateView {
  const account = (a: { nonce: bigint; balance: bigint; code: Uint8Array; storage: Map<bigint, bigint> }) => {
    const t = new Trie({ secure: true })
    for (const [k, v] of a.storage) if (v !== 0n) t.put(bigintToWord(k), encodeRlp(v))
    return { storageTrie: t, rlp: encodeRlp([a.nonce, a.balance, t.root(), keccak256(a.code)]) }
  }
  return {
    getAccount: (a) => state.getAccount(a),
    getStorage: (a, k) => state.getStorage(a, k),
    hasStorage: (a) => state.hasStorage(a),
    get stateRoot() {
      return state.stateRoot()
    },
    proof(address, slots): AccountProof {
      const t = new Trie({ secure: true })
      let target: ReturnType<typeof account> | undefined
      for (const [k, a] of state.accounts) {
        const acc = account(a)
        t.put(hexToBytes(k), acc.rlp)
        if (k.replace(/^0x/, '') === bytesToHex(address).slice(2)) target = acc
      }
      const info = state.getAccount(address)
      const storageTrie = target?.storageTrie ?? new Trie({ secure: true })
      return {
        address,
        nonce: info?.nonce ?? 0n,
        balance: info?.balance ?? 0n,
        codeHash: keccak256(info?.code ?? new Uint8Array(0)),
        storageHash: target ? storageTrie.root() : EMPTY_TRIE_ROOT,
        accountProof: createProof(t, address),
        storageProof: slots.map((key) => ({ key, value: state.getStorage(address, key), proof: createProof(storageTrie, bigintToWord(key)) })),
      }
    },
  }
}

export class FakeChain implements ChainReader {
  readonly spec: ChainSpec
  private readonly byHash = new Map<string, Stored>()
  private canonical: Hash[] = []
  private readonly txIndex = new Map<string, TxLocation>()
  private readonly listeners = new Set<(e: HeadEvent) => void>()
  private safeNumber?: bigint
  private finalizedNumber?: bigint

  constructor(spec: ChainSpec, alloc?: MemoryState) {
    this.spec = spec
    const state = alloc ?? new MemoryState()
    if (!alloc) for (const [addr, a] of spec.alloc()) state.setAccount(hexToBytes(addr), a)
    const header = genesisHeader(spec, state.stateRoot())
    const block: Block = { header, transactions: [], ommers: [], withdrawals: header.withdrawalsRoot ? [] : undefined }
    this.store({ block, receipts: [], senders: [], state })
    this.canonical.push(headerHash(header))
  }

  private store(s: Stored): void {
    this.byHash.set(bytesToHex(headerHash(s.block.header)), s)
  }
  private get(hash: Hash): Stored | undefined {
    return this.byHash.get(bytesToHex(hash))
  }

  head(): Header {
    return this.get(this.canonical.at(-1)!)!.block.header
  }
  headState(): MemoryState {
    return this.get(this.canonical.at(-1)!)!.state
  }
  headerByNumber(n: bigint): Header | undefined {
    const h = this.canonical[Number(n)]
    return n >= 0n && h ? this.get(h)?.block.header : undefined
  }
  headerByHash(hash: Hash): Header | undefined {
    return this.get(hash)?.block.header
  }
  blockByHash(hash: Hash): Block | undefined {
    return this.get(hash)?.block
  }
  canonicalHash(n: bigint): Hash | undefined {
    return n >= 0n ? this.canonical[Number(n)] : undefined
  }
  safe(): Header | undefined {
    return this.safeNumber === undefined ? undefined : this.headerByNumber(this.safeNumber)
  }
  finalized(): Header | undefined {
    return this.finalizedNumber === undefined ? undefined : this.headerByNumber(this.finalizedNumber)
  }
  setSafeFinalized(safe: bigint, finalized: bigint): void {
    this.safeNumber = safe
    this.finalizedNumber = finalized
  }
  receipts(hash: Hash): Receipt[] | undefined {
    return this.get(hash)?.receipts
  }
  senders(hash: Hash): Address[] | undefined {
    return this.get(hash)?.senders
  }
  transactionLocation(txHash: Hash): TxLocation | undefined {
    return this.txIndex.get(bytesToHex(txHash))
  }
  stateAt(hash: Hash): StateView | undefined {
    const s = this.get(hash)
    return s ? stateView(s.state) : undefined
  }
  onHead(listener: (e: HeadEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Builds a block on the canonical head (or on block `parentNumber`, dropping the blocks above
   * it: a reorg) from `txs`; invalid transactions are left out. Emits the head event.
   */
  mine(txs: { tx: Transaction; sender: Address }[], opts: { timestamp?: bigint; coinbase?: Address; parentNumber?: bigint } = {}): Block {
    const parentNumber = opts.parentNumber ?? this.head().number
    const parentStored = this.get(this.canonical[Number(parentNumber)]!)!
    const parent = parentStored.block.header
    const number = parent.number + 1n
    const timestamp = opts.timestamp ?? parent.timestamp + 12n
    const fork = forkAt(this.spec, number, timestamp)
    const blob = blobParamsAt(this.spec, timestamp) ?? defaultBlobParams(fork)
    const header: Header = {
      parentHash: headerHash(parent), ommersHash: parent.ommersHash, coinbase: opts.coinbase ?? new Uint8Array(20), stateRoot: EMPTY_TRIE_ROOT,
      transactionsRoot: EMPTY_TRIE_ROOT, receiptsRoot: EMPTY_TRIE_ROOT, logsBloom: createBloom(), difficulty: 0n, number, gasLimit: parent.gasLimit,
      gasUsed: 0n, timestamp, extraData: new Uint8Array(0), mixHash: bigintToWord(number), nonce: new Uint8Array(8),
    }
    if (isForkAtLeast(fork, 'london')) header.baseFeePerGas = nextBaseFee(parent)
    if (isForkAtLeast(fork, 'shanghai')) header.withdrawalsRoot = EMPTY_TRIE_ROOT
    if (isForkAtLeast(fork, 'cancun')) {
      header.blobGasUsed = 0n
      header.excessBlobGas = nextExcessBlobGas(parent, blob, fork)
      header.parentBeaconBlockRoot = new Uint8Array(32)
    }
    if (isForkAtLeast(fork, 'prague')) header.requestsHash = EMPTY_REQUESTS_HASH
    const env: BlockEnv = {
      coinbase: header.coinbase, number, timestamp, gasLimit: header.gasLimit, baseFee: header.baseFeePerGas ?? 0n,
      prevRandao: bytesToBigint(header.mixHash), blobBaseFee: headerBlobBaseFee(this.spec, header) ?? 0n, chainId: this.spec.chainId,
    }
    const js = new JournaledState(parentStored.state, { block: { ...env }, blockHash: (n) => (n <= parentNumber ? this.canonical[Number(n)] : undefined) })
    const included: Transaction[] = [], senders: Address[] = [], receipts: Receipt[] = []
    let gasUsed = 0n, blobGasUsed = 0n
    for (const { tx, sender } of txs) {
      try {
        const r = executeTransaction(js, tx, sender, env, fork, { blockGasUsed: gasUsed, blockBlobGasUsed: blobGasUsed })
        included.push(tx)
        senders.push(sender)
        receipts.push(r.receipt)
        gasUsed += r.gasUsed
        blobGasUsed += r.blobGasUsed
      } catch (e) {
        if (!(e instanceof InvalidTransactionError)) throw e
      }
    }
    const state = parentStored.state.clone()
    state.apply(js.blockDiff())
    header.gasUsed = gasUsed
    if (header.blobGasUsed !== undefined) header.blobGasUsed = blobGasUsed
    header.stateRoot = state.stateRoot()
    header.transactionsRoot = transactionsRoot({ transactions: included, ommers: [] })
    header.receiptsRoot = orderedTrieRoot(receipts.map(encodeReceipt))
    for (const r of receipts) bloomOr(header.logsBloom, r.logsBloom)
    const block: Block = { header, transactions: included, ommers: [], withdrawals: header.withdrawalsRoot ? [] : undefined }
    this.store({ block, receipts, senders, state })
    const removed = this.canonical.splice(Number(number)).reverse().map((h) => this.get(h)!)
    for (const r of removed) for (const tx of r.block.transactions) this.txIndex.delete(bytesToHex(transactionHash(tx)))
    this.canonical.push(headerHash(header))
    included.forEach((tx, index) => this.txIndex.set(bytesToHex(transactionHash(tx)), { blockHash: headerHash(header), blockNumber: number, index }))
    const e: HeadEvent = { block, receipts, added: [{ block, receipts }], removed: removed.map((r) => ({ block: r.block, receipts: r.receipts })) }
    for (const l of this.listeners) l(e)
    return block
  }

  /** Drops the canonical blocks above `number` (dev revert); no head event. */
  truncate(number: bigint): void {
    for (const h of this.canonical.splice(Number(number) + 1)) for (const tx of this.get(h)!.block.transactions) this.txIndex.delete(bytesToHex(transactionHash(tx)))
  }
}
