/**
 * Peer manager basics: listens for RLPx connections, dials, and keeps the set of ready sessions
 * within `maxPeers`, refusing extra or duplicate peers with TooManyPeers / AlreadyConnected
 * (sent after the handshake so the remote learns why).
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
}

export interface PeerManager {
  /** Listening port, or 0 when not listening. */
  port: number
  /** Ready sessions by hex node id. */
  peers: Map<string, Session>
  /** Dials a node; resolves once its Hello arrived and it was admitted. */
  dial(host: string, port: number, id: Uint8Array): Promise<Session>
  /** Called for every admitted peer (inbound or outbound). */
  onPeer(h: (s: Session) => void): void
  close(): Promise<void>
}

export async function startPeerManager(opts: PeerManagerOptions): Promise<PeerManager> {
  const peers = new Map<string, Session>()
  const pending = new Set<string>()
  const all = new Set<Session>()
  const handlers: ((s: Session) => void)[] = []

  const admit = async (s: Session): Promise<Session> => {
    all.add(s)
    void s.closed.then(() => {
      all.delete(s)
      const key = s.remoteId ? bytesToHex(s.remoteId) : ''
      if (peers.get(key) === s) peers.delete(key)
    })
    const hello = await s.ready
    const key = bytesToHex(hello.nodeId)
    const existing = peers.get(key)
    if (existing && existing !== s) {
      s.disconnect(DisconnectReason.AlreadyConnected)
      throw new P2pError('PROTOCOL', 'already connected', { reason: DisconnectReason.AlreadyConnected })
    }
    if (peers.size >= opts.maxPeers) {
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
    close: async () => {
      for (const s of all) s.disconnect(DisconnectReason.ClientQuitting)
      await Promise.all([...all].map((s) => s.closed))
      if (server) await new Promise<void>((r) => server!.close(() => r()))
    },
  }
}
