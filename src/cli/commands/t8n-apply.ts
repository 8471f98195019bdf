/**
 * The state transition of `mosaic t8n`, in the order geth's `evm t8n` applies it: the env checks
 * and derived values (EIP-1559 base fee and EIP-4844 excess blob gas from the parent fields), the
 * EIP-4788 beacon-root and EIP-2935 parent-hash system calls, every transaction in turn (an
 * invalid one is rejected and the next one runs), the mining reward (`--state.reward`, -1 for
 * none; 0 still touches the coinbase), the EIP-4895 withdrawals and, from Prague, the EIP-7685
 * requests (EIP-6110 deposits, EIP-7002 and EIP-7251 system calls).
 *
 * Consumer: t8n.ts (the command), and tests through it.
 */
import { mainnet, singleForkSpec, type BlobParams } from '../../chainspec/index.ts'
import { createAddress } from '../../evm/index.ts'
import {
  BEACON_ROOTS_ADDRESS,
  blobBaseFee,
  BlockValidationError,
  defaultBlobParams,
  executeTransaction,
  finishBlock,
  HISTORY_STORAGE_ADDRESS,
  InvalidTransactionError,
  logsHash,
  nextBaseFee,
  nextExcessBlobGas,
  systemCall,
  transactionsRoot,
  withdrawalsRoot,
  type BlockEnv,
} from '../../executor/index.ts'
import { ZERO_ADDRESS, ZERO_HASH, type Address, type Hash } from '../../primitives/index.ts'
import { JournaledState, type MemoryState } from '../../state/index.ts'
import {
  EMPTY_OMMERS_HASH,
  gasFeeCap,
  gasTipCap,
  isForkAtLeast,
  recoverSender,
  transactionHash,
  TransactionError,
  type ForkName,
  type Header,
  type Log,
  type Receipt,
  type Transaction,
} from '../../types/index.ts'
import { T8nError } from './t8n-errors.ts'
import type { T8nEnv } from './t8n-input.ts'
import type { T8nFork } from './t8n-fork.ts'
import { rejectionMessage } from './t8n-reject.ts'
import { encodeBody, type TxInput } from './t8n-txs.ts'

/** Block failures while closing the block, in geth's words where it has them. */
const REQUEST_FAILURE: Partial<Record<BlockValidationError['kind'], string>> = {
  SYSTEM_CONTRACT_CALL_FAILED: 'system call failed to execute',
  SYSTEM_CONTRACT_EMPTY: 'system contract has no code',
  INVALID_DEPOSIT_EVENT_LAYOUT: 'failed to parse deposit logs',
}

export interface TransitionOptions {
  fork: T8nFork
  chainId: bigint
  /** Block reward in wei; negative for none. */
  reward: bigint
}

export interface IncludedTx {
  tx: Transaction
  hash: Hash
  sender: Address
  receipt: Receipt
  gasUsed: bigint
  blobGasUsed: bigint
  effectiveGasPrice: bigint
  contractAddress?: Address
  /** Block-wide index of the transaction's first log. */
  firstLogIndex: number
}

export interface TransitionResult {
  fork: ForkName
  number: bigint
  timestamp: bigint
  stateRoot: Hash
  txRoot: Hash
  receiptsRoot: Hash
  logsHash: Hash
  logsBloom: Uint8Array
  included: IncludedTx[]
  rejected: { index: number; error: string }[]
  gasUsed: bigint
  baseFee: bigint
  withdrawalsRoot?: Hash
  /** Present when the blob base fee is known (Cancun on, with excess blob gas given or derivable). */
  excessBlobGas?: bigint
  blobGasUsed?: bigint
  blobBaseFee?: bigint
  requestsHash?: Hash
  /** Non-empty requests as type || data (geth leaves out empty ones). */
  requests?: Uint8Array[]
  post: MemoryState
  /** RLP list of the included transactions (block-body form). */
  body: Uint8Array
}

