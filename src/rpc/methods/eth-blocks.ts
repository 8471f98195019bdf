/** eth_ chain and block reads: chain id, head number, syncing, blocks, headers, transaction and uncle counts. */
import type { Methods, RpcContext } from '../context.ts'
import { formatBlock, formatHeader } from '../format/block.ts'
import { qty } from '../format/hex.ts'
import { pendingBlock, resolveBlock, resolveHeader } from '../blocks.ts'
import { args, blockNumber, bool, hash, type BlockSelector } from '../params.ts'
import { headerHash, type Block } from '../../types/index.ts'

function blockJson(ctx: RpcContext, block: Block | undefined, full: boolean) {
  if (!block) return null
  return formatBlock(block, full, full ? ctx.chain.senders(headerHash(block.header)) : undefined)
}

/** A block by number or tag; `pending` is the dev miner's next block where there is one. */
function blockAt(ctx: RpcContext, sel: BlockSelector, full: boolean) {
  const pending = pendingBlock(ctx, sel)
  if (pending) return formatBlock(pending.block, full, full ? pending.senders : undefined)
  return blockJson(ctx, resolveBlock(ctx, sel), full)
}

const byNumber = (p: unknown, max = 1): [BlockSelector, unknown[]] => {
  const a = args(p, max + 1, 1)
  return [blockNumber(a[0], 0), a]
}
const byHash = (p: unknown, max = 1): [BlockSelector, unknown[]] => {
  const a = args(p, max + 1, 1)
  return [{ hash: hash(a[0], 0), requireCanonical: false }, a]
}

export const ethBlockMethods: Methods = {
  eth_chainId: (ctx, p) => (args(p, 0), qty(ctx.chain.spec.chainId)),
  eth_blockNumber: (ctx, p) => (args(p, 0), qty(ctx.chain.head().number)),
  eth_syncing(ctx, p) {
    args(p, 0)
    const s = ctx.syncing?.() ?? false
    return s && { startingBlock: qty(s.startingBlock), currentBlock: qty(s.currentBlock), highestBlock: qty(s.highestBlock) }
  },
  eth_getBlockByNumber(ctx, p) {
    const [sel, a] = byNumber(p, 1)
    return blockAt(ctx, sel, a[1] == null ? false : bool(a[1], 1))
  },
  eth_getBlockByHash(ctx, p) {
    const [sel, a] = byHash(p, 1)
    return blockJson(ctx, resolveBlock(ctx, sel), a[1] == null ? false : bool(a[1], 1))
  },
  eth_getHeaderByNumber(ctx, p) {
    const h = resolveHeader(ctx, byNumber(p, 0)[0])
    return h ? formatHeader(h) : null
  },
  eth_getHeaderByHash(ctx, p) {
    const h = resolveHeader(ctx, byHash(p, 0)[0])
    return h ? formatHeader(h) : null
  },
  eth_getBlockTransactionCountByNumber(ctx, p) {
    const sel = byNumber(p, 0)[0]
    const b = pendingBlock(ctx, sel)?.block ?? resolveBlock(ctx, sel)
    return b ? qty(b.transactions.length) : null
  },
  eth_getBlockTransactionCountByHash(ctx, p) {
    const b = resolveBlock(ctx, byHash(p, 0)[0])
    return b ? qty(b.transactions.length) : null
  },
  eth_getUncleCountByBlockNumber(ctx, p) {
    const b = resolveBlock(ctx, byNumber(p, 0)[0])
    return b ? qty(b.ommers.length) : null
  },
  eth_getUncleCountByBlockHash(ctx, p) {
    const b = resolveBlock(ctx, byHash(p, 0)[0])
    return b ? qty(b.ommers.length) : null
  },
  // no ommers after the merge
  eth_getUncleByBlockNumberAndIndex: (_ctx, p) => (byNumber(p, 1), null),
  eth_getUncleByBlockHashAndIndex: (_ctx, p) => (byHash(p, 1), null),
}
