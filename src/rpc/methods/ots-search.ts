/**
 * Otterscan's searches over the address-appearance index (src/appearances, `ctx.history`):
 * ots_searchTransactionsBefore/After (an address's transactions page by page, newest first,
 * with receipts), ots_getTransactionBySenderAndNonce and ots_getContractCreator. Erigon's
 * semantics: the block argument is excluded (0: from the head, or from genesis), a page is
 * filled block by block, so the block that reaches `pageSize` is returned whole.
 */
import type { AddressHistory, AppearanceBlock } from '../../appearances/index.ts'
import { equalBytes, type Address } from '../../primitives/index.ts'
import { transactionHash, type Block } from '../../types/index.ts'
import { requireState } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { LimitExceededError, UnsupportedError } from '../errors.ts'
import { hex } from '../format/hex.ts'
import { address, args, quantity } from '../params.ts'
import { blockReceiptsJson, txAt } from './eth-tx.ts'
import { otsNumber } from './ots.ts'

/** The largest page a search returns (Otterscan asks for 25). */
export const MAX_PAGE_SIZE = 1000

function history(ctx: RpcContext): AddressHistory {
  if (!ctx.history) throw new UnsupportedError('the address index is not running on this node (on by default for the dev node; start with --ots.index)')
  return ctx.history
}

/** Distinct transaction indices of a block's records, ascending. */
const txIndices = (b: AppearanceBlock): number[] => [...new Set(b.records.map((r) => r.tx))].sort((x, y) => x - y)

function search(ctx: RpcContext, p: unknown, direction: 'before' | 'after') {
  const a = args(p, 3, 3)
  const who = address(a[0], 0)
  const from = otsNumber(a[1], 1)
  const pageSize = otsNumber(a[2], 2)
  if (pageSize > MAX_PAGE_SIZE) throw new LimitExceededError(`max allowed page size: ${MAX_PAGE_SIZE}`)
  const txs: unknown[] = []
  const receipts: unknown[] = []
  const it = history(ctx).blocks(who, direction, from === 0 ? undefined : BigInt(from))[Symbol.iterator]()
  let hasMore = false
  for (let next = it.next(); !next.done; next = it.next()) {
    if (txs.length >= pageSize) {
      hasMore = true
      break
    }
    const b = next.value
    const block = ctx.chain.blockByHash(b.hash)
    if (!block) continue
    const blockReceipts = blockReceiptsJson(ctx, block)
    const indices = txIndices(b)
    for (const i of direction === 'before' ? indices.reverse() : indices) {
      txs.push(txAt(ctx, block, i))
      // Erigon adds the block's time to each receipt, as a JSON number
      receipts.push({ ...blockReceipts[i], timestamp: Number(block.header.timestamp) })
    }
  }
  it.return?.()
  if (direction === 'before') return { txs, receipts, firstPage: from === 0, lastPage: !hasMore }
  return { txs: txs.reverse(), receipts: receipts.reverse(), firstPage: !hasMore, lastPage: from === 0 }
}

/** The mined transaction of `sender` with `nonce`, scanning the sender's appearances oldest first. */
function bySenderAndNonce(ctx: RpcContext, sender: Address, nonce: bigint): string | null {
  for (const b of history(ctx).blocks(sender, 'after')) {
    const block = ctx.chain.blockByHash(b.hash)
    const senders = ctx.chain.senders(b.hash)
    if (!block || !senders) continue
    for (const i of txIndices(b)) {
      if (!equalBytes(senders[i]!, sender)) continue
      const tx = block.transactions[i]!
      if (tx.nonce === nonce) return hex(transactionHash(tx))
      // nonces only grow: a later one means no transaction had this nonce
      if (tx.nonce > nonce) return null
    }
  }
  return null
}

function creatorOf(ctx: RpcContext, contract: Address) {
  const code = requireState(ctx, { tag: 'latest' }).state.getAccount(contract)?.code
  if (!code || code.length === 0) return null
  // the latest creation: a CREATE2 address may have been created, destroyed and created again
  for (const b of history(ctx).blocks(contract, 'before')) {
    const r = b.records.findLast((x) => x.creator)
    const block: Block | undefined = r && ctx.chain.blockByHash(b.hash)
    if (r && block) return { hash: hex(transactionHash(block.transactions[r.tx]!)), creator: hex(r.creator!) }
  }
  return null
}

export const otsSearchMethods: Methods = {
  ots_searchTransactionsBefore: (ctx, p) => search(ctx, p, 'before'),
  ots_searchTransactionsAfter: (ctx, p) => search(ctx, p, 'after'),
  ots_getTransactionBySenderAndNonce(ctx, p) {
    const a = args(p, 2, 2)
    return bySenderAndNonce(ctx, address(a[0], 0), typeof a[1] === 'number' ? BigInt(otsNumber(a[1], 1)) : quantity(a[1], 1, 64))
  },
  ots_getContractCreator: (ctx, p) => creatorOf(ctx, address(args(p, 1, 1)[0], 0)),
}
