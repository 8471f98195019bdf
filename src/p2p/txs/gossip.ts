/**
 * Transaction gossip between the eth peers and a pool. For every admitted peer it runs the eth
 * Status exchange (our Status from `status`), then:
 *
 * - Transactions (direct broadcast) → decoded, senders recovered in one batch, added to the pool.
 *   A blob transaction there breaks eth/68 and drops the peer, as does an undecodable one.
 * - NewPooledTransactionHashes → the fetcher (fetcher.ts) requests the unknown ones and checks
 *   the response against the announcement; it drops peers that break the rules.
 * - GetPooledTransactions → answered from the pool (up to ~2 MiB, geth's soft response limit).
 * - GetBlockHeaders / GetBlockBodies / GetReceipts → answered empty: this node keeps no chain.
 * - The pool's new pending transactions (from peers and from RPC) → the broadcaster
 *   (broadcast.ts); a new peer gets the whole pool announced.
 *
 * A transaction the pool refuses as invalid (bad signature, wrong chain id, intrinsic gas, a
 * type the fork does not allow...) costs the peer `BAD_TX_PENALTY` points — four of them reach
 * the peer manager's threshold and drop it. Refusals that are no fault of the peer
 * (underpriced, pool full, known) cost nothing. Refused hashes are remembered (geth keeps
 * 32768) so that they are not fetched again.
 *
 * Callers: the txpool profile's gossip component.
 */
import { bytesToHex } from '../../primitives/index.ts'
import { TxPoolError, type PooledTransaction, type TransactionPool, type TxPoolErrorKind } from '../../txpool/index.ts'
import { recoverSenders } from '../../types/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import type { ChainHead, ForkSchedule } from '../eth/forkid.ts'
import { startEth, type EthPeer, type EthStartOptions } from '../eth/handler.ts'
import type { EthMessage, EthVersion, Status } from '../eth/messages.ts'
import { ETH_LIMITS } from '../eth/requests.ts'
import type { PeerManager } from '../peers.ts'
import { boundedSet } from './bounded-set.ts'
import { createTxBroadcaster, type TxBroadcaster } from './broadcast.ts'
import { createTxFetcher, type FetchPeer, type TxFetcher, type TxFetcherOptions } from './fetcher.ts'
import { decodeWireTransaction, wireItem, type WireTransaction } from './wire.ts'

/** Points a peer loses per invalid transaction it sends. */
export const BAD_TX_PENALTY = 25
/** Refused hashes remembered so that they are not fetched again (geth's maxTxUnderpricedSetSize). */
export const MAX_REJECTED = 32768

/** Refusals that mean the sender relayed something no honest node would. */
const BAD_KINDS: ReadonlySet<TxPoolErrorKind> = new Set<TxPoolErrorKind>([
  'invalid-signature', 'invalid-sender', 'invalid-chain-id', 'intrinsic-gas', 'floor-gas', 'type-not-supported', 'oversized-data',
  'tip-above-fee-cap', 'gas-limit-too-high', 'initcode-size', 'nonce-max', 'value-overflow', 'blob', 'set-code',
])

/** Whether a pool refusal is the relaying peer's fault. */
export function isBadTransaction(kind: TxPoolErrorKind): boolean {
  return BAD_KINDS.has(kind)
}

export interface TxGossipOptions {
  peers: PeerManager
  pool: TransactionPool
  /** Our Status for the negotiated version. */
  status(version: EthVersion): Status
  schedule: ForkSchedule
  head: ChainHead
  /** eth handler settings (timeouts, rates). */
  eth?: Partial<Omit<EthStartOptions, 'status' | 'schedule' | 'head' | 'penalise'>>
  fetcher?: Partial<Omit<TxFetcherOptions, 'known' | 'deliver'>>
  /** Told of dropped peers and refused transactions (debug logging). */
  log?: (msg: string, fields: Record<string, unknown>) => void
}

export interface TxGossip {
  /** Peers past the Status exchange, by hex node id. */
  readonly ethPeers: ReadonlyMap<string, EthPeer>
  readonly fetcher: TxFetcher
  readonly broadcaster: TxBroadcaster
  stop(): void
}

