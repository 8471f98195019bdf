/**
 * executeTransaction: one transaction of a block against the block's journaled state — its
 * stateless validity (src/types), then `transact` with every check (BLOCK_POLICY), then the
 * receipt. Stateless rules come first, as the reference clients report them.
 *
 * Consumer: block execution, block building, `mosaic statetest`, t8n, RPC tracing (replay). An
 * invalid transaction throws `InvalidTransactionError` and leaves the state untouched.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, encodeRlp, type Address, type Hash } from '../primitives/index.ts'
import { isForkName as isEvmFork, type ExecutionResult, type Tracer } from '../evm/index.ts'
import type { JournaledState, StateDiff } from '../state/index.ts'
import {
  gasFeeCap,
  gasTipCap,
  isForkAtLeast,
  logsBloom,
  TransactionError,
  validateTransaction,
  type AccessList,
  type ForkName,
  type IntrinsicGas,
  type Log,
  type Receipt,
  type Transaction,
} from '../types/index.ts'
import { maxBlobsPerBlock } from './blob-fee.ts'
import { exceptionOfKind, invalidTransaction, InvalidTransactionError, TransactError } from './errors.ts'
import { BLOCK_POLICY, transact, type BlockEnv, type BlockUsage, type TransactMessage } from './transact.ts'

export interface TransactionResult {
  receipt: Receipt
  /** Gas charged to the block (after refunds and the EIP-7623 floor). */
  gasUsed: bigint
  blobGasUsed: bigint
  execution: ExecutionResult
  diff: StateDiff
}

export interface ExecuteOptions extends BlockUsage {
  /** Observes the execution (debug_trace* replays). */
  tracer?: Tracer
}

const NO_OPTIONS: ExecuteOptions = {}
// shared by the messages of transactions without the list (read only)
const NO_ACCESS_LIST: AccessList = []
const NO_BLOB_HASHES: Hash[] = []

/**
 * Executes `tx` sent by `sender` in `fork` (Paris or later) on `state`. The state's `block` must
 * match `env`. Throws `InvalidTransactionError` for an invalid transaction (state unchanged).
 */
export function executeTransaction(
  state: JournaledState,
  tx: Transaction,
  sender: Address,
  env: BlockEnv,
  fork: ForkName,
  opts: ExecuteOptions = NO_OPTIONS,
): TransactionResult {
  if (!isEvmFork(fork)) throw new InvalidTransactionError('TYPE_1_TX_PRE_FORK', `fork ${fork} is not supported by the EVM`)
  // From Osaka there is also a per-transaction blob limit (EIP-7594); a count above the block's
  // limit is still named as the block's, as the fixtures expect.
  if (tx.type === 3 && isForkAtLeast(fork, 'osaka') && tx.blobVersionedHashes.length > maxBlobsPerBlock(fork))
    throw new InvalidTransactionError('TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED', `${tx.blobVersionedHashes.length} blobs above the block limit`)
  let ig: IntrinsicGas
  try {
    ig = validateTransaction(tx, { fork, chainId: env.chainId })
  } catch (e) {
    if (e instanceof TransactionError) throw new InvalidTransactionError(exceptionOfKind(e.kind, tx.type), e.message, e)
    throw e
  }
  let r
  try {
    r = transact(state, transactionMessage(tx, sender, env.baseFee, ig), env, fork, BLOCK_POLICY, opts.tracer, opts)
  } catch (e) {
    if (e instanceof TransactError) throw invalidTransaction(e)
    throw e
  }
  const execution = r.execution
  const logs: Log[] = execution.logs.map((l) => ({ address: l.address, topics: l.topics.map((t) => bigintToWord(t)), data: l.data }))
  const receipt: Receipt = {
    type: tx.type,
    status: execution.status === 'success' ? 1 : 0,
    cumulativeGasUsed: (opts.blockGasUsed ?? 0n) + r.gasUsed,
    logsBloom: logsBloom(logs),
    logs,
  }
  return { receipt, gasUsed: r.gasUsed, blobGasUsed: r.blobGasUsed, execution, diff: r.diff }
}

/** A signed transaction as `transact` takes it: the effective gas price at `baseFee` (EIP-1559), the lists by type. */
export function transactionMessage(tx: Transaction, sender: Address, baseFee: bigint, intrinsic?: IntrinsicGas): TransactMessage {
  const feeCap = gasFeeCap(tx)
  const tipCap = gasTipCap(tx)
  return {
    from: sender,
    to: tx.to,
    value: tx.value,
    data: tx.data,
    gas: tx.gasLimit,
    nonce: tx.nonce,
    gasPrice: tx.type === 0 || tx.type === 1 ? tx.gasPrice : min(feeCap, baseFee + tipCap),
    feeCap,
    tipCap,
    accessList: tx.type === 0 ? NO_ACCESS_LIST : tx.accessList,
    blobHashes: tx.type === 3 ? tx.blobVersionedHashes : NO_BLOB_HASHES,
    blobFeeCap: tx.type === 3 ? tx.maxFeePerBlobGas : 0n,
    authorizationList: tx.type === 4 ? tx.authorizationList : undefined,
    intrinsic,
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/** keccak256(rlp(logs)), the state tests' `logs` hash. */
export function logsHash(logs: readonly Log[]): Uint8Array {
  return keccak256(encodeRlp(logs.map((l) => [l.address, l.topics, l.data])))
}
