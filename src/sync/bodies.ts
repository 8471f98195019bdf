/**
 * Bodies from peers matched to the headers asked for: a body belongs to a header when its
 * transactions root, ommers hash and withdrawals root (and the presence of withdrawals) are the
 * header's. A responder leaves out blocks it does not have and may stop early (2 MiB soft
 * limit), so the bodies of a response match an ordered subset of the request; a body that
 * matches none of the remaining headers is the peer's fault. Headers that commit to an empty
 * body need no request at all.
 *
 * Callers: the syncer (body phase), tests.
 */
import { transactionsRoot, withdrawalsRoot } from '../executor/index.ts'
import { equalBytes, encodeRlp, type RlpItem } from '../primitives/index.ts'
import { keccak256 } from '../crypto/index.ts'
import { EMPTY_TRIE_ROOT } from '../trie/index.ts'
import { decodeBlockBody, EMPTY_OMMERS_HASH, type BlockBody, type Header } from '../types/index.ts'
import { SyncPeerError } from './errors.ts'

/** The body of a header that commits to no transactions, no ommers and no withdrawals, or undefined. */
export function emptyBodyOf(h: Header): BlockBody | undefined {
  if (!equalBytes(h.transactionsRoot, EMPTY_TRIE_ROOT) || !equalBytes(h.ommersHash, EMPTY_OMMERS_HASH)) return undefined
  if (h.withdrawalsRoot === undefined) return { transactions: [], ommers: [] }
  return equalBytes(h.withdrawalsRoot, EMPTY_TRIE_ROOT) ? { transactions: [], ommers: [], withdrawals: [] } : undefined
}

interface DecodedBody {
  body: BlockBody
  ommersHash: Uint8Array
}

function decodeBody(item: RlpItem, i: number): DecodedBody {
  try {
    const parts = item as RlpItem[]
    const body = decodeBlockBody(encodeRlp(item))
    return { body, ommersHash: keccak256(encodeRlp(parts[1]!)) }
  } catch (cause) {
    throw new SyncPeerError('BAD_BODIES', `body ${i} of the response does not decode`, { cause })
  }
}

function matches(h: Header, d: DecodedBody, txRoot: Uint8Array): boolean {
  if (!equalBytes(txRoot, h.transactionsRoot) || !equalBytes(d.ommersHash, h.ommersHash)) return false
  if (h.withdrawalsRoot === undefined) return d.body.withdrawals === undefined
  return d.body.withdrawals !== undefined && equalBytes(withdrawalsRoot(d.body), h.withdrawalsRoot)
}

/**
 * Matches the bodies of a response to `headers` (the request's order). Returns a body per
 * header, undefined where the peer sent none. Throws SyncPeerError for a body matching no
 * remaining header.
 */
export function matchBodies(headers: readonly Header[], items: readonly RlpItem[]): (BlockBody | undefined)[] {
  const out: (BlockBody | undefined)[] = new Array(headers.length).fill(undefined)
  let h = 0
  for (let i = 0; i < items.length; i++) {
    const d = decodeBody(items[i]!, i)
    const txRoot = transactionsRoot(d.body)
    while (h < headers.length && !matches(headers[h]!, d, txRoot)) h++
    if (h === headers.length) throw new SyncPeerError('BAD_BODIES', `body ${i} of the response matches none of the blocks asked for (from ${headers[0]?.number})`)
    out[h++] = d.body
  }
  return out
}