export function startTxGossip(opts: TxGossipOptions): TxGossip {
  const { pool, peers: pm } = opts
  const ethPeers = new Map<string, EthPeer>()
  const rejected = boundedSet(MAX_REJECTED)
  const broadcaster = createTxBroadcaster()
  let stopped = false
  const log = opts.log ?? (() => {})

  const drop = (ep: EthPeer, e: P2pError) => {
    log('Dropping peer', { peer: bytesToHex(ep.session.remoteId!).slice(0, 18), why: e.message })
    ep.session.disconnect(e.reason, e)
  }

  /** Adds transactions from `ep` to the pool; scores the peer for invalid ones. */
  const ingest = (ep: EthPeer, key: string, txs: WireTransaction[]) => {
    const fresh = txs.filter((w) => {
      const hex = bytesToHex(w.hash)
      broadcaster.markKnown(key, hex)
      fetcher.arrived(hex)
      return !pool.has(w.hash) && !rejected.has(hex)
    })
    if (fresh.length === 0) return
    const senders = recoverSenders(fresh.map((w) => w.tx))
    let bad = 0
    for (let i = 0; i < fresh.length; i++) {
      const w = fresh[i]!
      try {
        pool.add(w.tx, { sender: senders[i] ?? undefined, sidecar: w.sidecar })
      } catch (e) {
        if (!(e instanceof TxPoolError)) throw e
        if (e.kind === 'already-known') continue
        rejected.add(bytesToHex(w.hash))
        if (isBadTransaction(e.kind)) {
          bad++
          log('Invalid transaction from peer', { peer: key.slice(0, 18), hash: bytesToHex(w.hash), why: e.message })
        }
      }
    }
    if (bad > 0) pm.penalise(ep.session.remoteId!, bad * BAD_TX_PENALTY, DisconnectReason.UselessPeer)
  }

  const fetchPeers = new Map<string, { ep: EthPeer; fp: FetchPeer }>()
  const fetcher = createTxFetcher({
    ...opts.fetcher,
    known: (hash, hex) => pool.has(hash) || rejected.has(hex),
    deliver: (fp, txs) => {
      const e = fetchPeers.get(fp.key)
      if (e) ingest(e.ep, fp.key, txs)
    },
  })

  const serve = (ep: EthPeer, key: string, m: Extract<EthMessage, { kind: 'GetPooledTransactions' }>) => {
    const items = []
    let bytes = 0
    for (const h of m.hashes) {
      const p = pool.get(h)
      if (!p) continue
      items.push(wireItem(p))
      broadcaster.markKnown(key, bytesToHex(p.hash))
      bytes += p.size
      if (bytes >= ETH_LIMITS.softResponseBytes) break
    }
    ep.send({ kind: 'PooledTransactions', requestId: m.requestId, transactions: items })
  }

  const onMessage = (ep: EthPeer, key: string, m: EthMessage) => {
    switch (m.kind) {
      case 'Transactions': {
        const txs: WireTransaction[] = []
        for (const item of m.transactions) {
          let w: WireTransaction
          try {
            w = decodeWireTransaction(item)
          } catch (e) {
            return drop(ep, e as P2pError)
          }
          if (w.tx.type === 3) return drop(ep, new P2pError('PROTOCOL', 'blob transaction broadcast in full', { reason: DisconnectReason.SubprotocolError }))
          txs.push(w)
        }
        return ingest(ep, key, txs)
      }
      case 'NewPooledTransactionHashes':
        for (const h of m.hashes) broadcaster.markKnown(key, bytesToHex(h))
        return fetcher.announced(fetchPeers.get(key)!.fp, m.types, m.sizes, m.hashes)
      case 'GetPooledTransactions':
        return serve(ep, key, m)
      case 'GetBlockHeaders':
        return void ep.send({ kind: 'BlockHeaders', requestId: m.requestId, headers: [] })
      case 'GetBlockBodies':
        return void ep.send({ kind: 'BlockBodies', requestId: m.requestId, bodies: [] })
      case 'GetReceipts':
        return void ep.send({ kind: 'Receipts', requestId: m.requestId, receipts: [] })
    }
  }

  const attach = (ep: EthPeer) => {
    const key = bytesToHex(ep.session.remoteId!)
    const fp: FetchPeer = {
      key,
      request: async (hashes) => {
        const r = await ep.request({ kind: 'GetPooledTransactions', hashes })
        return r.kind === 'PooledTransactions' ? r.transactions : []
      },
      drop: (e) => drop(ep, e),
    }
    ethPeers.set(key, ep)
    fetchPeers.set(key, { ep, fp })
    broadcaster.addPeer({ key, send: (m) => ep.send(m) })
    void ep.session.closed.then(() => {
      if (ethPeers.get(key) !== ep) return
      ethPeers.delete(key)
      fetchPeers.delete(key)
      fetcher.removePeer(key)
      broadcaster.removePeer(key)
    })
    ep.onMessage((m) => {
      if (!stopped) onMessage(ep, key, m)
    })
    broadcaster.announceTo(key, [...pool.content().pending.values()].flat())
  }

  pm.onPeer((session) => {
    if (stopped) return
    const version: EthVersion = session.capability('eth')?.version === 68 ? 68 : 69
    startEth(session, {
      ...opts.eth,
      status: opts.status(version),
      schedule: opts.schedule,
      head: opts.head,
      penalise: (points) => pm.penalise(session.remoteId!, points),
    }).then(
      (ep) => {
        if (!stopped) attach(ep)
      },
      (e: unknown) => log('eth handshake failed', { why: e instanceof Error ? e.message : String(e) }),
    )
  })
  const offPending = pool.onPending((txs: PooledTransaction[]) => broadcaster.broadcast(txs))

  return {
    ethPeers,
    fetcher,
    broadcaster,
    stop() {
      stopped = true
      offPending()
      fetcher.stop()
      broadcaster.stop()
    },
  }
}
