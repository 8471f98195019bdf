/**
 * The p2p service: from a `P2pConfig`, the RLPx peer manager plus discovery (discv4 and/or discv5),
 * each feeding the same dialer, a refresh loop per discovery protocol, and static peers
 * (admin_addPeer) that are redialed while they are not connected.
 *
 * The eth protocol is not started here: the eth service (eth/service.ts) registers `peers.onPeer`
 * and runs the Status exchange with its chain's Status. Created idle; `start()` binds the sockets, `stop()` ends
 * sessions, timers and sockets (and is safe to call twice).
 *
 * Callers: the p2p component, admin RPC functions, tests.
 */
import { keccak256 } from '../crypto/index.ts'
import { bytesToHex, type RlpItem } from '../primitives/index.ts'
import type { P2pConfig } from './config.ts'
import { dialDiscovered, type Dialer, type DialerOptions } from './dialer.ts'
import { startDiscoveryLoop, type DiscoveryLoop } from './discovery-loop.ts'
import { formatEnode, parseNodeUrl } from './discv4/enode.ts'
import { enrPortBytes, enrToText, signEnr } from './discv4/enr.ts'
import { ipToBytes, ipToString, type NodeRecord } from './discv4/packet.ts'
import { startDiscv4, type Discv4 } from './discv4/server.ts'
import { startDiscv5, type Discv5, type Discv5Node } from './discv5/discv5.ts'
import { P2pError } from './errors.ts'
import { ETH68, ETH69 } from './eth/messages.ts'
import { startPeerManager, type PeerManager } from './peers.ts'
import { publicKeyOf } from './rlpx/ecies.ts'
import type { Capability } from './rlpx/hello.ts'
import type { SessionOptions } from './rlpx/session.ts'

export interface P2pServiceOptions {
  config: P2pConfig
  privateKey: Uint8Array
  /** Client id sent in Hello and shown by admin_nodeInfo (default "Mosaic"). */
  clientId?: string
  /** Default eth/68 and eth/69. */
  capabilities?: Capability[]
  /** Extra session settings (timeouts, ping period, limits). */
  session?: Partial<SessionOptions>
  /** Extra entries for our node record, e.g. `{ eth: ethEnrEntry(forkId) }`. */
  enrEntries?: Record<string, RlpItem>
  /** Which discv5 nodes to dial (default: those with an "eth" entry). */
  acceptV5?: (n: Discv5Node) => boolean
  dialer?: DialerOptions
  /** Discovery refresh period (default 30 s). */
  lookupIntervalMs?: number
  /** Static peer redial period (default 15 s). */
  staticRedialMs?: number
  /** discv4 reply timeout and revalidation period (defaults 500 ms, 10 s). */
  discv4?: { timeoutMs?: number; revalidateMs?: number }
}

/** Our own node as others reach it, for admin_nodeInfo. */
export interface LocalNode {
  id: Uint8Array
  /** Advertised IPv4 address (extip, else the listen address, 127.0.0.1 for 0.0.0.0). */
  ip: string
  tcpPort: number
  /** 0 when discovery is off. */
  udpPort: number
  enode: string
  enr: string
  /** `host:port` the RLPx listener is bound to. */
  listenAddr: string
}

export interface P2pService {
  readonly config: P2pConfig
  readonly clientId: string
  /** 64-byte public key (the RLPx node id). */
  readonly id: Uint8Array
  /** The peer manager; throws P2pError CLOSED before `start()`. */
  readonly peers: PeerManager
  readonly discv4: Discv4 | null
  readonly discv5: Discv5 | null
  /** Static peers by hex id (admin_addPeer), redialed while not connected. */
  readonly staticPeers: ReadonlyMap<string, NodeRecord>
  readonly running: boolean
  localNode(): LocalNode
  /** Adds a static peer from an enode URL or enr: record and dials it; throws P2pError ENR_INVALID. */
  addPeer(url: string): void
  /** Forgets a static peer and disconnects it; throws P2pError ENR_INVALID. */
  removePeer(url: string): void
  start(): Promise<void>
  stop(): Promise<void>
}

