/**
 * Block execution on a journaled state: the pre-block system calls (EIP-4788 beacon root,
 * EIP-2935 parent hash), every transaction in order, withdrawals (EIP-4895), and the
 * execution-layer requests (EIP-6110 deposits from logs, EIP-7002 and EIP-7251 system calls,
 * committed to by EIP-7685's requestsHash). `checkBlockResult` then compares what execution
 * produced with what the header claims; the state root is checked by the caller, which owns
 * the trie. Consumers: block import, dev block production, RPC tracing (replay).
 */
import { type ChainSpec, type BlobParams } from '../chainspec/index.ts'
import { bytesToBigint, bytesToHex, concatBytes, equalBytes, type Address, type Hash } from '../primitives/index.ts'
import type { Tracer } from '../evm/index.ts'
import type { JournaledState } from '../state/index.ts'
import { orderedTrieRoot } from '../trie/index.ts'
import {
  computeRequestsHash,
  CONSOLIDATION_REQUEST_TYPE,
  DEPOSIT_REQUEST_TYPE,
  encodeReceipt,
  isForkAtLeast,
  WITHDRAWAL_REQUEST_TYPE,
  type Block,
  type ForkName,
  type Header,
  type Receipt,
} from '../types/index.ts'
import { transactionsRoot, withdrawalsRoot } from './body-rules.ts'
import { depositRequests } from './deposits.ts'
import { InvalidTransactionError } from './errors.ts'
import { executeTransaction, type RuleOrder, type TransactionResult } from './execute-transaction.ts'
import type { BlockEnv } from './transact.ts'
import { blobBaseFee, BlockValidationError, GAS_PER_BLOB } from './header-rules.ts'
import {
  BEACON_ROOTS_ADDRESS,
  CONSOLIDATION_REQUEST_ADDRESS,
  HISTORY_STORAGE_ADDRESS,
  systemCall,
  WITHDRAWAL_REQUEST_ADDRESS,
} from './system-calls.ts'

const GWEI = 1_000_000_000n

export interface BlockRules {
  spec: ChainSpec
  fork: ForkName
  /** Blob parameters at the block's timestamp (Cancun onward). */
  blob?: BlobParams
  /** Which rule names a transaction that breaks several; the execution-specs' by default. */
  order?: RuleOrder
}

export interface BlockResult {
  receipts: Receipt[]
  transactions: TransactionResult[]
  gasUsed: bigint
  blobGasUsed: bigint
  logsBloom: Uint8Array
  receiptsRoot: Hash
  /** EIP-7685 requests (type || data), Prague onward. */
  requests?: Uint8Array[]
  requestsHash?: Hash
}

/** The EVM's block environment of a header. */
export function blockEnvOf(header: Header, chainId: bigint, blob?: BlobParams): BlockEnv {
  return {
    coinbase: header.coinbase,
    number: header.number,
    timestamp: header.timestamp,
    gasLimit: header.gasLimit,
    baseFee: header.baseFeePerGas ?? 0n,
    prevRandao: bytesToBigint(header.mixHash),
    blobBaseFee: blob && header.excessBlobGas !== undefined ? blobBaseFee(header.excessBlobGas, blob) : 0n,
    chainId,
  }
}

/** Hooks for callers that look inside a block (tracers replaying one transaction). */
export interface BlockHooks {
  /** Before transaction `index` runs; return false to stop the block there. */
  beforeTransaction?(index: number): boolean | void
  /** Observes every transaction's execution (coverage, tracing a whole block). */
  tracer?: Tracer
}

/** Runs the system calls that open a block (EIP-4788, EIP-2935). */
export function applyBlockPrelude(state: JournaledState, header: Header, fork: ForkName): void {
  if (isForkAtLeast(fork, 'cancun') && header.parentBeaconBlockRoot) systemCall(state, fork, BEACON_ROOTS_ADDRESS, header.parentBeaconBlockRoot, false)
  if (isForkAtLeast(fork, 'prague')) systemCall(state, fork, HISTORY_STORAGE_ADDRESS, header.parentHash, false)
}

/**
 * Executes `block` (senders recovered, in order; undefined where recovery failed) on `state`,
 * whose block context must be the block's. Throws BlockValidationError for an invalid
 * transaction or request.
 */
export function executeBlock(state: JournaledState, block: Block, senders: readonly (Address | undefined)[], ctx: BlockRules, hooks: BlockHooks = {}): BlockResult {
  const { header } = block
  const { fork } = ctx
  const env = blockEnvOf(header, ctx.spec.chainId, ctx.blob)
  applyBlockPrelude(state, header, fork)

  const receipts: Receipt[] = []
  const transactions: TransactionResult[] = []
  let gasUsed = 0n
  let blobGasUsed = 0n
  for (let i = 0; i < block.transactions.length; i++) {
    if (hooks.beforeTransaction?.(i) === false) break
    const tx = block.transactions[i]!
    let r: TransactionResult
    try {
      r = executeTransaction(state, tx, senders[i], env, fork, { blockGasUsed: gasUsed, blockBlobGasUsed: blobGasUsed, order: ctx.order, tracer: hooks.tracer })
    } catch (e) {
      if (e instanceof InvalidTransactionError)
        throw new BlockValidationError('INVALID_TRANSACTION', `transaction ${i}: ${e.exception}: ${e.details ?? e.message}`, e)
      throw e
    }
    gasUsed += r.gasUsed
    blobGasUsed += r.blobGasUsed
    receipts.push(r.receipt)
    transactions.push(r)
  }

  return { receipts, transactions, gasUsed, blobGasUsed, ...finishBlock(state, block.withdrawals, receipts, ctx) }
}

