/**
 * Block building: a child of a stored block from candidate transactions, executed once while
 * they are chosen (an invalid or non-fitting transaction is skipped and reported), then closed
 * with withdrawals and requests, and sealed with every root. The result is handed to
 * `Blockchain.insertExecuted`, so the block is not executed a second time.
 *
 * Consumers: dev-mode mining, the Engine API's getPayload.
 */
import { applyBlockEdits, ChainError, type BlockEdits, type BlockImporter, type ChainReader, type ExecutedBlock, type ForkChoice } from '../blockchain/index.ts'
import {
  applyBlockPrelude,
  blockEnvOf,
  executeTransaction,
  finishBlock,
  GAS_PER_BLOB,
  type BlockEnv,
  InvalidTransactionError,
  transactionsRoot,
  withdrawalsRoot,
  type TransactionResult,
} from '../executor/index.ts'
import type { SignatureOverrides } from '../evm/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import { changeSetOf, commitChangeSet, JournaledState, type AccountReader } from '../state/index.ts'
import { headerHash, isForkAtLeast, type Block, type ForkName, type Header, type Receipt, type Transaction } from '../types/index.ts'
import { nextHeaderTemplate, type PayloadAttributes } from './next-header.ts'

export interface Candidate {
  tx: Transaction
  sender: Address
}

/** The payload attributes (./next-header.ts), with the fee recipient as `coinbase`. */
export interface BuildOptions extends Omit<PayloadAttributes, 'feeRecipient'> {
  /** Parent block (default: the head). */
  parentHash?: Hash
  /** Fee recipient. */
  coinbase: Address
  /** Dev-mode edits: applied before the first transaction, and stored beside the block. */
  edits?: BlockEdits
  /** A dev node's ecrecover overrides (anvil_impersonateSignature), for the block's executions. */
  signatures?: SignatureOverrides
  /** Fills the top of the block, before any candidate (bundles, src/bundles); runs once the block is open. */
  top?: (builder: BlockBuilder) => void
}

/** Where a build stands, for work that tries transactions before adding them (./BlockBuilder.scratch). */
export interface BuildPosition {
  /** A throwaway state reading through the block so far: changes to it never reach the block. */
  state: JournaledState
  env: BlockEnv
  fork: ForkName
  gasUsed: bigint
  blobGasUsed: bigint
}

export interface BuiltBlock {
  executed: ExecutedBlock
  results: TransactionResult[]
  /** Candidates left out, with why. */
  skipped: { candidate: Candidate; error: InvalidTransactionError }[]
  /** Prague on (EIP-7685): the block's requests, `type || data` by type (getPayloadV4's executionRequests). */
  requests?: Uint8Array[]
}

const MIN_TX_GAS = 21_000n

/** What building needs of the chain. */
export type BuildChain = Pick<ChainReader, 'spec' | 'headerByHash'> & Pick<ForkChoice, 'headBlockHash'> & Pick<BlockImporter, 'stateReaderAt' | 'blockHashFn' | 'nodes'>

/** The whole build in one call: every candidate offered in order, then sealed. */
export function buildBlock(chain: BuildChain, candidates: Iterable<Candidate>, opts: BuildOptions): BuiltBlock {
  const b = new BlockBuilder(chain, opts)
  for (const c of candidates) if (!b.add(c)) break
  return b.seal()
}

/**
 * A build in steps, for producers that must answer while building (the Engine API's builder
 * yields between batches of transactions and seals what it has when getPayload comes):
 * the constructor opens the block (system calls), `add` executes one candidate, `seal` closes
 * the block (withdrawals, requests) and computes every root. Nothing may be added after `seal`.
 */
export class BlockBuilder {
  private readonly chain: BuildChain
  private readonly opts: BuildOptions
  private readonly base: NonNullable<ReturnType<BuildChain['stateReaderAt']>>
  private readonly parent: Header
  private readonly header: Header
  private readonly fork: ReturnType<typeof nextHeaderTemplate>['fork']
  private readonly blob: ReturnType<typeof nextHeaderTemplate>['blob']
  private readonly state: JournaledState
  private readonly blockHash: (n: bigint) => Hash | undefined
  private readonly env: ReturnType<typeof blockEnvOf>
  private readonly maxBlobGas: bigint
  private readonly txs: Transaction[] = []
  private readonly senders: Address[] = []
  private readonly receipts: Receipt[] = []
  private readonly results: TransactionResult[] = []
  private readonly skipped: BuiltBlock['skipped'] = []
  private gasUsed = 0n
  private blobGasUsed = 0n
  private sealed = false
  /** Milliseconds spent executing so far (not the waits between steps of an Engine API build), for metrics. */
  private busyMs = 0

