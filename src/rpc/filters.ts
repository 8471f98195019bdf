/**
 * Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter): each
 * buffers what happened since its last poll (new block hashes, matching logs with `removed` on
 * reorgs, new pending transaction hashes) up to `filterMaxBuffered` items (older ones are
 * dropped). A filter not polled for `filterTimeoutMs` is uninstalled, as geth does after 5 min.
 * One chain listener and one pool listener serve all filters, attached while any exists.
 */
import { bytesToHex } from '../primitives/index.ts'
import { headerHash } from '../types/index.ts'
import type { PoolReader } from '../txpool/index.ts'
import type { ChainReader, HeadEvent } from './backend.ts'
import type { RpcLimits } from './limits.ts'
import { LimitExceededError, ServerError } from './errors.ts'
import { blockLogs, formatLog, type PlacedLog } from './format/receipt.ts'
import { formatTransaction } from './format/transaction.ts'
import { matchLog, type LogFilterArgs } from './log-query.ts'

export type FilterKind = 'logs' | 'blocks' | 'pendingTransactions'

export interface Filter {
  id: string
  kind: FilterKind
  /** For log filters. */
  criteria?: LogFilterArgs
  /** Pending-transaction filters: full transactions instead of hashes. */
  fullTx?: boolean
  lastPoll: number
  buffer: unknown[]
}

export interface FilterStore {
  install(kind: FilterKind, opts?: { criteria?: LogFilterArgs; fullTx?: boolean }): string
  get(id: string): Filter | undefined
  /** Items since the last poll; throws "filter not found". */
  changes(id: string): unknown[]
  uninstall(id: string): boolean
  size(): number
  /** Drops every filter and listener. */
  close(): void
}

/** A random 128-bit hex id, as geth's filter and subscription ids. */
export function randomId(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(16)))
}

/** Logs of a head event matching `criteria`: removed blocks' logs first (removed: true), then added. */
export function headEventLogs(e: HeadEvent, criteria: LogFilterArgs): PlacedLog[] {
  const out: PlacedLog[] = []
  const from = criteria.fromBlock && 'number' in criteria.fromBlock ? criteria.fromBlock.number : undefined
  const to = criteria.toBlock && 'number' in criteria.toBlock ? criteria.toBlock.number : undefined
  const take = (list: HeadEvent['added'], removed: boolean) => {
    for (const { block, receipts } of list) {
      const n = block.header.number
      if ((from !== undefined && n < from) || (to !== undefined && n > to)) continue
      for (const l of blockLogs(block, receipts, removed)) if (matchLog(l.log, criteria.query)) out.push(l)
    }
  }
  take(e.removed, true)
  take(e.added, false)
  return out
}

/** What filters follow: the chain's head events and the pool's new transactions. */
export interface FilterSources {
  chain: ChainReader
  pool?: PoolReader
}

export function createFilterStore(backend: FilterSources, limits: RpcLimits, now: () => number = Date.now): FilterStore {
  const filters = new Map<string, Filter>()
  let stopChain: (() => void) | undefined
  let stopPool: (() => void) | undefined
  let sweeper: ReturnType<typeof setInterval> | undefined

  const push = (f: Filter, items: unknown[]) => {
    for (const i of items) f.buffer.push(i)
    if (f.buffer.length > limits.filterMaxBuffered) f.buffer.splice(0, f.buffer.length - limits.filterMaxBuffered)
  }

  const onHead = (e: HeadEvent) => {
    for (const f of filters.values()) {
      if (f.kind === 'blocks') push(f, e.added.map((b) => bytesToHex(headerHash(b.block.header))))
      else if (f.kind === 'logs') push(f, headEventLogs(e, f.criteria!).map((l) => formatLog(l.log, l.at)))
    }
  }

  const sweep = () => {
    const t = now()
    for (const [id, f] of filters) if (t - f.lastPoll > limits.filterTimeoutMs) filters.delete(id)
    detachIfIdle()
  }

  const attach = () => {
    stopChain ??= backend.chain.onHead(onHead)
    if (backend.pool && !stopPool)
      stopPool = backend.pool.onPending((txs) => {
        for (const f of filters.values())
          if (f.kind === 'pendingTransactions') push(f, txs.map((t) => (f.fullTx ? formatTransaction(t.tx, t.sender) : bytesToHex(t.hash))))
      })
    if (!sweeper) {
      sweeper = setInterval(sweep, Math.max(1000, Math.min(60_000, limits.filterTimeoutMs / 2)))
      sweeper.unref?.()
    }
  }

  const detachIfIdle = () => {
    if (filters.size > 0) return
    stopChain?.()
    stopPool?.()
    stopChain = stopPool = undefined
    if (sweeper) clearInterval(sweeper)
    sweeper = undefined
  }

  return {
    install(kind, opts = {}) {
      sweep()
      if (filters.size >= limits.maxFilters) throw new LimitExceededError(`too many installed filters (limit ${limits.maxFilters})`)
      const id = randomId()
      filters.set(id, { id, kind, criteria: opts.criteria, fullTx: opts.fullTx, lastPoll: now(), buffer: [] })
      attach()
      return id
    },
    get(id) {
      const f = filters.get(id)
      if (f && now() - f.lastPoll > limits.filterTimeoutMs) {
        filters.delete(id)
        detachIfIdle()
        return undefined
      }
      return f
    },
    changes(id) {
      const f = this.get(id)
      if (!f) throw new ServerError('filter not found')
      f.lastPoll = now()
      const out = f.buffer
      f.buffer = []
      return out
    },
    uninstall(id) {
      const ok = filters.delete(id)
      detachIfIdle()
      return ok
    },
    size: () => filters.size,
    close() {
      filters.clear()
      detachIfIdle()
    },
  }
}
