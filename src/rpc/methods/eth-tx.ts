/**
 * eth_ transaction and receipt reads: by hash (pool transactions too), by block and index, by
 * sender and nonce, receipts, raw bytes.
 */
import { requireState, resolveBlock } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { headerBlobBaseFee } from '../exec/env.ts'
import { hex } from '../format/hex.ts'
import { formatBlockReceipts } from '../format/receipt.ts'
import { formatTransaction } from '../format/transaction.ts'
import { address, args, blockNumber, blockSelector, hash, quantity, smallNumber, type BlockSelector } from '../params.ts'
import { encodeTransaction, headerHash, type Block } from '../../types/index.ts'
import { equalBytes, type Address, type Hash } from '../../primitives/index.ts'

/** Transaction `index` of a stored block as eth_getTransactionBy* give it, or null. */
export function txAt(ctx: RpcContext, block: Block | undefined, index: number) {
  if (!block || index >= block.transactions.length) return null
  const h = block.header
  const senders = ctx.chain.senders(headerHash(h))!
  return formatTransaction(block.transactions[index]!, senders[index]!, { blockHash: headerHash(h), blockNumber: h.number, blockTimestamp: h.timestamp, index, baseFee: h.baseFeePerGas })
}

/** The formatted receipts of a stored block. */
export function blockReceiptsJson(ctx: RpcContext, block: Block): Record<string, unknown>[] {
  const bh = headerHash(block.header)
  return formatBlockReceipts(block, ctx.chain.receipts(bh) ?? [], ctx.chain.senders(bh) ?? [], headerBlobBaseFee(ctx.chain.spec, block.header))
}

/** The canonical block holding a transaction, with its index. */
export function minedTransaction(ctx: RpcContext, txHash: Hash): { block: Block; index: number } | undefined {
  const loc = ctx.chain.transactionLocation(txHash)
  const block = loc && ctx.chain.blockByHash(loc.blockHash)
  return block && loc ? { block, index: loc.index } : undefined
}

/** The raw bytes of transaction `index` of a stored block, or null. */
function rawAt(block: Block | undefined, index: number) {
  const tx = block?.transactions[index]
  return tx ? hex(encodeTransaction(tx)) : null
}

/**
 * The mined transaction of `sender` with `nonce`: the first block after which the sender's nonce
 * passes it holds it (a binary search over the states, as anvil does).
 */
function minedBySenderAndNonce(ctx: RpcContext, sender: Address, nonce: bigint) {
  const nonceAt = (n: bigint) => requireState(ctx, { number: n }).state.getAccount(sender)?.nonce ?? 0n
  let lo = 1n
  let hi = ctx.chain.head().number
  if (hi === 0n || nonceAt(hi) <= nonce) return null
  while (lo < hi) {
    const mid = (lo + hi) / 2n
    if (nonceAt(mid) > nonce) hi = mid
    else lo = mid + 1n
  }
  const block = resolveBlock(ctx, { number: lo })
  const senders = block && ctx.chain.senders(headerHash(block.header))
  const i = block?.transactions.findIndex((t, j) => t.nonce === nonce && equalBytes(senders![j]!, sender)) ?? -1
  return i >= 0 ? txAt(ctx, block, i) : null
}

export const ethTxMethods: Methods = {
  eth_getTransactionByHash(ctx, p) {
    const h = hash(args(p, 1, 1)[0], 0)
    const mined = minedTransaction(ctx, h)
    if (mined) return txAt(ctx, mined.block, mined.index)
    const pooled = ctx.pool?.get(h)
    return pooled ? formatTransaction(pooled.tx, pooled.sender) : null
  },
  eth_getRawTransactionByHash(ctx, p) {
    const h = hash(args(p, 1, 1)[0], 0)
    const mined = minedTransaction(ctx, h)
    if (mined) return hex(encodeTransaction(mined.block.transactions[mined.index]!))
    const pooled = ctx.pool?.get(h)
    return pooled ? hex(pooled.raw) : null
  },
  eth_getTransactionByBlockNumberAndIndex(ctx, p) {
    const a = args(p, 2, 2)
    return txAt(ctx, resolveBlock(ctx, blockNumber(a[0], 0)), smallNumber(a[1], 1))
  },
  eth_getTransactionByBlockHashAndIndex(ctx, p) {
    const a = args(p, 2, 2)
    return txAt(ctx, resolveBlock(ctx, { hash: hash(a[0], 0), requireCanonical: false }), smallNumber(a[1], 1))
  },
  eth_getRawTransactionByBlockNumberAndIndex(ctx, p) {
    const a = args(p, 2, 2)
    return rawAt(resolveBlock(ctx, blockNumber(a[0], 0)), smallNumber(a[1], 1))
  },
  eth_getRawTransactionByBlockHashAndIndex(ctx, p) {
    const a = args(p, 2, 2)
    return rawAt(resolveBlock(ctx, { hash: hash(a[0], 0), requireCanonical: false }), smallNumber(a[1], 1))
  },
  // pooled first, then mined (anvil's order)
  eth_getTransactionBySenderAndNonce(ctx, p) {
    const a = args(p, 2, 2)
    const sender = address(a[0], 0)
    const nonce = quantity(a[1], 1, 64)
    const { pending, queued } = ctx.pool?.contentFrom(sender) ?? { pending: [], queued: [] }
    const pooled = [...pending, ...queued].find((t) => t.tx.nonce === nonce)
    if (pooled) return formatTransaction(pooled.tx, pooled.sender)
    return minedBySenderAndNonce(ctx, sender, nonce)
  },
  eth_getTransactionReceipt(ctx, p) {
    const h = hash(args(p, 1, 1)[0], 0)
    const mined = minedTransaction(ctx, h)
    return mined ? blockReceiptsJson(ctx, mined.block)[mined.index] : null
  },
  eth_getBlockReceipts(ctx, p) {
    const sel: BlockSelector = blockSelector(args(p, 1, 1)[0], 0)
    const block = resolveBlock(ctx, sel)
    return block ? blockReceiptsJson(ctx, block) : null
  },
}
