/**
 * The transaction broadcaster: sends the pool's new transactions to the peers that lack them,
 * as geth does — the full transaction (Transactions) to √(peers) of them, a
 * NewPooledTransactionHashes announcement (type, size, hash) to the rest. Blob transactions and
 * ones above 4 KiB are only announced (eth/68: blob transactions are never broadcast in full).
 * Which peers get a transaction in full depends on its sender, so one sender's nonce sequence
 * travels the same paths. Each peer remembers the hashes it knows (sent to it or received from
 * it), up to `maxKnown`; new transactions are sent in batches on the next tick.
 *
 * Callers: the transaction gossip, with the pool's new pending transactions.
 */
import { bytesToHex, type RlpItem } from '../../primitives/index.ts'
import { ETH_LIMITS } from '../eth/requests.ts'
import type { EthMessage } from '../eth/messages.ts'
import { boundedSet, type BoundedSet } from './bounded-set.ts'
import { wireItem, type WireSource } from './wire.ts'

/** A pool transaction as the broadcaster needs it. */
export interface BroadcastTx extends WireSource {
  hash: Uint8Array
  sender: Uint8Array
  size: number
}

export interface BroadcastPeer {
  readonly key: string
  /** False when the peer's send buffer is full (the message is dropped). */
  send(m: EthMessage): boolean
}

export interface TxBroadcaster {
  addPeer(peer: BroadcastPeer): void
  removePeer(key: string): void
  /** The peer has this hash (it announced or sent it, or we sent it). */
  markKnown(key: string, hex: string): void
  knows(key: string, hex: string): boolean
  /** Queues new transactions for all peers lacking them. */
  broadcast(txs: readonly BroadcastTx[]): void
  /** Announces `txs` (say, the whole pool) to one peer, hashes only. */
  announceTo(key: string, txs: readonly BroadcastTx[]): void
  stop(): void
}

/** geth's txMaxBroadcastSize: larger transactions are only announced. */
export const MAX_BROADCAST_TX_SIZE = 4096
/** geth's maxTxPacketSize: bytes of transactions per Transactions message. */
export const MAX_TX_PACKET_BYTES = 100 * 1024
/** geth's maxKnownTxs. */
export const MAX_KNOWN_TXS = 32768

interface PeerEntry {
  peer: BroadcastPeer
  known: BoundedSet
  /** Per-peer salt: which senders this peer gets in full. */
  salt: number
}

/** FNV-1a of `bytes` from `seed`. */
function fnv(bytes: Uint8Array, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h
}

export function createTxBroadcaster(opts: { maxKnown?: number } = {}): TxBroadcaster {
  const peers = new Map<string, PeerEntry>()
  const queue: BroadcastTx[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  const sendFull = (e: PeerEntry, txs: BroadcastTx[]) => {
    let batch: RlpItem[] = []
    let bytes = 0
    for (const t of txs) {
      if (batch.length && bytes + t.size > MAX_TX_PACKET_BYTES) {
        e.peer.send({ kind: 'Transactions', transactions: batch })
        batch = []
        bytes = 0
      }
      batch.push(wireItem(t))
      bytes += t.size
    }
    if (batch.length) e.peer.send({ kind: 'Transactions', transactions: batch })
  }
  const sendHashes = (e: PeerEntry, txs: readonly BroadcastTx[]) => {
    for (let i = 0; i < txs.length; i += ETH_LIMITS.maxTxAnnounce) {
      const part = txs.slice(i, i + ETH_LIMITS.maxTxAnnounce)
      e.peer.send({ kind: 'NewPooledTransactionHashes', types: Uint8Array.from(part.map((t) => t.tx.type)), sizes: part.map((t) => t.size), hashes: part.map((t) => t.hash) })
    }
  }

  const flush = () => {
    timer = null
    if (stopped) return
    const txs = queue.splice(0)
    const all = [...peers.values()]
    const direct = Math.floor(Math.sqrt(all.length))
    const full = new Map<PeerEntry, BroadcastTx[]>()
    const hashes = new Map<PeerEntry, BroadcastTx[]>()
    const push = (m: Map<PeerEntry, BroadcastTx[]>, e: PeerEntry, t: BroadcastTx) => {
      const l = m.get(e)
      if (l) l.push(t)
      else m.set(e, [t])
    }
    for (const t of txs) {
      const hex = bytesToHex(t.hash)
      const lacking = all.filter((e) => !e.known.has(hex))
      const canFull = t.tx.type !== 3 && t.size <= MAX_BROADCAST_TX_SIZE
      const ranked = canFull ? lacking.map((e) => ({ e, r: fnv(t.sender, e.salt) })).sort((a, b) => a.r - b.r) : []
      const chosen = new Set(ranked.slice(0, direct).map((x) => x.e))
      for (const e of lacking) {
        e.known.add(hex)
        push(chosen.has(e) ? full : hashes, e, t)
      }
    }
    for (const [e, l] of full) sendFull(e, l)
    for (const [e, l] of hashes) sendHashes(e, l)
  }

  return {
    addPeer(peer) {
      peers.set(peer.key, { peer, known: boundedSet(opts.maxKnown ?? MAX_KNOWN_TXS), salt: (Math.random() * 2 ** 32) >>> 0 })
    },
    removePeer: (key) => void peers.delete(key),
    markKnown: (key, hex) => peers.get(key)?.known.add(hex),
    knows: (key, hex) => peers.get(key)?.known.has(hex) ?? false,
    broadcast(txs) {
      if (stopped || txs.length === 0) return
      queue.push(...txs)
      if (!timer) timer = setTimeout(flush, 0)
    },
    announceTo(key, txs) {
      const e = peers.get(key)
      if (!e) return
      const fresh = txs.filter((t) => {
        const hex = bytesToHex(t.hash)
        if (e.known.has(hex)) return false
        e.known.add(hex)
        return true
      })
      if (fresh.length) sendHashes(e, fresh)
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      queue.length = 0
    },
  }
}
