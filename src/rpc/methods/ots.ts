/**
 * Otterscan's `ots_` API at its API level 8 (docs/custom-jsonrpc.md of otterscan/otterscan, in
 * Erigon's shapes): the per-transaction traces (ots_traceTransaction, ots_getInternalOperations,
 * ots_getTransactionError — a replay under ./../tracers/ots-tracer.ts), the block pages
 * (ots_getBlockDetails*, ots_getBlockTransactions), ots_hasCode, and erigon_getHeaderByNumber,
 * which Otterscan also calls. The searches over the address index are in ./ots-search.ts.
 */
import { resolveBlock, requireState } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { formatBlock } from '../format/block.ts'
import { hex, qty } from '../format/hex.ts'
import { effectiveGasPrice } from '../format/transaction.ts'
import { traceMinedTransaction } from '../ots-tracing.ts'
import { address, args, blockNumber, fail, hash, optionalBlock, quantity, type At, type BlockSelector } from '../params.ts'
import { headerHash, type Block } from '../../types/index.ts'
import { blockReceiptsJson } from './eth-tx.ts'

/** The API level Otterscan checks for (Erigon's and anvil's). */
export const OTS_API_LEVEL = 8

/** A non-negative integer as Otterscan sends it (a JSON number) or as a hex quantity. */
export function otsNumber(v: unknown, at: At, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0 || v > max) fail(at, `expected an integer from 0 to ${max}`)
    return v
  }
  const n = quantity(v, at, 64)
  if (n > BigInt(max)) fail(at, `number ${n} above the limit of ${max}`)
  return Number(n)
}

/** A block number (JSON number or hex) or tag. */
const otsBlock = (v: unknown, at: At): BlockSelector => (typeof v === 'number' ? { number: BigInt(otsNumber(v, at)) } : blockNumber(v, at))

/** The block as Otterscan's block pages read it: no transaction list unless asked, their count, no logs bloom. */
function blockFields(ctx: RpcContext, block: Block, withTransactions: boolean): Record<string, unknown> {
  const o = formatBlock(block, withTransactions, withTransactions ? ctx.chain.senders(headerHash(block.header)) : undefined)
  if (!withTransactions) delete o.transactions
  o.transactionCount = block.transactions.length
  o.logsBloom = null
  return o
}

/** Fees paid by the block's senders (base fee included): effective gas price × gas used. */
function totalFees(ctx: RpcContext, block: Block): bigint {
  const receipts = ctx.chain.receipts(headerHash(block.header)) ?? []
  let prev = 0n
  let sum = 0n
  receipts.forEach((r, i) => {
    sum += effectiveGasPrice(block.transactions[i]!, block.header.baseFeePerGas) * (r.cumulativeGasUsed - prev)
    prev = r.cumulativeGasUsed
  })
  return sum
}

function blockDetails(ctx: RpcContext, block: Block | undefined) {
  if (!block) return null
  // proof of stake: no block or uncle rewards are issued by the execution layer
  return { block: blockFields(ctx, block, false), issuance: { blockReward: '0x0', uncleReward: '0x0', issuance: '0x0' }, totalFees: qty(totalFees(ctx, block)) }
}

const txHashArg = (p: unknown) => hash(args(p, 1, 1)[0], 0)

export const otsMethods: Methods = {
  ots_getApiLevel: (_ctx, p) => (args(p, 0), OTS_API_LEVEL),

  ots_hasCode(ctx, p) {
    const a = args(p, 2, 1)
    const who = address(a[0], 0)
    const code = requireState(ctx, optionalBlock(a[1], 1)).state.getAccount(who)?.code
    return code !== undefined && code.length > 0
  },

  ots_traceTransaction: (ctx, p) => traceMinedTransaction(ctx, txHashArg(p)).tracer.trace(),

  ots_getInternalOperations: (ctx, p) => traceMinedTransaction(ctx, txHashArg(p)).tracer.operations(),

  /** The revert data of a reverted transaction; "0x" for any other outcome. */
  ots_getTransactionError(ctx, p) {
    const { result } = traceMinedTransaction(ctx, txHashArg(p))
    return result.status === 'revert' ? hex(result.output) : '0x'
  },

  ots_getBlockDetails: (ctx, p) => blockDetails(ctx, resolveBlock(ctx, otsBlock(args(p, 1, 1)[0], 0))),

  ots_getBlockDetailsByHash: (ctx, p) => blockDetails(ctx, resolveBlock(ctx, { hash: hash(args(p, 1, 1)[0], 0), requireCanonical: false })),

  /**
   * A page of a block's transactions with their receipts (input cut to the 4-byte selector,
   * receipts without logs). Pages count from the block's end, as Erigon's do: page 0 holds the
   * last `pageSize` transactions, in block order.
   */
  ots_getBlockTransactions(ctx, p) {
    const a = args(p, 3, 3)
    const block = resolveBlock(ctx, otsBlock(a[0], 0))
    const page = otsNumber(a[1], 1)
    const size = otsNumber(a[2], 2, 10_000)
    if (!block) return null
    const full = blockFields(ctx, block, true)
    const end = Math.max(0, block.transactions.length - page * size)
    const start = Math.max(0, end - size)
    const txs = (full.transactions as Record<string, unknown>[]).slice(start, end)
    for (const t of txs) t.input = (t.input as string).slice(0, 10)
    full.transactions = txs
    const receipts = blockReceiptsJson(ctx, block)
      .slice(start, end)
      .map((r) => ({ ...r, logs: null, logsBloom: null }))
    return { fullblock: full, receipts }
  },

  /** Otterscan reads headers with it: the block without its transactions' bodies. */
  erigon_getHeaderByNumber(ctx, p) {
    const block = resolveBlock(ctx, otsBlock(args(p, 1, 1)[0], 0))
    return block ? formatBlock(block, false) : null
  },
}
