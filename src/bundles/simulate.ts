/**
 * A bundle executed in order on top of a block's state, with Flashbots' accounting (mev-geth's
 * eth_callBundle, as reth has it too): per transaction the gas used, the effective tip per gas
 * at the block's base fee (`gasPrice`), `gasFees` = gas used × that tip, `coinbaseDiff` = the fee
 * recipient's balance after minus before, `ethSentToCoinbase` = coinbaseDiff − gasFees (direct
 * payments); for the bundle the sums and `bundleGasPrice` = coinbaseDiff / totalGasUsed. A
 * reverted transaction is a result (its gas counts); an invalid one (nonce, funds, fees, gas)
 * stops the simulation with a `BundleError` naming it.
 *
 * Consumers: eth_callBundle (src/rpc/methods/bundle.ts), block building (./include.ts).
 */
import { executeTransaction, InvalidTransactionError, type BlockEnv } from '../executor/index.ts'
import type { ExecutionStatus, Tracer } from '../evm/index.ts'
import { bytesToHex, type Address, type Hash } from '../primitives/index.ts'
import type { JournaledState } from '../state/index.ts'
import { effectiveTip, type ForkName, type Log, type Transaction } from '../types/index.ts'
import { bundleHash, type BundleTx } from './bundle.ts'
import { BundleError } from './errors.ts'

/** The block a bundle runs in. */
export interface SimulationEnv {
  env: BlockEnv
  fork: ForkName
}

export interface SimulatedTx {
  hash: Hash
  from: Address
  to?: Address
  gasUsed: bigint
  gasPrice: bigint
  gasFees: bigint
  coinbaseDiff: bigint
  ethSentToCoinbase: bigint
  status: ExecutionStatus
  /** Return data, or the revert data. */
  output: Uint8Array
  logs: Log[]
}

export interface BundleSimulation {
  hash: Hash
  results: SimulatedTx[]
  totalGasUsed: bigint
  gasFees: bigint
  coinbaseDiff: bigint
  ethSentToCoinbase: bigint
  bundleGasPrice: bigint
  /** The block's gas used after the bundle (what ran before it included). */
  blockGasUsed: bigint
  blockBlobGasUsed: bigint
}

export interface SimulateOptions {
  /** Gas the block used before (the transactions above the bundle). */
  blockGasUsed?: bigint
  blockBlobGasUsed?: bigint
  /** Transactions run first, outside the results (the pool's pending ones); invalid ones are skipped. */
  before?: readonly { tx: Transaction; sender: Address }[]
  /** Observes the bundle's transactions (the RPC's time limit). */
  tracer?: Tracer
}

const sub0 = (a: bigint, b: bigint) => (a > b ? a - b : 0n)

/** Runs `txs` in order on `state` (left with their effects). Throws `BundleError` at an invalid transaction. */
export function simulateBundle(state: JournaledState, txs: readonly BundleTx[], x: SimulationEnv, opts: SimulateOptions = {}): BundleSimulation {
  const { env, fork } = x
  let blockGasUsed = opts.blockGasUsed ?? 0n
  let blockBlobGasUsed = opts.blockBlobGasUsed ?? 0n
  for (const c of opts.before ?? []) {
    try {
      const r = executeTransaction(state, c.tx, c.sender, env, fork, { blockGasUsed, blockBlobGasUsed })
      blockGasUsed += r.gasUsed
      blockBlobGasUsed += r.blobGasUsed
    } catch (e) {
      if (!(e instanceof InvalidTransactionError)) throw e
    }
  }
  const initial = state.getBalance(env.coinbase)
  let before = initial
  let totalGasUsed = 0n
  let gasFees = 0n
  const results = txs.map((t, i): SimulatedTx => {
    let r
    try {
      r = executeTransaction(state, t.tx, t.sender, env, fork, { blockGasUsed, blockBlobGasUsed, tracer: opts.tracer })
    } catch (e) {
      if (e instanceof InvalidTransactionError) throw new BundleError('invalid-transaction', `transaction ${i} (${bytesToHex(t.hash)}) is invalid: ${e.message}`, { cause: e })
      throw e
    }
    blockGasUsed += r.gasUsed
    blockBlobGasUsed += r.blobGasUsed
    totalGasUsed += r.gasUsed
    const gasPrice = effectiveTip(t.tx, env.baseFee)
    const fees = r.gasUsed * gasPrice
    gasFees += fees
    const after = state.getBalance(env.coinbase)
    const coinbaseDiff = sub0(after, before)
    before = after
    return {
      hash: t.hash,
      from: t.sender,
      to: t.tx.to ?? undefined,
      gasUsed: r.gasUsed,
      gasPrice,
      gasFees: fees,
      coinbaseDiff,
      ethSentToCoinbase: sub0(coinbaseDiff, fees),
      status: r.execution.status,
      output: r.execution.output,
      logs: r.receipt.logs,
    }
  })
  const coinbaseDiff = sub0(before, initial)
  return {
    hash: bundleHash(txs.map((t) => t.hash)),
    results,
    totalGasUsed,
    gasFees,
    coinbaseDiff,
    ethSentToCoinbase: sub0(coinbaseDiff, gasFees),
    bundleGasPrice: totalGasUsed === 0n ? 0n : coinbaseDiff / totalGasUsed,
    blockGasUsed,
    blockBlobGasUsed,
  }
}
