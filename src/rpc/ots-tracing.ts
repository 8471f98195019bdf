/**
 * Otterscan's tracer over replayed blocks (./replay.ts): one mined transaction, for
 * ots_traceTransaction and ots_getInternalOperations, or every transaction of a block, for the
 * address-appearance index (src/appearances), which the execution profile builds with
 * `appearanceCollector`.
 */
import type { CollectAppearances, TxAppearances } from '../appearances/index.ts'
import { getFork, lookupPrecompile } from '../evm/index.ts'
import type { Hash } from '../primitives/index.ts'
import { headerHash, type Block } from '../types/index.ts'
import type { ChainReader } from './backend.ts'
import type { RpcContext } from './context.ts'
import { ServerError } from './errors.ts'
import { execEnv } from './exec/env.ts'
import { hex } from './format/hex.ts'
import { replayBlock, type ReplayDeps, type ReplayedTx } from './replay.ts'
import { OtsTracer } from './tracers/ots-tracer.ts'
import { minedTransaction } from './methods/eth-tx.ts'

function tracerFor(chain: ChainReader, block: Block): OtsTracer {
  const fork = getFork(execEnv(chain, block.header).fork)
  return new OtsTracer({ isPrecompile: (a) => lookupPrecompile(fork, a) !== undefined })
}

/** Replays a mined transaction under Otterscan's tracer; -32000 when it is not known. */
export function traceMinedTransaction(ctx: RpcContext, txHash: Hash): { tracer: OtsTracer; result: ReplayedTx } {
  const mined = minedTransaction(ctx, txHash)
  if (!mined) throw new ServerError(`transaction ${hex(txHash)} not found`)
  let tracer: OtsTracer | undefined
  let result: ReplayedTx | undefined
  replayBlock(
    ctx,
    mined.block,
    {
      upTo: mined.index,
      tracerFor: (i) => (i === mined.index ? (tracer = tracerFor(ctx.chain, mined.block)) : undefined),
      onTx: (i, r) => {
        if (i === mined.index) result = r
      },
    },
    ctx.replay,
  )
  return { tracer: tracer!, result: result! }
}

/** The index's collector: a block's transactions traced, or undefined when its parent state is gone. */
export function appearanceCollector(chain: ChainReader, replay: ReplayDeps): CollectAppearances {
  return (block) => {
    // an empty block has nothing to trace, and its parent state is not looked up: behind a fast
    // miner (anvil_mine 10000) that lookup walks back from the head, once per block
    if (block.transactions.length === 0) return []
    if (!chain.stateAt(block.header.parentHash) || !chain.senders(headerHash(block.header))) return undefined
    const out: TxAppearances[] = []
    let tracer: OtsTracer | undefined
    replayBlock(
      { chain },
      block,
      {
        tracerFor: () => (tracer = tracerFor(chain, block)),
        onTx: () => out.push(tracer!.appearances()),
      },
      replay,
    )
    return out
  }
}
