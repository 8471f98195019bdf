/** eth_ polling filters: new logs, new blocks, new pending transactions; changes since the last poll; uninstall. */
import type { Methods } from '../context.ts'
import { InvalidParamsError, ServerError } from '../errors.ts'
import { formatLog } from '../format/receipt.ts'
import { parseLogFilter } from '../log-query.ts'
import { args, bool } from '../params.ts'
import { queryLogs } from './eth-logs.ts'

function filterId(v: unknown): string {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw new InvalidParamsError('invalid argument 0: filter id must be a hex string')
  return v.toLowerCase()
}

export const ethFilterMethods: Methods = {
  eth_newFilter(ctx, p) {
    const criteria = parseLogFilter(args(p, 1, 1)[0], 0, ctx.limits)
    if (criteria.blockHash) throw new ServerError('blockHash is not allowed in a filter: use eth_getLogs')
    return ctx.filters.install('logs', { criteria })
  },
  eth_newBlockFilter: (ctx, p) => (args(p, 0), ctx.filters.install('blocks')),
  eth_newPendingTransactionFilter(ctx, p) {
    const a = args(p, 1)
    return ctx.filters.install('pendingTransactions', { fullTx: a[0] == null ? false : bool(a[0], 0) })
  },
  eth_getFilterChanges: (ctx, p) => ctx.filters.changes(filterId(args(p, 1, 1)[0])),
  eth_getFilterLogs(ctx, p) {
    const id = filterId(args(p, 1, 1)[0])
    const f = ctx.filters.get(id)
    if (!f || f.kind !== 'logs') throw new ServerError('filter not found')
    f.lastPoll = Date.now()
    return queryLogs(ctx, f.criteria!).map((l) => formatLog(l.log, l.at))
  },
  eth_uninstallFilter: (ctx, p) => ctx.filters.uninstall(filterId(args(p, 1, 1)[0])),
}
