/**
 * eth_subscribe / eth_unsubscribe (WebSocket only): `newHeads` (a header per new canonical
 * block), `logs` (matching logs of new blocks, and those of blocks leaving the chain with
 * `removed: true`), `newPendingTransactions` (hashes, or full transactions with `true`),
 * `syncing` (never fires: this node does not sync), and `mosaic_stateDiffs` (each block's state
 * diff, ./mosaic.ts).
 */
import type { Methods, RpcContext } from '../context.ts'
import { InvalidParamsError, LimitExceededError, RpcError, ServerError, UnsupportedError } from '../errors.ts'
import { headEventLogs, randomId } from '../filters.ts'
import { formatHeader } from '../format/block.ts'
import { formatLog } from '../format/receipt.ts'
import { formatTransaction } from '../format/transaction.ts'
import { hex } from '../format/hex.ts'
import { parseLogFilter } from '../log-query.ts'
import { args, bool } from '../params.ts'
import { stateDiffListener } from './mosaic.ts'

class NotificationsUnsupportedError extends RpcError {
  override name = 'NotificationsUnsupportedError'
  static override code = -32601
  constructor() {
    super('notifications not supported')
  }
}

function listen(ctx: RpcContext, kind: unknown, opt: unknown): (notify: (r: unknown) => boolean, end: () => void) => () => void {
  switch (kind) {
    case 'newHeads':
      return (notify) => ctx.chain.onHead((e) => e.added.forEach((b) => notify(formatHeader(b.block.header))))
    case 'logs': {
      const criteria = parseLogFilter(opt, 1, ctx.limits)
      if (criteria.blockHash) throw new ServerError('blockHash is not allowed in a logs subscription')
      return (notify) => ctx.chain.onHead((e) => headEventLogs(e, criteria).forEach((l) => notify(formatLog(l.log, l.at))))
    }
    case 'newPendingTransactions': {
      const full = opt == null ? false : bool(opt, 1)
      const pool = ctx.pool
      if (!pool) throw new ServerError('this node has no transaction pool')
      return (notify) => pool.onPending((txs) => txs.forEach((t) => notify(full ? formatTransaction(t.tx, t.sender) : hex(t.hash))))
    }
    case 'syncing':
      return () => () => {}
    case 'mosaic_stateDiffs':
      return stateDiffListener(ctx, opt)
    default:
      if (typeof kind !== 'string') throw new InvalidParamsError('invalid argument 0: subscription name must be a string')
      throw new UnsupportedError(`no ${JSON.stringify(kind)} subscription in eth namespace`)
  }
}

export const ethSubscribeMethods: Methods = {
  eth_subscribe(ctx, p) {
    const sink = ctx.subscriptions
    if (!sink) throw new NotificationsUnsupportedError()
    const a = args(p, 2, 1)
    const start = listen(ctx, a[0], a[1])
    const id = randomId()
    let stop: () => void = () => {}
    if (!sink.add(id, () => stop())) throw new LimitExceededError(`too many subscriptions on this connection (limit ${ctx.limits.wsMaxSubscriptions})`)
    stop = start((r) => sink.notify(id, r), () => sink.remove(id))
    return id
  },
  eth_unsubscribe(ctx, p) {
    const sink = ctx.subscriptions
    if (!sink) throw new NotificationsUnsupportedError()
    const id = args(p, 1, 1)[0]
    if (typeof id !== 'string') throw new InvalidParamsError('invalid argument 0: subscription id must be a string')
    return sink.remove(id)
  },
}