export function createP2pService(opts: P2pServiceOptions): P2pService {
  const cfg = opts.config
  const id = publicKeyOf(opts.privateKey)
  const clientId = opts.clientId ?? 'Mosaic'
  const advertisedIp = cfg.nat.kind === 'extip' ? cfg.nat.ip : cfg.listenAddress === '0.0.0.0' ? '127.0.0.1' : cfg.listenAddress
  const staticPeers = new Map<string, NodeRecord>()
  let pm: PeerManager | null = null
  let v4: Discv4 | null = null
  let v5: Discv5 | null = null
  const dialers: Dialer[] = []
  const loops: DiscoveryLoop[] = []
  let redialTimer: ReturnType<typeof setInterval> | null = null
  let localEnr = ''
  let state: 'idle' | 'starting' | 'running' | 'stopped' = 'idle'

  const dialStatic = () => {
    if (!pm) return
    for (const [key, n] of staticPeers) {
      if (pm.peers.has(key) || n.tcpPort === 0) continue
      pm.dial(ipToString(n.ip), n.tcpPort, n.id).catch(() => {})
    }
  }

  const stop = async () => {
    if (state === 'stopped') return
    state = 'stopped'
    if (redialTimer) clearInterval(redialTimer)
    for (const l of loops) l.stop()
    for (const d of dialers) d.stop()
    await Promise.allSettled([v4?.close(), v5?.close(), pm?.close()])
  }

  return {
    config: cfg,
    clientId,
    id,
    get peers() {
      if (!pm) throw new P2pError('CLOSED', 'p2p service not started')
      return pm
    },
    get discv4() {
      return v4
    },
    get discv5() {
      return v5
    },
    staticPeers,
    get running() {
      return state === 'running'
    },
    localNode() {
      const tcpPort = pm?.port ?? cfg.port
      const udpPort = v4?.port ?? v5?.port ?? 0
      const node = { id, ip: ipToBytes(advertisedIp), tcpPort, udpPort }
      return { id, ip: advertisedIp, tcpPort, udpPort, enode: formatEnode(node), enr: localEnr, listenAddr: `${cfg.listenAddress}:${tcpPort}` }
    },
    addPeer(url) {
      const n = parseNodeUrl(url)
      const { enr: _e, ...record } = n as NodeRecord & { enr?: unknown }
      staticPeers.set(bytesToHex(n.id), record)
      dialStatic()
    },
    removePeer(url) {
      const n = parseNodeUrl(url)
      const key = bytesToHex(n.id)
      staticPeers.delete(key)
      pm?.peers.get(key)?.disconnect()
    },
    async start() {
      if (state !== 'idle') throw new P2pError('CLOSED', `p2p service cannot start: it is ${state}`)
      state = 'starting'
      try {
        pm = await startPeerManager({
          privateKey: opts.privateKey,
          clientId,
          capabilities: opts.capabilities ?? [ETH68, ETH69],
          listenPort: cfg.port,
          maxPeers: cfg.maxPeers,
          host: cfg.listenAddress,
          port: cfg.port,
          ...opts.session,
        })
        const common = { privateKey: opts.privateKey, address: cfg.listenAddress, tcpPort: pm.port, externalIp: advertisedIp }
        // discv4 and discv5 share one UDP socket, as in geth: packets that fail the discv4 hash
        // check go to discv5, so both records carry the same port
        if (cfg.discovery.v4) {
          v4 = await startDiscv4({
            ...common,
            udpPort: cfg.discoveryPort,
            ...(opts.enrEntries ? { entries: opts.enrEntries } : {}),
            ...opts.discv4,
            bootnodes: cfg.bootnodes.map((b) => parseNodeUrl(b)),
            ...(cfg.discovery.v5 ? { unhandled: (p, from) => v5?.deliver(p, from) } : {}),
          })
        }
        if (cfg.discovery.v5) {
          v5 = await startDiscv5({
            ...common,
            udpPort: cfg.discoveryPort,
            ...(v4 ? { shared: v4.socket } : {}),
            ...(opts.enrEntries ? { entries: opts.enrEntries } : {}),
            ...(opts.acceptV5 ? { accept: opts.acceptV5 } : {}),
            bootnodes: cfg.bootnodesV5,
          })
        }
        const wanted = () => pm!.peers.size < cfg.maxPeers
        for (const d of [v4, v5]) {
          if (!d) continue
          dialers.push(dialDiscovered(pm, d, opts.dialer))
          loops.push(startDiscoveryLoop(d, { intervalMs: opts.lookupIntervalMs, wanted }))
        }
        localEnr = v4 ? enrToText(v4.enr) : v5 ? v5.enr() : enrToText(signEnr(1n, { ...opts.enrEntries, ip: ipToBytes(advertisedIp), tcp: enrPortBytes(pm.port) }, opts.privateKey))
        redialTimer = setInterval(dialStatic, opts.staticRedialMs ?? 15_000)
        ;(redialTimer as { unref?: () => void }).unref?.()
        dialStatic()
        state = 'running'
      } catch (e) {
        await stop()
        throw e
      }
    },
    stop,
  }
}

/** keccak256 of the public key: the id geth shows in admin APIs (hex, no 0x). */
export function nodeIdHex(publicKey: Uint8Array): string {
  return bytesToHex(keccak256(publicKey)).slice(2)
}