/**
 * What closes a block after its transactions: withdrawals (EIP-4895), the receipts root and
 * logs bloom, and from Prague the requests (EIP-6110 deposits, EIP-7002/7251 system calls).
 * Shared by block import and block building.
 */
export function finishBlock(
  state: JournaledState,
  withdrawals: Block['withdrawals'],
  receipts: readonly Receipt[],
  ctx: BlockRules,
): Pick<BlockResult, 'logsBloom' | 'receiptsRoot' | 'requests' | 'requestsHash'> {
  const { fork } = ctx
  // EIP-4895: withdrawals credit gwei amounts; an untouched empty account is not created.
  if (withdrawals && withdrawals.length > 0) {
    state.beginTransaction({ origin: new Uint8Array(20), gasPrice: 0n, blobHashes: [] })
    for (const w of withdrawals) {
      if (w.amount > 0n) state.setBalance(w.address, state.getBalance(w.address) + w.amount * GWEI)
      state.touch(w.address)
    }
    state.finalizeTransaction()
  }

  const logsBloom = new Uint8Array(256)
  for (const r of receipts) for (let j = 0; j < 256; j++) logsBloom[j]! |= r.logsBloom[j]!
  const out: Pick<BlockResult, 'logsBloom' | 'receiptsRoot' | 'requests' | 'requestsHash'> = { logsBloom, receiptsRoot: orderedTrieRoot(receipts.map(encodeReceipt)) }

  if (isForkAtLeast(fork, 'prague')) {
    const deposits = ctx.spec.depositContractAddress ? depositRequests(receipts, ctx.spec.depositContractAddress) : new Uint8Array(0)
    const withdrawalRequests = systemCall(state, fork, WITHDRAWAL_REQUEST_ADDRESS, new Uint8Array(0), true)!
    const consolidations = systemCall(state, fork, CONSOLIDATION_REQUEST_ADDRESS, new Uint8Array(0), true)!
    out.requests = [
      concatBytes(Uint8Array.of(DEPOSIT_REQUEST_TYPE), deposits),
      concatBytes(Uint8Array.of(WITHDRAWAL_REQUEST_TYPE), withdrawalRequests),
      concatBytes(Uint8Array.of(CONSOLIDATION_REQUEST_TYPE), consolidations),
    ]
    out.requestsHash = computeRequestsHash(out.requests)
  }
  return out
}

/**
 * Compares execution's results with the header's claims, in the execution-specs' order
 * (state_transition after apply_body): gas used, transactions root, state root, receipts root,
 * logs bloom, withdrawals root, blob gas used, requests hash. `rootsFromBody`: the header's
 * transactions and withdrawals roots were computed from this very body (the Engine API builds
 * the header from the payload), so they are not computed again. `blob`: the block's blob
 * parameters, to name a header's blob gas above the limit.
 */
export function checkBlockResult(block: Block, r: BlockResult, opts: { stateRoot: Hash; rootsFromBody?: boolean; blob?: BlobParams }): void {
  const { header } = block
  const fail = (kind: ConstructorParameters<typeof BlockValidationError>[0], what: string, got: unknown, want: unknown): never => {
    throw new BlockValidationError(kind, `${what} ${got}, header has ${want}`)
  }
  const hex = (h: Uint8Array | undefined): string => (h ? bytesToHex(h) : 'none')
  if (r.gasUsed !== header.gasUsed) fail('INVALID_GAS_USED', 'gas used', r.gasUsed, header.gasUsed)
  if (!opts.rootsFromBody) {
    const txRoot = transactionsRoot(block)
    if (!equalBytes(txRoot, header.transactionsRoot)) fail('INVALID_TRANSACTIONS_ROOT', 'transactions root', hex(txRoot), hex(header.transactionsRoot))
  }
  if (!equalBytes(opts.stateRoot, header.stateRoot)) fail('INVALID_STATE_ROOT', 'state root', hex(opts.stateRoot), hex(header.stateRoot))
  if (!equalBytes(r.receiptsRoot, header.receiptsRoot)) fail('INVALID_RECEIPTS_ROOT', 'receipts root', hex(r.receiptsRoot), hex(header.receiptsRoot))
  if (!equalBytes(r.logsBloom, header.logsBloom)) fail('INVALID_LOG_BLOOM', 'logs bloom', bytesToHex(r.logsBloom).slice(0, 18) + '…', bytesToHex(header.logsBloom).slice(0, 18) + '…')
  if (header.withdrawalsRoot !== undefined && !opts.rootsFromBody) {
    const root = withdrawalsRoot(block)
    if (!equalBytes(root, header.withdrawalsRoot)) fail('INVALID_WITHDRAWALS_ROOT', 'withdrawals root', hex(root), hex(header.withdrawalsRoot))
  }
  if (header.blobGasUsed !== undefined && r.blobGasUsed !== header.blobGasUsed) {
    const above = opts.blob !== undefined && header.blobGasUsed > BigInt(opts.blob.max) * GAS_PER_BLOB
    fail(above ? 'BLOB_GAS_USED_ABOVE_LIMIT' : 'INCORRECT_BLOB_GAS_USED', 'blob gas used', r.blobGasUsed, header.blobGasUsed)
  }
  if (r.requestsHash && (!header.requestsHash || !equalBytes(r.requestsHash, header.requestsHash)))
    fail('INVALID_REQUESTS', 'requests hash', hex(r.requestsHash), hex(header.requestsHash))
}