  constructor(chain: BuildChain, opts: BuildOptions) {
    const started = performance.now()
    const parentHash = opts.parentHash ?? chain.headBlockHash()
    const parent = chain.headerByHash(parentHash)
    if (!parent) throw new ChainError('UNKNOWN_BLOCK', `cannot build on unknown block ${Buffer.from(parentHash).toString('hex')}`)
    const base = chain.stateReaderAt(parentHash)
    if (!base) throw new ChainError('STATE_UNAVAILABLE', `the state of block ${parent.number} is no longer kept`)
    const { header, fork, blob } = nextHeaderTemplate(parent, chain.spec, { ...opts, feeRecipient: opts.coinbase }, parentHash)
    this.chain = chain
    this.opts = opts
    this.base = base
    this.parent = parent
    this.header = header
    this.fork = fork
    this.blob = blob
    this.env = blockEnvOf(header, chain.spec.chainId, blob)
    this.maxBlobGas = blob ? BigInt(blob.max) * GAS_PER_BLOB : 0n
    this.blockHash = chain.blockHashFn(parentHash)
    this.state = new JournaledState(base, { block: this.env, blockHash: this.blockHash, signatures: opts.signatures })
    if (opts.edits) applyBlockEdits(this.state, opts.edits)
    applyBlockPrelude(this.state, header, fork)
    this.busyMs = performance.now() - started
    opts.top?.(this)
  }

  /** The header being built (number, timestamp, fee recipient, base fee; roots once sealed). */
  get next(): Readonly<Header> {
    return this.header
  }

  /** A throwaway state over the block so far, to try transactions on before `add`ing them (bundles, atomically). */
  scratch(): BuildPosition {
    const s = this.state
    const through: AccountReader = {
      getAccount: (a) => (s.exists(a) ? { nonce: s.getNonce(a), balance: s.getBalance(a), code: s.getCode(a) } : undefined),
      getStorage: (a, k) => s.getStorage(a, k),
      hasStorage: (a) => s.hasStorage(a),
    }
    const state = new JournaledState(through, { block: this.env, blockHash: this.blockHash, signatures: this.opts.signatures })
    return { state, env: this.env, fork: this.fork, gasUsed: this.gasUsed, blobGasUsed: this.blobGasUsed }
  }

  /** Transactions included so far. */
  get count(): number {
    return this.txs.length
  }

  /**
   * Offers one candidate: executed and included when it fits and is valid, else skipped (an
   * invalid one is reported in `skipped`). False once the block cannot take another transaction.
   */
  add(c: Candidate): boolean {
    if (this.sealed) throw new Error('BlockBuilder.add after seal') // invariant: callers stop at seal
    const room = this.header.gasLimit - this.gasUsed
    if (room < MIN_TX_GAS) return false
    if (c.tx.gasLimit > room) return true
    if (c.tx.type === 3 && this.blobGasUsed + GAS_PER_BLOB * BigInt(c.tx.blobVersionedHashes.length) > this.maxBlobGas) return true
    const started = performance.now()
    try {
      const r = executeTransaction(this.state, c.tx, c.sender, this.env, this.fork, { blockGasUsed: this.gasUsed, blockBlobGasUsed: this.blobGasUsed })
      this.gasUsed += r.gasUsed
      this.blobGasUsed += r.blobGasUsed
      this.txs.push(c.tx)
      this.senders.push(c.sender)
      this.receipts.push(r.receipt)
      this.results.push(r)
    } catch (e) {
      if (!(e instanceof InvalidTransactionError)) throw e
      this.skipped.push({ candidate: c, error: e })
    } finally {
      this.busyMs += performance.now() - started
    }
    return this.header.gasLimit - this.gasUsed >= MIN_TX_GAS
  }

  /** Closes the block with what was added: withdrawals, requests, every root. */
  seal(): BuiltBlock {
    if (this.sealed) throw new Error('BlockBuilder sealed twice') // invariant: one seal per build
    this.sealed = true
    const started = performance.now()
    const { chain, opts, state, header, fork, blob, base, txs, receipts } = this
    const spec = chain.spec
    const withdrawals = isForkAtLeast(fork, 'shanghai') ? (opts.withdrawals ?? []) : undefined
    const closed = finishBlock(state, withdrawals, receipts, { spec, fork, blob })
    const { changes, codes } = changeSetOf(state.blockDiff(), base)
    const commit = commitChangeSet(chain.nodes, this.parent.stateRoot, changes)

    const body = { transactions: txs, ommers: [], ...(withdrawals ? { withdrawals } : {}) }
    header.stateRoot = commit.stateRoot
    header.transactionsRoot = transactionsRoot(body)
    header.receiptsRoot = closed.receiptsRoot
    header.logsBloom = closed.logsBloom
    header.gasUsed = this.gasUsed
    if (withdrawals) header.withdrawalsRoot = withdrawalsRoot(body)
    if (header.blobGasUsed !== undefined) header.blobGasUsed = this.blobGasUsed
    if (closed.requestsHash) header.requestsHash = closed.requestsHash

    const block: Block = { header, ...body }
    const executionSeconds = (this.busyMs + performance.now() - started) / 1000
    const executed: ExecutedBlock = { block, hash: headerHash(header), receipts, senders: this.senders, changes, codes, nodes: commit.nodes, executionSeconds, edits: opts.edits }
    return { executed, results: this.results, skipped: this.skipped, requests: closed.requests }
  }
}
