/** txpool_ (geth's format): content, contentFrom, status, inspect — accounts checksummed, nonces as decimal keys. */
import { toChecksumAddress } from '../../primitives/index.ts'
import type { PoolContent, PooledTransaction, TransactionPool } from '../../txpool/index.ts'
import { gasFeeCap } from '../../types/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { UnsupportedError } from '../errors.ts'
import { qty } from '../format/hex.ts'
import { formatTransaction } from '../format/transaction.ts'
import { address, args } from '../params.ts'

function poolOf(ctx: RpcContext): TransactionPool {
  if (!ctx.pool) throw new UnsupportedError('this node has no transaction pool')
  return ctx.pool
}

function byNonce<T>(txs: readonly PooledTransaction[], f: (p: PooledTransaction) => T): Record<string, T> {
  return Object.fromEntries(txs.map((p) => [p.tx.nonce.toString(), f(p)]))
}

function byAccount<T>(c: PoolContent, f: (p: PooledTransaction) => T): Record<string, Record<string, T>> {
  return Object.fromEntries([...c.values()].map((txs) => [toChecksumAddress(txs[0]!.sender), byNonce(txs, f)]))
}

const full = (p: PooledTransaction) => formatTransaction(p.tx, p.sender)

function summary(p: PooledTransaction): string {
  const t = p.tx
  const to = t.to ? toChecksumAddress(t.to) : 'contract creation'
  return `${to}: ${t.value} wei + ${t.gasLimit} gas × ${gasFeeCap(t)} wei`
}

export const txpoolMethods: Methods = {
  txpool_content(ctx, p) {
    args(p, 0)
    const c = poolOf(ctx).content()
    return { pending: byAccount(c.pending, full), queued: byAccount(c.queued, full) }
  },
  txpool_contentFrom(ctx, p) {
    const who = address(args(p, 1, 1)[0], 0)
    const c = poolOf(ctx).contentFrom(who)
    return { pending: byNonce(c.pending, full), queued: byNonce(c.queued, full) }
  },
  txpool_status(ctx, p) {
    args(p, 0)
    const s = poolOf(ctx).status()
    return { pending: qty(s.pending), queued: qty(s.queued) }
  },
  txpool_inspect(ctx, p) {
    args(p, 0)
    const c = poolOf(ctx).content()
    return { pending: byAccount(c.pending, summary), queued: byAccount(c.queued, summary) }
  },
}
