/**
 * Block building: a child of a stored block from candidate transactions, executed once while
 * they are chosen (an invalid or non-fitting transaction is skipped and reported), then closed
 * with withdrawals and requests, and sealed with every root. The result is handed to
 * `Blockchain.insertExecuted`, so the block is not executed a second time.
 *
 * Consumers: dev-mode mining, the Engine API's getPayload.
 */
import { ChainError, type BlockImporter, type ChainReader, type ExecutedBlock, type ForkChoice } from '../blockchain/index.ts'
import {
  applyBlockPrelude,
  blockEnvOf,
  executeTransaction,
  finishBlock,
  GAS_PER_BLOB,
  InvalidTransactionError,
  transactionsRoot,
  withdrawalsRoot,
  type TransactionResult,
} from '../executor/index.ts'
import type { Address, Hash } from '../primitives/index.ts'
import { changeSetOf, commitChangeSet, JournaledState } from '../state/index.ts'
import { headerHash, isForkAtLeast, type Block, type Receipt, type Transaction } from '../types/index.ts'
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
  /** Applied to the state before the first transaction (dev-mode edits). */
  prepare?: (state: JournaledState) => void
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

export function buildBlock(chain: BuildChain, candidates: Iterable<Candidate>, opts: BuildOptions): BuiltBlock {
  const parentHash = opts.parentHash ?? chain.headBlockHash()
  const parent = chain.headerByHash(parentHash)
  if (!parent) throw new ChainError('UNKNOWN_BLOCK', `cannot build on unknown block ${Buffer.from(parentHash).toString('hex')}`)
  const base = chain.stateReaderAt(parentHash)
  if (!base) throw new ChainError('STATE_UNAVAILABLE', `the state of block ${parent.number} is no longer kept`)
  const spec = chain.spec
  const { header, fork, blob } = nextHeaderTemplate(parent, spec, { ...opts, feeRecipient: opts.coinbase }, parentHash)

  const state = new JournaledState(base, { block: blockEnvOf(header, spec.chainId, blob), blockHash: chain.blockHashFn(parentHash) })
  if (opts.prepare) {
    state.beginTransaction({ origin: new Uint8Array(20), gasPrice: 0n, blobHashes: [] })
    opts.prepare(state)
    state.finalizeTransaction()
  }
  applyBlockPrelude(state, header, fork)

  const env = blockEnvOf(header, spec.chainId, blob)
  const txs: Transaction[] = []
  const senders: Address[] = []
  const receipts: Receipt[] = []
  const results: TransactionResult[] = []
  const skipped: BuiltBlock['skipped'] = []
  let gasUsed = 0n
  let blobGasUsed = 0n
  const maxBlobGas = blob ? BigInt(blob.max) * GAS_PER_BLOB : 0n
  for (const c of candidates) {
    if (header.gasLimit - gasUsed < MIN_TX_GAS) break
    if (c.tx.gasLimit > header.gasLimit - gasUsed) continue
    if (c.tx.type === 3 && blobGasUsed + GAS_PER_BLOB * BigInt(c.tx.blobVersionedHashes.length) > maxBlobGas) continue
    try {
      const r = executeTransaction(state, c.tx, c.sender, env, fork, { blockGasUsed: gasUsed, blockBlobGasUsed: blobGasUsed })
      gasUsed += r.gasUsed
      blobGasUsed += r.blobGasUsed
      txs.push(c.tx)
      senders.push(c.sender)
      receipts.push(r.receipt)
      results.push(r)
    } catch (e) {
      if (!(e instanceof InvalidTransactionError)) throw e
      skipped.push({ candidate: c, error: e })
    }
  }

  const withdrawals = isForkAtLeast(fork, 'shanghai') ? (opts.withdrawals ?? []) : undefined
  const closed = finishBlock(state, withdrawals, receipts, { spec, fork, blob })
  const { changes, codes } = changeSetOf(state.blockDiff(), base)
  const commit = commitChangeSet(chain.nodes, parent.stateRoot, changes)

  const body = { transactions: txs, ommers: [], ...(withdrawals ? { withdrawals } : {}) }
  header.stateRoot = commit.stateRoot
  header.transactionsRoot = transactionsRoot(body)
  header.receiptsRoot = closed.receiptsRoot
  header.logsBloom = closed.logsBloom
  header.gasUsed = gasUsed
  if (withdrawals) header.withdrawalsRoot = withdrawalsRoot(body)
  if (header.blobGasUsed !== undefined) header.blobGasUsed = blobGasUsed
  if (closed.requestsHash) header.requestsHash = closed.requestsHash

  const block: Block = { header, ...body }
  return { executed: { block, hash: headerHash(header), receipts, senders, changes, codes, nodes: commit.nodes }, results, skipped, requests: closed.requests }
}
