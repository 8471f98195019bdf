/**
 * The transaction fetcher: turns eth/68 announcements (NewPooledTransactionHashes with types and
 * sizes) into GetPooledTransactions requests and checks what comes back.
 *
 * - A hash is wanted when some peer announced it and the pool neither holds it nor recently
 *   refused it (`known`). It is requested only after `gatherMs` (geth waits 500 ms), so that a
 *   direct broadcast of the full transaction can arrive first (`arrived` then cancels it).
 * - Each peer has at most `maxAnnounces` outstanding announcements (further ones are ignored,
 *   as geth does) and one request in flight, of at most `maxBatch` hashes and `maxBatchBytes`
 *   announced bytes (geth: 256 hashes, 128 KiB).
 * - A response may hold only requested hashes, each at most once, each of the announced type
 *   and size (within `sizeSlack` bytes, as geth allows). Anything else is a protocol breach:
 *   the peer is dropped. Hashes a peer did not deliver go to the other peers that announced them.
 *
 * Callers: the transaction gossip (tx-gossip.ts), which hands the verified transactions to the
 * pool through `deliver`.
 */
import { bytesToHex, type Hash, type RlpItem } from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import { decodeWireTransaction, type WireTransaction } from './wire.ts'

export interface FetchPeer {
  /** Hex node id. */
  readonly key: string
  /** Sends GetPooledTransactions and resolves with the response's transaction items. */
  request(hashes: Hash[]): Promise<RlpItem[]>
  /** Ends the session for a protocol breach. */
  drop(err: P2pError): void
}

export interface TxFetcherOptions {
  /** Whether a hash needs no fetching (held by the pool, or refused recently). */
  known(hash: Hash, hex: string): boolean
  /** Verified transactions of a response, for the pool. */
  deliver(peer: FetchPeer, txs: WireTransaction[]): void
  gatherMs?: number
  maxAnnounces?: number
  maxBatch?: number
  maxBatchBytes?: number
  sizeSlack?: number
}

export interface TxFetcher {
  /** A peer's NewPooledTransactionHashes (lists of equal length, checked by the decoder). */
  announced(peer: FetchPeer, types: Uint8Array, sizes: readonly number[], hashes: readonly Hash[]): void
  /** Hashes that reached the pool another way (a direct broadcast, RPC): no need to fetch. */
  arrived(hex: string): void
  removePeer(key: string): void
  /** Hashes wanted and not yet delivered. */
  readonly wanted: number
  /** Hashes announced by a peer and outstanding. */
  outstanding(key: string): number
  stop(): void
}

export const FETCH_DEFAULTS = { gatherMs: 500, maxAnnounces: 4096, maxBatch: 256, maxBatchBytes: 128 * 1024, sizeSlack: 8 }

interface Meta {
  hash: Hash
  type: number
  size: number
}

interface PeerState {
  peer: FetchPeer
  /** Outstanding announcements: hex hash → what was announced. */
  announces: Map<string, Meta>
  busy: boolean
}

const breach = (details: string) => new P2pError('PROTOCOL', 'bad pooled transactions response', { details, reason: DisconnectReason.SubprotocolError })

