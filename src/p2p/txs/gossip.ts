/**
 * Transaction gossip between the eth peers and a pool, as a subscriber of the eth service
 * (src/p2p/eth/service.ts, which runs the Status exchange and serves chain data):
 *
 * - Transactions (direct broadcast) → decoded, senders recovered in one batch, added to the pool.
 *   A blob transaction there breaks eth/68 and drops the peer, as does an undecodable one.
 * - NewPooledTransactionHashes → the fetcher (fetcher.ts) requests the unknown ones and checks
 *   the response against the announcement; it drops peers that break the rules.
 * - GetPooledTransactions → answered from the pool (up to ~2 MiB, geth's soft response limit).
 * - The pool's new pending transactions (from peers and from RPC) → the broadcaster
 *   (broadcast.ts); a new peer gets the whole pool announced.
 *
 * A transaction the pool refuses as the relaying peer's fault (`TxPoolError.isBadTransaction`:
 * bad signature, wrong chain id, intrinsic gas, a type the fork does not allow...) costs the
 * peer `BAD_TX_PENALTY` points — four of them reach the peer manager's threshold and drop it.
 * Refusals that are no fault of the peer (underpriced, pool full, known) cost nothing. Refused
 * hashes are remembered (geth keeps 32768) so that they are not fetched again.
 *
 * Callers: the txpool profile's gossip component.
 */
import { bytesToHex } from '../../primitives/index.ts'
import { TxPoolError, type PooledTransaction, type TransactionPool } from '../../txpool/index.ts'
import { recoverSenders } from '../../types/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import type { EthPeer } from '../eth/handler.ts'
import type { EthMessage } from '../eth/messages.ts'
import { ETH_LIMITS } from '../eth/requests.ts'
import type { EthService } from '../eth/service.ts'
import { boundedSet } from './bounded-set.ts'
import { createTxBroadcaster, type TxBroadcaster } from './broadcast.ts'
import { createTxFetcher, type FetchPeer, type TxFetcher, type TxFetcherOptions } from './fetcher.ts'
import { decodeWireTransaction, wireItem, type WireTransaction } from './wire.ts'

/** Points a peer loses per invalid transaction it sends. */
export const BAD_TX_PENALTY = 25
/** Refused hashes remembered so that they are not fetched again (geth's maxTxUnderpricedSetSize). */
export const MAX_REJECTED = 32768

export interface TxGossipOptions {
  eth: EthService
  pool: TransactionPool
  fetcher?: Partial<Omit<TxFetcherOptions, 'known' | 'deliver'>>
  /** Told of dropped peers and refused transactions (debug logging). */
  log?: (msg: string, fields: Record<string, unknown>) => void
}

export interface TxGossip {
  /** Peers past the Status exchange, by hex node id (the eth service's). */
  readonly ethPeers: ReadonlyMap<string, EthPeer>
  readonly fetcher: TxFetcher
  readonly broadcaster: TxBroadcaster
  stop(): void
}

export function startTxGossip(opts: TxGossipOptions): TxGossip {
  const { pool, eth } = opts
  const rejected = boundedSet(MAX_REJECTED)
  const broadcaster = createTxBroadcaster()
  const log = opts.log ?? (() => {})

  const drop = (ep: EthPeer, e: P2pError) => {
    log('Dropping peer', { peer: ep.key.slice(0, 18), why: e.message })
    ep.session.disconnect(e.reason, e)
  }

  /** Adds transactions from `ep` to the pool; scores the peer for invalid ones. */
  const ingest = (ep: EthPeer, txs: WireTransaction[]) => {
    const fresh = txs.filter((w) => {
      const hex = bytesToHex(w.hash)
      broadcaster.markKnown(ep.key, hex)
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
        if (e.isBadTransaction()) {
          bad++
          log('Invalid transaction from peer', { peer: ep.key.slice(0, 18), hash: bytesToHex(w.hash), why: e.message })
        }
      }
    }
    if (bad > 0) eth.penalise(ep, bad * BAD_TX_PENALTY, DisconnectReason.UselessPeer)
  }

  const fetchPeers = new Map<string, { ep: EthPeer; fp: FetchPeer }>()
  const fetcher = createTxFetcher({
    ...opts.fetcher,
    known: (hash, hex) => pool.has(hash) || rejected.has(hex),
    deliver: (fp, txs) => {
      const e = fetchPeers.get(fp.key)
      if (e) ingest(e.ep, txs)
    },
  })

  const onTransactions = (ep: EthPeer, m: Extract<EthMessage, { kind: 'Transactions' }>) => {
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
    ingest(ep, txs)
  }

  const onAnnounce = (ep: EthPeer, m: Extract<EthMessage, { kind: 'NewPooledTransactionHashes' }>) => {
    const e = fetchPeers.get(ep.key)
    if (!e) return
    for (const h of m.hashes) broadcaster.markKnown(ep.key, bytesToHex(h))
    fetcher.announced(e.fp, m.types, m.sizes, m.hashes)
  }

  const serve = (ep: EthPeer, m: Extract<EthMessage, { kind: 'GetPooledTransactions' }>) => {
    const items = []
    let bytes = 0
    for (const h of m.hashes) {
      const p = pool.get(h)
      if (!p) continue
      items.push(wireItem(p))
      broadcaster.markKnown(ep.key, bytesToHex(p.hash))
      bytes += p.size
      if (bytes >= ETH_LIMITS.softResponseBytes) break
    }
    ep.send({ kind: 'PooledTransactions', requestId: m.requestId, transactions: items })
  }

  const joined = (ep: EthPeer) => {
    const key = ep.key
    const fp: FetchPeer = {
      key,
      request: async (hashes) => {
        const r = await ep.request({ kind: 'GetPooledTransactions', hashes })
        return r.kind === 'PooledTransactions' ? r.transactions : []
      },
      drop: (e) => drop(ep, e),
    }
    fetchPeers.set(key, { ep, fp })
    broadcaster.addPeer({ key, send: (m) => ep.send(m) })
    broadcaster.announceTo(key, [...pool.content().pending.values()].flat())
  }

  const left = (ep: EthPeer) => {
    if (fetchPeers.get(ep.key)?.ep !== ep) return
    fetchPeers.delete(ep.key)
    fetcher.removePeer(ep.key)
    broadcaster.removePeer(ep.key)
  }

  const offs = [
    eth.handle('Transactions', onTransactions),
    eth.handle('NewPooledTransactionHashes', onAnnounce),
    eth.handle('GetPooledTransactions', serve),
    eth.onPeer({ joined, left }),
    pool.onPending((txs: PooledTransaction[]) => broadcaster.broadcast(txs)),
  ]

  return {
    ethPeers: eth.peers,
    fetcher,
    broadcaster,
    stop() {
      for (const off of offs) off()
      fetcher.stop()
      broadcaster.stop()
    },
  }
}
