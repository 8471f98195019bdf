/**
 * The header phase of sync: headers back from the target until they meet the chain, stored in
 * the skeleton (skeleton.ts) as they link.
 *
 * The batch right below the stored headers (the tail) goes by hash, the tail's parentHash (at
 * first the target's hash: its number is not known yet). Once the number is known, up to
 * `headerBatchesAhead` batches below it go by number, down to the head (or the previous target's
 * headers: the link is expected there; below that it is by hash, one batch at a time), to the
 * peers by measured throughput (`rates`, one request per peer), so that several peers serve at
 * once. Each answer is checked on its own (header-chain.ts: the asked origin, each header its
 * child's parent, the header rules) and held, memory bounded by the batches ahead, until the
 * batch above it is stored; then its first header must be the tail's parent: if it is not, the
 * peer is on another branch (no fault of its own), the range is asked again by hash and that
 * peer is asked by hash only. The skeleton grows only by the contiguous linked part below its
 * tail, one atomic write per batch, so a restart finds a chain from the target down.
 *
 * A peer that breaks a rule (SyncPeerError) or does not answer is dropped, and its range asked
 * of another. Caller: the syncer (syncer.ts), which passes its peers, requests and wake-ups in.
 */
import type { EthPeer } from '../p2p/index.ts'
import { P2pError } from '../p2p/index.ts'
import { bytesToHex, equalBytes, type Hash } from '../primitives/index.ts'
import { headerHash, type Header } from '../types/index.ts'
import { SyncError, SyncPeerError } from './errors.ts'
import { checkChild, checkReverseBatch, decodeHeaders } from './header-chain.ts'
import type { Scheduler } from './scheduler.ts'
import type { Skeleton, SkeletonState } from './skeleton.ts'
import type { SyncChain, SyncLimits, SyncLog, SyncTargetInput } from './types.ts'

/** What the header phase uses of the syncer. */
export interface HeaderPhase {
  chain: SyncChain
  skeleton: Skeleton
  limits: SyncLimits
  log: SyncLog
  /** Header throughput per peer, one request each. */
  rates: Scheduler
  peerOf(key: string): EthPeer | undefined
  /** A request with the syncer's deadline (a late answer is a TIMEOUT SyncPeerError). */
  request<T>(p: Promise<T>): Promise<T>
  /** Drops the peer for `err` (logged). */
  drop(peer: EthPeer, err: SyncPeerError): void
  /** Throws when `t` is no longer the target or the syncer stops. */
  check(t: SyncTargetInput): void
  /** Sleeps up to `ms`, `wake` ends it early. */
  sleep(ms: number): Promise<void>
  wake(): void
  /** Waits a while for peers that have `what`, with a log line now and then. */
  waitForPeers(what: string): Promise<void>
  /** Stores headers of `t`'s chain and the state (one batch). */
  save(t: SyncTargetInput, st: SkeletonState, headers: readonly Header[], drop?: { from: bigint; to: bigint }): void
  /** Whether `e` is the syncer's stop or a target change (not a failure). */
  aborted(e: unknown): boolean
  /** The target's number, known with its header. */
  targetNumber(n: bigint): void
}

const short = (key: string) => `${key.slice(0, 16)}…`

/** Whether `h`'s parent is a stored block (the skeleton meets the chain there). */
const linkedIn = (chain: SyncChain, h: Header) => chain.headerByHash(h.parentHash) !== undefined

/**
 * A range of headers below the skeleton's tail, asked from one peer: the top one (the tail's
 * parent and down) by hash, the ones below it by number, in parallel.
 */
interface HeaderSlot {
  /** The number of its highest header (undefined: the target's, not known yet). */
  origin: bigint | undefined
  count: number
  /** The checked batch, waiting for the one above it to be stored. */
  headers?: Header[]
  /** The peer that sent `headers`. */
  from?: string
  inFlight: boolean
  /** Peers that answered it with nothing. */
  lacking: Set<string>
}
const newSlot = (origin: bigint | undefined, count: number): HeaderSlot => ({ origin, count, inFlight: false, lacking: new Set() })