/** A header with only the fields the EIP-1559 / EIP-4844 rules read from a parent. */
function parentHeader(env: T8nEnv): Header {
  return {
    parentHash: ZERO_HASH, ommersHash: EMPTY_OMMERS_HASH, coinbase: ZERO_ADDRESS, stateRoot: ZERO_HASH, transactionsRoot: ZERO_HASH,
    receiptsRoot: ZERO_HASH, logsBloom: new Uint8Array(256), difficulty: 0n, number: env.number - 1n, gasLimit: env.parentGasLimit,
    gasUsed: env.parentGasUsed, timestamp: env.parentTimestamp, extraData: new Uint8Array(0), mixHash: ZERO_HASH, nonce: new Uint8Array(8),
    baseFeePerGas: env.parentBaseFee, excessBlobGas: env.parentExcessBlobGas, blobGasUsed: env.parentBlobGasUsed,
  }
}

interface BlockValues {
  baseFee: bigint
  random: bigint
  blob?: BlobParams
  excessBlobGas?: bigint
}

/** What the fork requires of the env (geth's London, Shanghai, merge and Cancun checks). */
function checkEnv(env: T8nEnv, fork: ForkName): BlockValues {
  let baseFee = env.baseFee
  if (baseFee === undefined) {
    if (env.parentBaseFee === undefined || env.number === 0n) throw new T8nError('config', "EIP-1559 config but missing 'currentBaseFee' (or 'parentBaseFee') in env section")
    if (env.parentGasLimit === 0n && env.parentGasUsed > 0n) throw new T8nError('config', "'parentGasUsed' given without 'parentGasLimit' in env section")
    baseFee = nextBaseFee(parentHeader(env))
  }
  if (isForkAtLeast(fork, 'shanghai') && !env.withdrawals) throw new T8nError('config', "Shanghai config but missing 'withdrawals' in env section")
  if (env.random === undefined) throw new T8nError('config', 'post-merge requires currentRandom to be defined in env')
  if (env.difficulty !== undefined && env.difficulty !== 0n) throw new T8nError('config', 'post-merge difficulty must be zero (or omitted) in env')
  if (!isForkAtLeast(fork, 'cancun')) return { baseFee, random: env.random }
  if (!env.parentBeaconBlockRoot) throw new T8nError('config', 'post-cancun env requires parentBeaconBlockRoot to be set')
  const blob = defaultBlobParams(fork)
  let excessBlobGas = env.excessBlobGas
  if (excessBlobGas === undefined && env.parentExcessBlobGas !== undefined && env.parentBlobGasUsed !== undefined)
    excessBlobGas = nextExcessBlobGas(parentHeader(env), blob, fork)
  return { baseFee, random: env.random, blob, excessBlobGas }
}

