/**
 * eth_getLogs: by block hash, or over a block range of at most `logsMaxBlockRange` blocks (the
 * end clamped to the head), returning at most `logsMaxResults` logs (-32005 beyond either, as
 * erigon and providers do). Blooms rule blocks out before their receipts are read.
 */
import { headerHash } from '../../types/index.ts'
import { requireHeader } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { LimitExceededError, ServerError } from '../errors.ts'
import { blockLogs, formatLog, type PlacedLog } from '../format/receipt.ts'
import { bloomMayMatch, matchLog, parseLogFilter, type LogFilterArgs } from '../log-query.ts'
import { args } from '../params.ts'

export function queryLogs(ctx: RpcContext, f: LogFilterArgs): PlacedLog[] {
  const { chain, limits } = ctx
  const out: PlacedLog[] = []
  const take = (hash: Uint8Array) => {
    const block = chain.blockByHash(hash)
    const receipts = chain.receipts(hash)
    if (!block || !receipts) return
    if (!bloomMayMatch(block.header.logsBloom, f.query)) return
    for (const l of blockLogs(block, receipts)) {
      if (!matchLog(l.log, f.query)) continue
      if (out.length >= limits.logsMaxResults) throw new LimitExceededError(`query returned more than ${limits.logsMaxResults} results`)
      out.push(l)
    }
  }
  if (f.blockHash) {
    if (!chain.headerByHash(f.blockHash)) throw new ServerError('unknown block')
    take(f.blockHash)
    return out
  }
  const head = chain.head().number
  const from = requireHeader(ctx, f.fromBlock ?? { tag: 'latest' }).number
  const to = f.toBlock && 'number' in f.toBlock && f.toBlock.number > head ? head : f.toBlock ? requireHeader(ctx, f.toBlock).number : head
  if (from > to) {
    if (f.fromBlock && 'number' in f.fromBlock && from > head) return out
    throw new ServerError('invalid block range params')
  }
  if (to - from + 1n > BigInt(limits.logsMaxBlockRange)) throw new LimitExceededError(`query exceeds max block range ${limits.logsMaxBlockRange}`)
  for (let n = from; n <= to; n++) {
    const h = chain.headerByNumber(n)
    if (h) take(headerHash(h))
  }
  return out
}

export const ethLogMethods: Methods = {
  eth_getLogs(ctx, p) {
    const f = parseLogFilter(args(p, 1, 1)[0], 0, ctx.limits)
    return queryLogs(ctx, f).map((l) => formatLog(l.log, l.at))
  },
}