export async function fetchHeaders(d: HeaderPhase, t: SyncTargetInput): Promise<SkeletonState> {
  const { chain, skeleton, limits, log, rates } = d
  const spec = chain.spec
  let st = skeleton.state()
  const prev = st && !equalBytes(st.hash, t.hash) ? st : undefined
  if (!st || prev) {
    st = undefined
    if (t.block) {
      const h = t.block.header
      st = { hash: t.hash, number: h.number, tail: h.number }
      d.save(t, st, [h])
    }
  }
  const per = BigInt(limits.headersPerRequest)
  // the link is expected right above the head (or the previous target's headers): below that,
  // headers are fetched by hash, one batch at a time
  const head = chain.head().number + 1n
  const floor = prev && prev.number + 1n > head ? prev.number + 1n : head
  /** Peers whose batch by number did not link (another branch): asked by hash only. */
  const offBranch = new Set<string>()
  /** The ranges below the tail, highest first, each right below the one before. */
  let slots: HeaderSlot[] = []
  let failure: unknown

  /** The top slot right below the tail, then by number down to the floor, `headerBatchesAhead` at most. */
  const arrange = (topNumber: bigint | undefined) => {
    if (topNumber === undefined) {
      if (slots.length === 0) slots.push(newSlot(undefined, limits.headersPerRequest))
      return
    }
    slots = slots.filter((s) => s.origin !== undefined && s.origin <= topNumber)
    const below = slots[0] ? slots[0].origin! : -1n
    if (below !== topNumber) slots.unshift(newSlot(topNumber, Number(topNumber - below < per ? topNumber - below : per)))
    while (slots.length < limits.headerBatchesAhead) {
      const last = slots[slots.length - 1]!
      const next = last.origin! - BigInt(last.count)
      if (next < floor) break
      slots.push(newSlot(next, Number(next - floor + 1n < per ? next - floor + 1n : per)))
    }
  }

  /** Asks `peer` for slot `s` (by `origin`: a hash for the top, a number below); the answer is checked on its own and kept in the slot. */
  const fetchSlot = (s: HeaderSlot, peer: EthPeer, origin: Hash | bigint) => {
    s.inFlight = true
    rates.started(peer.key)
    const began = performance.now()
    let got = 0
    void (async () => {
      try {
        const r = await d.request(peer.request({ kind: 'GetBlockHeaders', origin, limit: BigInt(s.count), skip: 0n, reverse: true }))
        if (r.kind !== 'BlockHeaders') throw new SyncPeerError('BAD_HEADERS', `answered ${r.kind}`)
        const headers = checkReverseBatch(spec, decodeHeaders(r.headers), origin, { originNumber: s.origin })
        if (headers.length > s.count) throw new SyncPeerError('BAD_HEADERS', `sent ${headers.length} headers, asked for ${s.count}`)
        got = headers.length
        if (!slots.includes(s)) return // the tail moved past it meanwhile
        if (headers.length === 0) {
          // an eth/69 peer that announced the block and sends nothing is of no use (by hash: only its announced head,
          // a peer on another branch does not have ours)
          const range = peer.range
          if (range && (typeof origin === 'bigint' ? range.latest >= origin : equalBytes(range.latestHash, origin)))
            throw new SyncPeerError('USELESS', `announced blocks up to ${range.latest} but sent no header for ${typeof origin === 'bigint' ? origin : bytesToHex(origin)}`)
          s.lacking.add(peer.key)
          return
        }
        if (s.origin !== undefined && headers.length < s.count) {
          // a short answer: the rest is a range of its own
          slots.splice(slots.indexOf(s) + 1, 0, newSlot(s.origin - BigInt(headers.length), s.count - headers.length))
          s.count = headers.length
        }
        s.headers = headers
        s.from = peer.key
      } catch (e) {
        if (e instanceof SyncPeerError) d.drop(peer, e)
        else if (!(e instanceof P2pError) && !d.aborted(e)) failure ??= e
      } finally {
        s.inFlight = false
        rates.finished(peer.key, got, performance.now() - began)
        d.wake()
      }
    })()
  }

  for (;;) {
    d.check(t)
    if (failure) throw failure
    const tailHeader = st && st.tail <= st.number ? skeleton.header(st.tail) : undefined
    if (st && tailHeader) {
      if (linkedIn(chain, tailHeader)) {
        const parent = chain.headerByHash(tailHeader.parentHash)!
        checkChild(spec, tailHeader, parent)
        if (prev && prev.number > st.number) d.save(t, st, [], { from: st.number + 1n, to: prev.number })
        return st
      }
      if (tailHeader.number === 0n) throw new SyncError('INVALID_CHAIN', 'the target chain reaches a genesis that is not ours')
    }
    arrange(tailHeader ? tailHeader.number - 1n : undefined)
    const top = slots[0]!
    if (top.headers) {
      slots.shift()
      const headers = top.headers
      const from = top.from!
      if (tailHeader) {
        // a batch by number from a peer on another branch is no fault: its range is asked again
        // by hash, its other batches are dropped, and it is asked by hash only from now on
        if (!equalBytes(tailHeader.parentHash, headerHash(headers[0]!))) {
          log('debug', 'Sync header batch does not link', { number: top.origin, peer: short(from) })
          offBranch.add(from)
          for (const s of slots) {
            if (s.from !== from) continue
            s.headers = undefined
            s.from = undefined
          }
          slots.unshift(newSlot(top.origin, top.count))
          continue
        }
        try {
          checkChild(spec, tailHeader, headers[0]!)
        } catch (e) {
          if (!(e instanceof SyncPeerError)) throw e
          const peer = d.peerOf(from)
          if (peer) d.drop(peer, e)
          slots.unshift(newSlot(top.origin, top.count))
          continue
        }
      }
      // keep the headers down to the link: a stored block, or the previous target's chain
      const keep: Header[] = []
      let joinedPrev = false
      for (const h of headers) {
        if (chain.headerByHash(headerHash(h))) break
        keep.push(h)
        if (linkedIn(chain, h)) break
        const below = h.number - 1n
        if (prev && below >= prev.tail && below <= prev.number) {
          const old = skeleton.header(below)
          if (old && equalBytes(headerHash(old), h.parentHash)) {
            joinedPrev = true
            break
          }
        }
      }
      const topSt = st ?? { hash: t.hash, number: headers[0]!.number, tail: headers[0]!.number + 1n }
      d.targetNumber(topSt.number)
      if (keep.length === 0) {
        // the target itself was stored meanwhile (the consensus client fed it): nothing to fetch
        if (!st) return { ...topSt, tail: topSt.number + 1n }
        continue // the tail's parent was stored meanwhile: the next round sees the link
      }
      const lowest = keep[keep.length - 1]!.number
      st = { ...topSt, tail: joinedPrev ? prev!.tail : lowest }
      d.save(t, st, keep)
      log('debug', 'Sync headers stored', { from: lowest, to: keep[0]!.number, peer: short(from) })
      continue
    }
    // hand out the slots: the top by hash (to a peer on another branch only if no other is free), the others by number
    for (const [i, s] of slots.entries()) {
      if (s.headers || s.inFlight) continue
      const pr = rates.pick((k) => s.lacking.has(k) || offBranch.has(k)) ?? (i === 0 ? rates.pick((k) => s.lacking.has(k)) : undefined)
      const peer = pr && d.peerOf(pr.key)
      if (peer) fetchSlot(s, peer, i === 0 ? (tailHeader?.parentHash ?? t.hash) : s.origin!)
    }
    if (slots.some((s) => s.inFlight)) {
      await d.sleep(1000)
      continue
    }
    // nothing asked: no peer (left) has the top range
    await d.waitForPeers(`block ${bytesToHex(tailHeader?.parentHash ?? t.hash)}`)
    for (const s of slots) if ([...rates.peers.keys()].every((k) => s.lacking.has(k))) s.lacking.clear()
  }
}