export function applyTransition(pre: MemoryState, env: T8nEnv, txs: readonly TxInput[], opts: TransitionOptions): TransitionResult {
  const fork = opts.fork.at(env.timestamp)
  const values = checkEnv(env, fork)
  const blobFee = values.blob && values.excessBlobGas !== undefined ? blobBaseFee(values.excessBlobGas, values.blob) : undefined
  const block: BlockEnv = {
    coinbase: env.coinbase, number: env.number, timestamp: env.timestamp, gasLimit: env.gasLimit, baseFee: values.baseFee,
    prevRandao: values.random, blobBaseFee: blobFee ?? 0n, chainId: opts.chainId,
  }
  // BLOCKHASH of a block the env has no hash for: geth stops with exit code 4 after the transaction.
  let missingHash: string | undefined
  const blockHash = (n: bigint): Hash | undefined => {
    const h = env.blockHashes?.get(n)
    if (!h) missingHash ??= env.blockHashes ? `getHash(${n}) invoked, blockhash for that block not provided` : `getHash(${n}) invoked, no blockhashes provided`
    return h
  }
  const state = new JournaledState(pre, { block, blockHash })

  if (isForkAtLeast(fork, 'cancun') && env.parentBeaconBlockRoot) systemCall(state, fork, BEACON_ROOTS_ADDRESS, env.parentBeaconBlockRoot, false)
  if (isForkAtLeast(fork, 'prague') && env.blockHashes) systemCall(state, fork, HISTORY_STORAGE_ADDRESS, env.blockHashes.get(env.number - 1n) ?? ZERO_HASH, false)

  const included: IncludedTx[] = []
  const rejected: TransitionResult['rejected'] = []
  const logs: Log[] = []
  let gasUsed = 0n
  let blobGasUsed = 0n
  txs.forEach((input, index) => {
    if ('error' in input) return void rejected.push({ index, error: input.error })
    const { tx } = input
    let sender: Address
    try {
      sender = recoverSender(tx)
    } catch (e) {
      if (!(e instanceof TransactionError)) throw e
      return void rejected.push({ index, error: 'invalid transaction v, r, s values' })
    }
    if (tx.type === 3 && values.blob && blobFee === undefined) return void rejected.push({ index, error: 'blob tx used but field env.ExcessBlobGas missing' })
    let r
    try {
      r = executeTransaction(state, tx, sender, block, fork, { blockGasUsed: gasUsed, blockBlobGasUsed: blobGasUsed })
    } catch (e) {
      if (!(e instanceof InvalidTransactionError)) throw e
      return void rejected.push({ index, error: rejectionMessage(e, { tx, sender, state, fork, env: block, blockBlobGasUsed: blobGasUsed }) })
    }
    if (missingHash) throw new T8nError('missingBlockHash', missingHash)
    included.push({
      tx, hash: transactionHash(tx), sender, receipt: r.receipt, gasUsed: r.gasUsed, blobGasUsed: r.blobGasUsed, firstLogIndex: logs.length,
      effectiveGasPrice: tx.type === 0 || tx.type === 1 ? tx.gasPrice : min(gasFeeCap(tx), values.baseFee + gasTipCap(tx)),
      ...(tx.to === null ? { contractAddress: createAddress(sender, tx.nonce) } : {}),
    })
    logs.push(...r.receipt.logs)
    gasUsed += r.gasUsed
    blobGasUsed += r.blobGasUsed
  })

  if (opts.reward >= 0n) payReward(state, env, opts.reward)
  const spec = { ...singleForkSpec(fork, new Map(), opts.chainId), depositContractAddress: mainnet.depositContractAddress }
  let closed
  try {
    closed = finishBlock(state, env.withdrawals, included.map((t) => t.receipt), { spec, fork, blob: values.blob })
  } catch (e) {
    // Unlike geth (which takes a call to an empty address as no requests), an absent request
    // contract makes the block invalid, as EIP-7002 and EIP-7251 say.
    if (e instanceof BlockValidationError) throw new T8nError('evm', `could not process requests: ${REQUEST_FAILURE[e.kind] ?? e.kind}: ${e.details ?? e.message}`, e)
    throw e
  }

  const post = pre.clone()
  post.apply(state.blockDiff())
  const transactions = included.map((t) => t.tx)
  const result: TransitionResult = {
    fork, number: env.number, timestamp: env.timestamp, stateRoot: post.stateRoot(), txRoot: transactionsRoot({ transactions, ommers: [] }),
    receiptsRoot: closed.receiptsRoot, logsHash: logsHash(logs), logsBloom: closed.logsBloom, included, rejected, gasUsed, baseFee: values.baseFee,
    post, body: encodeBody(transactions),
  }
  if (env.withdrawals) result.withdrawalsRoot = withdrawalsRoot({ transactions: [], ommers: [], withdrawals: env.withdrawals })
  if (blobFee !== undefined) Object.assign(result, { excessBlobGas: values.excessBlobGas, blobGasUsed, blobBaseFee: blobFee })
  if (closed.requestsHash) Object.assign(result, { requestsHash: closed.requestsHash, requests: closed.requests!.filter((r) => r.length > 1) })
  return result
}

/** The reward and, per ommer, (8 - delta)/8 of it to the ommer's miner and 1/32 to the coinbase. */
function payReward(state: JournaledState, env: T8nEnv, reward: bigint): void {
  state.beginTransaction({ origin: ZERO_ADDRESS, gasPrice: 0n, blobHashes: [] })
  const credit = (a: Address, amount: bigint) => {
    state.setBalance(a, state.getBalance(a) + amount)
    state.touch(a)
  }
  let minerReward = reward
  for (const o of env.ommers) {
    if (o.delta > 8n) throw new T8nError('config', `ommer delta ${o.delta} above 8 would make a negative reward`)
    minerReward += reward / 32n
    credit(o.address, ((8n - o.delta) * reward) / 8n)
  }
  credit(env.coinbase, minerReward)
  state.finalizeTransaction()
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
