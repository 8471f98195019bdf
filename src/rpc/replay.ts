/**
 * Re-executes a mined block's transactions on its parent's state, for debug_traceTransaction
 * and debug_traceBlock*. The block prelude (EIP-4788 beacon root and EIP-2935 history system
 * calls) and transaction execution are dependencies: the execution profile plugs in src/executor's
 * block prelude; the defaults here run no system calls, and execute every transaction, traced or
 * not, with src/executor's executeTransaction (the block's own state transition).
 */
import type { SignatureOverrides, Tracer } from '../evm/index.ts'
import { applyBlockPrelude, executeTransaction, InvalidTransactionError } from '../executor/index.ts'
import type { Address } from '../primitives/index.ts'
import { JournaledState, type StateDiff } from '../state/index.ts'
import { headerHash, type Block, type Transaction } from '../types/index.ts'
import type { ChainReader } from './backend.ts'
import { ServerError } from './errors.ts'
import { blockContext, execEnv, type ExecEnv } from './exec/env.ts'

export type { JournaledState }

/** What one replayed transaction produced. */
export interface ReplayedTx {
  status: string
  gasUsed: bigint
  blobGasUsed: bigint
  output: Uint8Array
  diff: StateDiff
}

/** Runs one transaction of the block; `tracer` when it is traced. */
export type ExecuteTx = (
  state: JournaledState,
  tx: Transaction,
  sender: Address,
  x: ExecEnv,
  block: { gasUsed: bigint; blobGasUsed: bigint },
  tracer?: Tracer,
) => ReplayedTx

/** The per-block pre-step (system calls) before the first transaction. */
export type BlockPrelude = (state: JournaledState, block: Block, x: ExecEnv) => void

/** The prelude block import runs: the EIP-4788 beacon root and EIP-2935 history system calls. */
export const systemCallPrelude: BlockPrelude = (state, block, x) => applyBlockPrelude(state, block.header, x.fork)

export interface ReplayDeps {
  prelude?: BlockPrelude
  execute?: ExecuteTx
}

export const defaultExecute: ExecuteTx = (state, tx, sender, x, block, tracer) => {
  try {
    const r = executeTransaction(state, tx, sender, x.env, x.fork, { blockGasUsed: block.gasUsed, blockBlobGasUsed: block.blobGasUsed, tracer })
    return { status: r.execution.status, gasUsed: r.gasUsed, blobGasUsed: r.blobGasUsed, output: r.execution.output, diff: r.diff }
  } catch (e) {
    if (e instanceof InvalidTransactionError) throw new ServerError(`replaying a mined transaction failed: ${e.message}`)
    throw e
  }
}

/**
 * Replays `block` up to and including transaction `upTo` (all when absent). `tracerFor(i, state)`
 * picks the tracer of transaction i; `onTx` sees each result with the state after it.
 */
export function replayBlock(
  ctx: { chain: ChainReader; signatures?: SignatureOverrides },
  block: Block,
  opts: { upTo?: number; tracerFor?: (i: number, state: JournaledState) => Tracer | undefined; onTx?: (i: number, r: ReplayedTx, state: JournaledState) => void },
  deps: ReplayDeps = {},
): void {
  const parent = ctx.chain.stateAt(block.header.parentHash)
  if (!parent) throw new ServerError(`required historical state unavailable (parent of block ${block.header.number})`)
  const senders = ctx.chain.senders(headerHash(block.header))
  if (!senders) throw new ServerError(`block ${block.header.number} has no stored senders`)
  const x = execEnv(ctx.chain, block.header)
  const state = new JournaledState(parent, { block: blockContext(x.env), blockHash: x.blockHash, signatures: ctx.signatures })
  deps.prelude?.(state, block, x)
  const execute = deps.execute ?? defaultExecute
  const used = { gasUsed: 0n, blobGasUsed: 0n }
  const last = opts.upTo ?? block.transactions.length - 1
  for (let i = 0; i <= last; i++) {
    const r = execute(state, block.transactions[i]!, senders[i]!, x, used, opts.tracerFor?.(i, state))
    used.gasUsed += r.gasUsed
    used.blobGasUsed += r.blobGasUsed
    opts.onTx?.(i, r, state)
  }
}
