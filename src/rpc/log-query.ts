/**
 * Log filter criteria, shared by eth_getLogs, log filters and `logs` subscriptions: addresses
 * (any of), and up to four topic positions, each a wildcard (null or []), one hash, or a list of
 * hashes (any of). A block's bloom rules it out before its receipts are read.
 */
import { equalBytes, type Address, type Hash } from '../primitives/index.ts'
import { bloomContains, type Bloom, type Log } from '../types/index.ts'
import type { RpcLimits } from './limits.ts'
import { ServerError } from './errors.ts'
import { address, array, blockNumber, field, hash, knownFields, object, type At, type BlockTag } from './params.ts'

export interface LogQuery {
  /** Empty: any address. */
  addresses: Address[]
  /** Per position: null is any topic, else one of the hashes. */
  topics: (Hash[] | null)[]
}

export interface LogFilterArgs {
  query: LogQuery
  fromBlock?: { tag: BlockTag } | { number: bigint }
  toBlock?: { tag: BlockTag } | { number: bigint }
  blockHash?: Hash
}

const MAX_TOPICS = 4

export function parseLogFilter(v: unknown, at: At, limits: RpcLimits): LogFilterArgs {
  const o = v === undefined || v === null ? {} : object(v, at)
  knownFields(o, at, ['fromBlock', 'toBlock', 'blockHash', 'address', 'topics'])
  const out: LogFilterArgs = { query: { addresses: [], topics: [] } }
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if ((o.fromBlock ?? null) !== null || (o.toBlock ?? null) !== null) throw new ServerError('cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other')
    out.blockHash = hash(o.blockHash, field(at, 'blockHash'))
  }
  if (o.fromBlock !== undefined && o.fromBlock !== null) out.fromBlock = blockNumber(o.fromBlock, field(at, 'fromBlock'))
  if (o.toBlock !== undefined && o.toBlock !== null) out.toBlock = blockNumber(o.toBlock, field(at, 'toBlock'))
  if (o.address !== undefined && o.address !== null) {
    const list = Array.isArray(o.address) ? array(o.address, field(at, 'address'), limits.logsMaxAddresses) : [o.address]
    out.query.addresses = list.map((a, i) => address(a, Array.isArray(o.address) ? field(field(at, 'address'), i) : field(at, 'address')))
  }
  if (o.topics !== undefined && o.topics !== null) {
    const topics = array(o.topics, field(at, 'topics'), Number.MAX_SAFE_INTEGER)
    if (topics.length > MAX_TOPICS) throw new ServerError('exceed max topics')
    out.query.topics = topics.map((t, i) => {
      const p = field(field(at, 'topics'), i)
      if (t === null) return null
      if (Array.isArray(t)) {
        const alts = array(t, p, limits.logsMaxAddresses)
        return alts.length === 0 ? null : alts.map((h, j) => hash(h, field(p, j)))
      }
      return [hash(t, p)]
    })
  }
  return out
}

export function matchLog(log: Log, q: LogQuery): boolean {
  if (q.addresses.length > 0 && !q.addresses.some((a) => equalBytes(a, log.address))) return false
  // as geth: a filter with more topic positions than the log has never matches it
  if (q.topics.length > log.topics.length) return false
  for (let i = 0; i < q.topics.length; i++) {
    const alts = q.topics[i]
    if (alts && !alts.some((h) => equalBytes(h, log.topics[i]!))) return false
  }
  return true
}

/** False when the bloom proves no log of the block can match. */
export function bloomMayMatch(bloom: Bloom, q: LogQuery): boolean {
  if (q.addresses.length > 0 && !q.addresses.some((a) => bloomContains(bloom, a))) return false
  for (const alts of q.topics) if (alts && !alts.some((h) => bloomContains(bloom, h))) return false
  return true
}
