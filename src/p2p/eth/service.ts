/**
 * The eth protocol service: runs the Status exchange (eth/68 or eth/69, whichever the session
 * negotiated) on every peer of a peer manager, keeps the peers past Status, and lets subscribers
 * (transaction gossip, sync) hear of peers joining and leaving and register handlers for message
 * kinds. It serves chain data itself (headers, bodies, receipts: serve.ts) and answers requests
 * no subscriber takes (GetPooledTransactions without a pool) empty, so that a peer is never left
 * waiting.
 *
 * Our Status follows the chain head: a peer that connects later gets the current head and fork
 * id, and eth/69 peers are sent a BlockRangeUpdate once the head has moved `blockRangeInterval`
 * blocks (EIP-7642: "at most once per epoch (32 blocks)"), or back below the range last sent.
 *
 * Callers: the `eth` component; subscribers through `EthService`.
 */
import type { ChainSpec } from '../../chainspec/index.ts'
import { headerHash, type Header } from '../../types/index.ts'
import { DisconnectReason } from '../errors.ts'
import type { PeerManager } from '../peers.ts'
import type { Session } from '../rlpx/session.ts'
import { forkScheduleOf } from '../../chainspec/index.ts'
import { chainStatus, statusHeadOf } from './chain-status.ts'
import { startEth, type EthPeer, type EthStartOptions } from './handler.ts'
import type { EthMessage, EthVersion, Status } from './messages.ts'
import { SERVE_LIMITS, serveBodies, serveHeaders, serveReceipts, type EthChainSource, type ServeLimits } from './serve.ts'

/** Head movement, in blocks, between BlockRangeUpdates (EIP-7642's epoch). */
export const BLOCK_RANGE_INTERVAL = 32

export interface EthServiceOptions {
  peers: PeerManager
  chain: EthChainSource
  spec: ChainSpec
  /** eth handler settings (timeouts, rates). */
  handler?: Partial<Omit<EthStartOptions, 'status' | 'schedule' | 'head' | 'penalise'>>
  serve?: Partial<ServeLimits>
  blockRangeInterval?: number
  /** Told of failed handshakes (debug logging). */
  log?: (msg: string, fields: Record<string, unknown>) => void
}

/**
 * Messages subscribers take. The rest is the service's own: Status (the handshake), the chain
 * requests it serves, and responses (they resolve `EthPeer.request`).
 */
export type EthHandledKind = 'Transactions' | 'NewPooledTransactionHashes' | 'GetPooledTransactions' | 'BlockRangeUpdate'
export type EthHandler<K extends EthHandledKind> = (peer: EthPeer, m: Extract<EthMessage, { kind: K }>) => void

export interface EthPeerEvents {
  /** A peer passed the Status exchange (called at once for the peers already past it). */
  joined?(peer: EthPeer): void
  /** A peer's session ended. */
  left?(peer: EthPeer): void
}

export interface EthService {
  /** Peers past the Status exchange, by hex node id. */
  readonly peers: ReadonlyMap<string, EthPeer>
  /** Our Status for `version` at the current head. */
  status(version: EthVersion): Status
  /** Subscribes to peers joining and leaving; returns the unsubscribe. */
  onPeer(events: EthPeerEvents): () => void
  /** Registers a handler for a message kind (several may share one); returns the unsubscribe. */
  handle<K extends EthHandledKind>(kind: K, h: EthHandler<K>): () => void
  /** Lowers the peer's score with the peer manager (enough of it drops the peer with `reason`). */
  penalise(peer: EthPeer, points: number, reason?: DisconnectReason): void
  stop(): void
}

export function startEthService(opts: EthServiceOptions): EthService {
  const { chain, spec, peers: pm } = opts
  const genesisHash = chain.canonicalHash(0n)!
  const schedule = forkScheduleOf(spec, genesisHash)
  const limits = { ...SERVE_LIMITS, ...opts.serve }
  const interval = BigInt(opts.blockRangeInterval ?? BLOCK_RANGE_INTERVAL)
  const log = opts.log ?? (() => {})
  const peers = new Map<string, EthPeer>()
  const subscribers = new Set<EthPeerEvents>()
  // handlers take their kind's message; the map holds them under the kind
  const handlers = new Map<EthHandledKind, Set<(peer: EthPeer, m: never) => void>>()
  let head: Header = chain.head()
  let rangeSent = head.number
  let stopped = false

  const status = (version: EthVersion) => chainStatus(spec, genesisHash, statusHeadOf(spec, head), version)

  const serve = (ep: EthPeer, m: EthMessage) => {
    switch (m.kind) {
      case 'GetBlockHeaders':
        return ep.send({ kind: 'BlockHeaders', requestId: m.requestId, headers: serveHeaders(chain, m, limits) })
      case 'GetBlockBodies':
        return ep.send({ kind: 'BlockBodies', requestId: m.requestId, bodies: serveBodies(chain, m.hashes, limits) })
      case 'GetReceipts':
        return ep.send({ kind: 'Receipts', requestId: m.requestId, receipts: serveReceipts(chain, ep.version, m.hashes, limits) })
    }
    const hs = handlers.get(m.kind as EthHandledKind)
    if (hs?.size) for (const h of hs) h(ep, m as never)
    else if (m.kind === 'GetPooledTransactions') ep.send({ kind: 'PooledTransactions', requestId: m.requestId, transactions: [] })
  }

  const attach = (ep: EthPeer) => {
    peers.set(ep.key, ep)
    void ep.session.closed.then(() => {
      if (peers.get(ep.key) !== ep) return
      peers.delete(ep.key)
      for (const s of subscribers) s.left?.(ep)
    })
    for (const s of subscribers) s.joined?.(ep)
    ep.onMessage((m) => {
      if (!stopped) serve(ep, m)
    })
  }

  const handshake = (session: Session) => {
    if (stopped) return
    const version: EthVersion = session.capability('eth')?.version === 68 ? 68 : 69
    startEth(session, {
      ...opts.handler,
      status: status(version),
      schedule,
      head: { number: head.number, time: head.timestamp },
      penalise: (points) => pm.penalise(session.remoteId!, points),
    }).then(
      (ep) => {
        if (!stopped) attach(ep)
      },
      (e: unknown) => log('eth handshake failed', { why: e instanceof Error ? e.message : String(e) }),
    )
  }

  const offHead = chain.onHead((e) => {
    head = e.block.header
    const n = head.number
    if (n >= rangeSent && n - rangeSent < interval) return
    rangeSent = n
    // every block from the genesis is kept, as our Status says (chain-status.ts)
    const update: EthMessage = { kind: 'BlockRangeUpdate', earliestBlock: 0n, latestBlock: n, latestBlockHash: headerHash(head) }
    for (const ep of peers.values()) if (ep.version === 69) ep.send(update)
  })

  pm.onPeer(handshake)
  for (const s of pm.peers.values()) handshake(s)

  return {
    peers,
    status,
    onPeer(events) {
      subscribers.add(events)
      for (const ep of peers.values()) events.joined?.(ep)
      return () => subscribers.delete(events)
    },
    handle(kind, h) {
      let hs = handlers.get(kind)
      if (!hs) handlers.set(kind, (hs = new Set()))
      hs.add(h)
      return () => hs.delete(h)
    },
    penalise(peer, points, reason) {
      pm.penalise(peer.session.remoteId!, points, reason)
    },
    stop() {
      stopped = true
      offHead()
      subscribers.clear()
      handlers.clear()
    },
  }
}
