/**
 * Block building: a child of a stored block from candidate transactions, executed once while
 * they are chosen (an invalid or non-fitting transaction is skipped and reported), then closed
 * with withdrawals and requests, and sealed with every root. The result is handed to
 * `Blockchain.insertExecuted`, so the block is not executed a second time.
 *
 * Consumers: dev-mode mining, the Engine API's getPayload.
 */
import { ChainError, type Blockchain, type ExecutedBlock } from '../blockchain/index.ts'
import { blobParamsAt, forkAt } from '../chainspec/index.ts'
import {
  applyBlockPrelude,
  blockEnvOf,
  executeTransaction,
  finishBlock,
  GAS_PER_BLOB,
  InvalidTransactionError,
  nextBaseFee,
  nextExcessBlobGas,
  transactionsRoot,
  withdrawalsRoot,
  type TransactionResult,
} from '../executor/index.ts'
import { ZERO_HASH, type Address, type Hash } from '../primitives/index.ts'
import { changeSetOf, commitChangeSet, JournaledState } from '../state/index.ts'
import { EMPTY_OMMERS_HASH, headerHash, isForkAtLeast, type Block, type Header, type Receipt, type Transaction, type Withdrawal } from '../types/index.ts'

export interface Candidate {
  tx: Transaction
  sender: Address
}

export interface BuildOptions {
  /** Parent block (default: the head). */
  parentHash?: Hash
  timestamp: bigint
  /** Fee recipient. */
  coinbase: Address
  prevRandao?: Hash
  /** Default: the parent's. */
  gasLimit?: bigint
  withdrawals?: Withdrawal[]
  parentBeaconBlockRoot?: Hash
  extraData?: Uint8Array
  /** Applied to the state before the first transaction (dev-mode edits). */
  prepare?: (state: JournaledState) => void
}

export interface BuiltBlock {
  executed: ExecutedBlock
  results: TransactionResult[]
  /** Candidates left out, with why. */
  skipped: { candidate: Candidate; error: InvalidTransactionError }[]
}

const MIN_TX_GAS = 21_000n

export function buildBlock(chain: Blockchain, candidates: Iterable<Candidate>, opts: BuildOptions): BuiltBlock {
  const parentHash = opts.parentHash ?? chain.headBlockHash()
  const parent = chain.headerByHash(parentHash)
  if (!parent) throw new ChainError('UNKNOWN_BLOCK', `cannot build on unknown block ${Buffer.from(parentHash).toString('hex')}`)
  const base = chain.stateReaderAt(parentHash)
  if (!base) throw new ChainError('STATE_UNAVAILABLE', `the state of block ${parent.number} is no longer kept`)
  const spec = chain.spec
  const number = parent.number + 1n
  const fork = forkAt(spec, number, opts.timestamp)
  const blob = blobParamsAt(spec, opts.timestamp)

  const header: Header = {
    parentHash,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: opts.coinbase,
    stateRoot: ZERO_HASH,
    transactionsRoot: ZERO_HASH,
    receiptsRoot: ZERO_HASH,
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number,
    gasLimit: opts.gasLimit ?? parent.gasLimit,
    gasUsed: 0n,
    timestamp: opts.timestamp,
    extraData: opts.extraData ?? new Uint8Array(0),
    mixHash: opts.prevRandao ?? ZERO_HASH,
    nonce: new Uint8Array(8),
  }
  if (isForkAtLeast(fork, 'london')) header.baseFeePerGas = nextBaseFee(parent)
  if (isForkAtLeast(fork, 'cancun')) {
    header.excessBlobGas = blob ? nextExcessBlobGas(parent, blob, fork) : 0n
    header.parentBeaconBlockRoot = opts.parentBeaconBlockRoot ?? ZERO_HASH
  }

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
  if (isForkAtLeast(fork, 'cancun')) header.blobGasUsed = blobGasUsed
  if (closed.requestsHash) header.requestsHash = closed.requestsHash

  const block: Block = { header, ...body }
  return { executed: { block, hash: headerHash(header), receipts, senders, changes, codes, nodes: commit.nodes }, results, skipped }
}
