/**
 * executeTransaction: one transaction of a block against the block's journaled state — its
 * stateless validity (src/types) and `transact` with every check (BLOCK_POLICY), interleaved in
 * the execution-specs' order (`RuleOrder`), then the receipt.
 *
 * Consumer: block execution, block building, `mosaic statetest`, t8n, RPC tracing (replay). An
 * invalid transaction throws `InvalidTransactionError` and leaves the state untouched.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, encodeRlp, type Address, type Hash } from '../primitives/index.ts'
import { isForkName as isEvmFork, type ExecutionResult, type Tracer } from '../evm/index.ts'
import type { JournaledState, StateDiff } from '../state/index.ts'
import {
  checkTransactionDecoding,
  checkTransactionGas,
  checkTransactionLists,
  checkTransactionSignature,
  gasFeeCap,
  gasTipCap,
  intrinsicGas,
  logsBloom,
  TransactionError,
  txRules,
  type AccessList,
  type ForkName,
  type IntrinsicGas,
  type Log,
  type Receipt,
  type Transaction,
} from '../types/index.ts'
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
  /** Which rule names a transaction that breaks several (`RuleOrder`); 'spec' by default. */
  order?: RuleOrder
}

/**
 * 'spec': the execution-specs' (forks/osaka/fork.py process_transaction): decoding (type, U256
 * fields), validate_transaction (intrinsic gas, floor, nonce bound, initcode, gas cap), then
 * check_transaction with the block's running totals (block gas, blob gas, signature, fees,
 * blobs, creation, authorizations, nonce, funds, EOA). EEST fixtures are filled by it.
 * 'geth': geth's (signature, the blob and authorization lists, then the sender, fees and funds,
 * intrinsic gas last), which filled the legacy
 * ethereum/tests fixtures (`_info.filling-rpc-server` "evm version ...").
 */
export type RuleOrder = 'spec' | 'geth'

const NO_OPTIONS: ExecuteOptions = {}
// shared by the messages of transactions without the list (read only)
const NO_ACCESS_LIST: AccessList = []
const NO_BLOB_HASHES: Hash[] = []
// the message's sender when recovery failed: checkSignature rejects it before any use
const NO_SENDER: Address = new Uint8Array(20)
const GETH_BLOCK_POLICY = { ...BLOCK_POLICY, order: 'geth' } as const

/**
 * Executes `tx` sent by `sender` in `fork` (Paris or later) on `state`. The state's `block` must
 * match `env`. Throws `InvalidTransactionError` for an invalid transaction (state unchanged).
 */
export function executeTransaction(
  state: JournaledState,
  tx: Transaction,
  sender: Address | undefined,
  env: BlockEnv,
  fork: ForkName,
  opts: ExecuteOptions = NO_OPTIONS,
): TransactionResult {
  if (!isEvmFork(fork)) throw new InvalidTransactionError('TYPE_1_TX_PRE_FORK', `fork ${fork} is not supported by the EVM`)
  const order = opts.order ?? 'spec'
  const checkSignature = (): void => {
    checkTransactionSignature(tx, { fork, chainId: env.chainId })
    if (!sender) throw new TransactionError('recovery-failed', 'no public key recovers from the signature')
  }
  let r
  try {
    if (order === 'geth') checkSignature()
    checkTransactionDecoding(tx, fork)
    if (order === 'geth') checkTransactionLists(tx, { fork })
    // geth prices the transaction here but checks its gas after the sender's funds
    const ig = order === 'spec' ? checkTransactionGas(tx, fork) : intrinsicGas(tx, txRules(fork))
    const msg = transactionMessage(tx, sender ?? NO_SENDER, env.baseFee, ig)
    if (order === 'spec') msg.checkSignature = checkSignature
    r = transact(state, msg, env, fork, order === 'spec' ? BLOCK_POLICY : GETH_BLOCK_POLICY, opts.tracer, opts)
  } catch (e) {
    if (e instanceof TransactionError) throw new InvalidTransactionError(exceptionOfKind(e.kind, tx.type), e.message, e)
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
    type: tx.type,
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/** keccak256(rlp(logs)), the state tests' `logs` hash. */
export function logsHash(logs: readonly Log[]): Uint8Array {
  return keccak256(encodeRlp(logs.map((l) => [l.address, l.topics, l.data])))
}