export function createTxFetcher(opts: TxFetcherOptions): TxFetcher {
  const o = { ...FETCH_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<TxFetcherOptions>
  const peers = new Map<string, PeerState>()
  /** Wanted hashes: when first announced, and by whom. */
  const wanted = new Map<string, { at: number; by: Set<string> }>()
  /** Hashes in flight → the peer asked. */
  const fetching = new Map<string, string>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  const forget = (hex: string) => {
    const w = wanted.get(hex)
    if (!w) return
    for (const k of w.by) peers.get(k)?.announces.delete(hex)
    wanted.delete(hex)
  }
  /** `key` does not have `hex` (or failed to send it): the others may. */
  const without = (key: string, hex: string) => {
    peers.get(key)?.announces.delete(hex)
    const w = wanted.get(hex)
    if (!w) return
    w.by.delete(key)
    if (w.by.size === 0) wanted.delete(hex)
  }

  const schedule = (ms: number) => {
    if (timer || stopped) return
    timer = setTimeout(tick, ms)
    ;(timer as { unref?: () => void }).unref?.()
  }

  function tick() {
    timer = null
    if (stopped) return
    const now = Date.now()
    let later = Infinity
    for (const st of peers.values()) {
      if (st.busy) continue
      const batch: Meta[] = []
      let bytes = 0
      for (const [hex, m] of st.announces) {
        const w = wanted.get(hex)
        if (!w || fetching.has(hex)) continue
        if (now - w.at < o.gatherMs) {
          later = Math.min(later, w.at + o.gatherMs - now)
          continue
        }
        if (batch.length >= o.maxBatch || (batch.length > 0 && bytes + m.size > o.maxBatchBytes)) break
        batch.push(m)
        bytes += m.size
      }
      if (batch.length) request(st, batch)
    }
    if (later !== Infinity) schedule(Math.max(1, later))
  }

  function request(st: PeerState, batch: Meta[]) {
    st.busy = true
    const key = st.peer.key
    for (const m of batch) fetching.set(bytesToHex(m.hash), key)
    const finish = () => {
      for (const m of batch) {
        const hex = bytesToHex(m.hash)
        if (fetching.get(hex) === key) fetching.delete(hex)
      }
      st.busy = false
      if (wanted.size) schedule(0)
    }
    st.peer.request(batch.map((m) => m.hash)).then(
      (items) => {
        finish()
        if (!stopped) receive(st, batch, items)
      },
      () => {
        // timed out (the eth handler penalises) or the session ended: others may have them
        finish()
        for (const m of batch) without(key, bytesToHex(m.hash))
      },
    )
  }

  /** Forgets the peer (nothing more is asked of it) and ends its session. */
  function dropPeer(st: PeerState, e: P2pError) {
    removePeer(st.peer.key)
    st.peer.drop(e)
  }

  function removePeer(key: string) {
    const st = peers.get(key)
    if (!st) return
    for (const hex of [...st.announces.keys()]) without(key, hex)
    peers.delete(key)
  }

  function receive(st: PeerState, batch: Meta[], items: RlpItem[]) {
    const asked = new Map(batch.map((m) => [bytesToHex(m.hash), m]))
    const got: WireTransaction[] = []
    const seen = new Set<string>()
    for (const item of items) {
      let w: WireTransaction
      try {
        w = decodeWireTransaction(item)
      } catch (e) {
        return dropPeer(st, e as P2pError)
      }
      const hex = bytesToHex(w.hash)
      const m = asked.get(hex)
      if (!m) return dropPeer(st, breach(`transaction ${hex} was not requested`))
      if (seen.has(hex)) return dropPeer(st, breach(`transaction ${hex} sent twice`))
      seen.add(hex)
      if (w.tx.type !== m.type) return dropPeer(st, breach(`transaction ${hex} announced as type ${m.type}, is type ${w.tx.type}`))
      if (Math.abs(w.size - m.size) > o.sizeSlack) return dropPeer(st, breach(`transaction ${hex} announced with ${m.size} bytes, has ${w.size}`))
      got.push(w)
    }
    for (const hex of asked.keys()) {
      if (seen.has(hex)) forget(hex)
      else without(st.peer.key, hex)
    }
    if (got.length) o.deliver(st.peer, got)
  }

  return {
    announced(peer, types, sizes, hashes) {
      if (stopped) return
      let st = peers.get(peer.key)
      if (!st) peers.set(peer.key, (st = { peer, announces: new Map(), busy: false }))
      const now = Date.now()
      for (let i = 0; i < hashes.length; i++) {
        const hash = hashes[i]!
        const hex = bytesToHex(hash)
        if (st.announces.has(hex) || o.known(hash, hex)) continue
        if (st.announces.size >= o.maxAnnounces) break
        st.announces.set(hex, { hash, type: types[i]!, size: sizes[i]! })
        const w = wanted.get(hex)
        if (w) w.by.add(peer.key)
        else wanted.set(hex, { at: now, by: new Set([peer.key]) })
      }
      if (wanted.size) schedule(o.gatherMs)
    },
    arrived: forget,
    removePeer,
    get wanted() {
      return wanted.size
    },
    outstanding: (key) => peers.get(key)?.announces.size ?? 0,
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}
