/**
 * Peer manager basics: listens for RLPx connections, dials, and keeps the set of ready sessions
 * within `maxPeers`, refusing extra or duplicate peers with TooManyPeers / AlreadyConnected
 * (sent after the handshake so the remote learns why).
 *
 * Scoring: every node id starts at 0. `penalise` lowers it (the eth handler reports unanswered
 * requests; a session we end for a protocol fault costs `FAULT_PENALTY`). At or below
 * `scoreThreshold` the peer is disconnected and refused (UselessPeer) while the manager runs.
 *
 * Callers: the node builder (txpool and full profiles); discovery feeds `dial`.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { bytesToHex, equalBytes } from '../primitives/index.ts'
import { DisconnectReason, P2pError } from './errors.ts'
import { acceptSession, dialSession, type Session, type SessionOptions } from './rlpx/session.ts'

export interface PeerManagerOptions extends SessionOptions {
  maxPeers: number
  /** Listen address (default 127.0.0.1) and port (0 picks one; undefined: do not listen). */
  host?: string
  port?: number
  /** Score at or below which a peer is dropped and refused (default -100). */
  scoreThreshold?: number
}

const initiatorId = (s: Session) => (s.initiator ? s.localId : s.remoteId!)

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** Points lost when we end a session with a peer for a protocol fault. */
export const FAULT_PENALTY = 50

export interface PeerManager {
  /** Listening port, or 0 when not listening. */
  port: number
  /** Ready sessions by hex node id. */
  peers: Map<string, Session>
  /** Dials a node; resolves once its Hello arrived and it was admitted. */
  dial(host: string, port: number, id: Uint8Array): Promise<Session>
  /** Called for every admitted peer (inbound or outbound). */
  onPeer(h: (s: Session) => void): void
  /** Lowers a node's score; at or below the threshold its session ends with `reason` (default UselessPeer). */
  penalise(id: Uint8Array, points: number, reason?: DisconnectReason): void
  /** A node's current score (0 when unknown). */
  score(id: Uint8Array): number
  close(): Promise<void>
}

export async function startPeerManager(opts: PeerManagerOptions): Promise<PeerManager> {
  const peers = new Map<string, Session>()
  const pending = new Set<string>()
  const all = new Set<Session>()
  const handlers: ((s: Session) => void)[] = []
  const scores = new Map<string, number>()
  const threshold = opts.scoreThreshold ?? -100
  const banned = (key: string) => (scores.get(key) ?? 0) <= threshold
  const penalise = (key: string, points: number, reason = DisconnectReason.UselessPeer) => {
    scores.set(key, (scores.get(key) ?? 0) - points)
    if (banned(key)) peers.get(key)?.disconnect(reason, new P2pError('PROTOCOL', 'peer score below threshold', { details: key, reason }))
  }

  const admit = async (s: Session): Promise<Session> => {
    all.add(s)
    void s.closed.then((c) => {
      all.delete(s)
      const key = s.remoteId ? bytesToHex(s.remoteId) : ''
      if (peers.get(key) === s) {
        peers.delete(key)
        if (c.error && !c.remote && !banned(key)) penalise(key, FAULT_PENALTY)
      }
    })
    const hello = await s.ready
    const key = bytesToHex(hello.nodeId)
    const existing = peers.get(key)
    if (banned(key)) {
      s.disconnect(DisconnectReason.UselessPeer)
      throw new P2pError('PROTOCOL', 'peer score below threshold', { reason: DisconnectReason.UselessPeer })
    }
    if (existing && existing !== s) {
      // Both sides dialed at once: both keep the connection dialed by the lower node id, so the
      // pair ends with exactly one session instead of each side dropping the other's.
      if (compareBytes(initiatorId(s), initiatorId(existing)) < 0) {
        peers.delete(key)
        existing.disconnect(DisconnectReason.AlreadyConnected)
      } else {
        s.disconnect(DisconnectReason.AlreadyConnected)
        throw new P2pError('PROTOCOL', 'already connected', { reason: DisconnectReason.AlreadyConnected })
      }
    }
    if (!peers.has(key) && peers.size >= opts.maxPeers) {
      s.disconnect(DisconnectReason.TooManyPeers)
      throw new P2pError('PROTOCOL', 'too many peers', { reason: DisconnectReason.TooManyPeers })
    }
    peers.set(key, s)
    for (const h of handlers) h(s)
    return s
  }

  let server: Server | null = null
  let port = 0
  if (opts.port !== undefined) {
    server = createServer((sock: Socket) => {
      sock.on('error', () => {})
      admit(acceptSession(sock, opts)).catch(() => {})
    })
    await new Promise<void>((res, rej) => {
      server!.once('error', rej)
      server!.listen(opts.port, opts.host ?? '127.0.0.1', () => res())
    })
    port = (server.address() as { port: number }).port
  }

  return {
    port,
    peers,
    async dial(host, p, id) {
      const key = bytesToHex(id)
      if (peers.has(key) || pending.has(key)) throw new P2pError('PROTOCOL', 'already connected', { reason: DisconnectReason.AlreadyConnected })
      if (peers.size + pending.size >= opts.maxPeers) throw new P2pError('PROTOCOL', 'too many peers', { reason: DisconnectReason.TooManyPeers })
      pending.add(key)
      try {
        const s = dialSession(host, p, id, opts)
        const r = await admit(s)
        if (!equalBytes(r.remoteId!, id)) throw new P2pError('PROTOCOL', 'unexpected identity')
        return r
      } finally {
        pending.delete(key)
      }
    },
    onPeer(h) {
      handlers.push(h)
    },
    penalise(id, points, reason) {
      penalise(bytesToHex(id), points, reason)
    },
    score(id) {
      return scores.get(bytesToHex(id)) ?? 0
    },
    close: async () => {
      for (const s of all) s.disconnect(DisconnectReason.ClientQuitting)
      await Promise.all([...all].map((s) => s.closed))
      if (server) await new Promise<void>((r) => server!.close(() => r()))
    },
  }
}
