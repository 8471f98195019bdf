/**
 * Serving chain data to eth peers: GetBlockHeaders (from a number or a hash, with skip and
 * reverse), GetBlockBodies and GetReceipts, read from an `EthChainSource`. A response ends at the
 * count asked for (never above `maxHeaders`/`maxBodies`/`maxReceipts`; a request above them was
 * refused on arrival, see requests.ts) or once `softResponseBytes` are gathered, as geth's
 * handlers do. Blocks we do not have are left out of bodies and receipts, and end a header walk.
 *
 * Callers: the eth service.
 */
import { decodeRlp, encodeRlp, equalBytes, type Hash, type RlpItem } from '../../primitives/index.ts'
import { encodeBlockBody, encodeBlockReceipt, encodeHeader, headerHash, logToRlp, type BlockBody, type Header, type Receipt } from '../../types/index.ts'
import type { EthMessage, EthVersion } from './messages.ts'
import { ETH_LIMITS } from './requests.ts'

/**
 * The chain reads the eth protocol needs, declared here so that any chain (`Blockchain`, a
 * follower, a test double) can stand behind it.
 */
export interface EthChainSource {
  head(): Header
  headerByNumber(number: bigint): Header | undefined
  headerByHash(hash: Hash): Header | undefined
  canonicalHash(number: bigint): Hash | undefined
  /** The block's body (a whole block will do). */
  blockByHash(hash: Hash): BlockBody | undefined
  receipts(blockHash: Hash): Receipt[] | undefined
  /** Tells `listener` of each new canonical head; returns the unsubscribe. */
  onHead(listener: (e: { block: { header: Header } }) => void): () => void
}

export interface ServeLimits {
  maxHeaders: number
  maxBodies: number
  maxReceipts: number
  /** Bytes after which a response stops growing (geth's softResponseLimit). */
  softResponseBytes: number
}

export const SERVE_LIMITS: ServeLimits = {
  maxHeaders: ETH_LIMITS.maxHeadersServe,
  maxBodies: ETH_LIMITS.maxBodiesServe,
  maxReceipts: ETH_LIMITS.maxReceiptsServe,
  softResponseBytes: ETH_LIMITS.softResponseBytes,
}

/** Parent links followed from a header off the canonical chain (geth's maxNonCanonical). */
const MAX_SIDE_WALK = 100n

type HeaderQuery = Extract<EthMessage, { kind: 'GetBlockHeaders' }>

const isCanonical = (chain: EthChainSource, h: Header) => {
  const c = chain.canonicalHash(h.number)
  return c !== undefined && equalBytes(c, headerHash(h))
}

/** The header `step` blocks from `cur` (towards the genesis when `reverse`), or undefined. */
function stepFrom(chain: EthChainSource, cur: Header, canonical: boolean, step: bigint, reverse: boolean): Header | undefined {
  if (!reverse) {
    if (!canonical) return undefined // a side branch's children are unknown by number
    const next = cur.number + step
    // nothing canonical lies past the head (and a huge skip must not reach the store's uint64 keys)
    return next <= chain.head().number ? chain.headerByNumber(next) : undefined
  }
  if (cur.number < step) return undefined
  if (canonical) return chain.headerByNumber(cur.number - step)
  if (step > MAX_SIDE_WALK) return undefined
  let h: Header | undefined = cur
  for (let i = 0n; i < step && h; i++) h = chain.headerByHash(h.parentHash)
  return h
}

/** The headers a GetBlockHeaders asks for, as RLP items. */
export function serveHeaders(chain: EthChainSource, q: HeaderQuery, limits: ServeLimits = SERVE_LIMITS): RlpItem[] {
  const max = q.limit < BigInt(limits.maxHeaders) ? Number(q.limit) : limits.maxHeaders
  const out: RlpItem[] = []
  let cur = typeof q.origin === 'bigint' ? chain.headerByNumber(q.origin) : chain.headerByHash(q.origin)
  let canonical = cur !== undefined && (typeof q.origin === 'bigint' || isCanonical(chain, cur))
  let bytes = 0
  while (cur && out.length < max) {
    const enc = encodeHeader(cur)
    out.push(decodeRlp(enc))
    bytes += enc.length
    if (bytes >= limits.softResponseBytes || out.length === max) break
    cur = stepFrom(chain, cur, canonical, q.skip + 1n, q.reverse)
    if (cur && !canonical) canonical = isCanonical(chain, cur)
  }
  return out
}

/** The bodies of the blocks asked for that we have, as RLP items. */
export function serveBodies(chain: EthChainSource, hashes: readonly Hash[], limits: ServeLimits = SERVE_LIMITS): RlpItem[] {
  const out: RlpItem[] = []
  let bytes = 0
  for (const h of hashes.slice(0, limits.maxBodies)) {
    const body = chain.blockByHash(h)
    if (!body) continue
    const enc = encodeBlockBody(body)
    out.push(decodeRlp(enc))
    bytes += enc.length
    if (bytes >= limits.softResponseBytes) break
  }
  return out
}

/**
 * A receipt as the Receipts message of `version` carries it: eth/68 the consensus encoding
 * (typed ones wrapped in a byte string), eth/69 `[tx-type, post-state-or-status,
 * cumulative-gas, logs]` without the bloom (EIP-7642).
 */
export function receiptItem(version: EthVersion, r: Receipt): { item: RlpItem; size: number } {
  const enc = version === 68 ? encodeBlockReceipt(r) : encodeRlp([r.type, r.root ?? r.status ?? 0, r.cumulativeGasUsed, r.logs.map(logToRlp)])
  return { item: decodeRlp(enc), size: enc.length }
}

/** Per block asked for that we have, its receipts for `version`. */
export function serveReceipts(chain: EthChainSource, version: EthVersion, hashes: readonly Hash[], limits: ServeLimits = SERVE_LIMITS): RlpItem[][] {
  const out: RlpItem[][] = []
  let bytes = 0
  for (const h of hashes.slice(0, limits.maxReceipts)) {
    const receipts = chain.receipts(h)
    if (!receipts) continue
    const block: RlpItem[] = []
    for (const r of receipts) {
      const { item, size } = receiptItem(version, r)
      block.push(item)
      bytes += size
    }
    out.push(block)
    if (bytes >= limits.softResponseBytes) break
  }
  return out
}
