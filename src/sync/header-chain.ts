/**
 * Checks of headers from peers, fetched backwards from the sync target: a response to
 * `GetBlockHeaders(origin, reverse)` must start with the header of that hash (or number) and go down
 * one block at a time, each header the parent its child names, and each child must meet the
 * header rules against its parent as the chain checks them on import (executor's
 * `validateHeader`: number, timestamp, gas limit, base fee, blob gas, fork fields).
 *
 * Pure functions of their inputs. Callers: the syncer (header phase), tests.
 */
import { blobParamsAt, forkAt, type ChainSpec } from '../chainspec/index.ts'
import { validateHeader } from '../executor/index.ts'
import { bytesToHex, encodeRlp, equalBytes, type Hash, type RlpItem } from '../primitives/index.ts'
import { decodeHeader, headerHash, type Header } from '../types/index.ts'
import { SyncPeerError } from './errors.ts'

/** Headers of a response, decoded; a header that does not decode is the peer's fault. */
export function decodeHeaders(items: readonly RlpItem[]): Header[] {
  return items.map((item, i) => {
    try {
      return decodeHeader(encodeRlp(item))
    } catch (cause) {
      throw new SyncPeerError('BAD_HEADERS', `header ${i} of the response does not decode`, { cause })
    }
  })
}

/** The header rules of `child` against `parent`, as import applies them; a breach is the peer's fault. */
export function checkChild(spec: ChainSpec, child: Header, parent: Header): void {
  if (!equalBytes(child.parentHash, headerHash(parent)))
    throw new SyncPeerError('BAD_HEADERS', `header ${child.number} names parent ${bytesToHex(child.parentHash)}, got ${bytesToHex(headerHash(parent))}`)
  try {
    validateHeader(child, parent, { fork: forkAt(spec, child.number, child.timestamp), blob: blobParamsAt(spec, child.timestamp) })
  } catch (cause) {
    throw new SyncPeerError('BAD_HEADERS', `header ${child.number} breaks the header rules: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

/**
 * A reverse batch, highest first, checked: the first header is `origin` (a hash, and then, when
 * known, number `originNumber`; or a number, for a request by number), each next one is its
 * predecessor's parent and meets the rules with it. `child`, when given, is the header just above
 * the batch (checked against the batch's first). Returns the headers; an empty response is
 * allowed (the peer lacks them) and returns [].
 */
export function checkReverseBatch(spec: ChainSpec, headers: readonly Header[], origin: Hash | bigint, opts: { originNumber?: bigint; child?: Header } = {}): Header[] {
  if (headers.length === 0) return []
  const first = headers[0]!
  const number = typeof origin === 'bigint' ? origin : opts.originNumber
  if (typeof origin !== 'bigint' && !equalBytes(headerHash(first), origin)) throw new SyncPeerError('BAD_HEADERS', `first header is ${bytesToHex(headerHash(first))}, asked for ${bytesToHex(origin)}`)
  if (number !== undefined && first.number !== number)
    throw new SyncPeerError('BAD_HEADERS', `first header has number ${first.number}, expected ${number}`)
  if (opts.child) checkChild(spec, opts.child, first)
  for (let i = 1; i < headers.length; i++) {
    const child = headers[i - 1]!
    const parent = headers[i]!
    if (parent.number + 1n !== child.number) throw new SyncPeerError('BAD_HEADERS', `header ${parent.number} follows header ${child.number} in a reverse batch`)
    checkChild(spec, child, parent)
  }
  return [...headers]
}
