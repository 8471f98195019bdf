/**
 * UDP transport for @chainsafe/discv5, in place of the library's own: it binds before the service
 * is created (so port 0 works and the ENR can carry the real port), never lets a socket error or
 * a throwing handler escape (a malformed or hostile packet is dropped, not a crash), and limits
 * packets per source IP.
 *
 * Callers: `startDiscv5` only.
 */
import { getSocketAddressOnENR, type IPMode, type ITransportService, type TransportEventEmitter } from '@chainsafe/discv5'
import { decodePacket, encodePacket, MAX_PACKET_SIZE, type IPacket } from '@chainsafe/discv5/packet'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import { EventEmitter } from 'node:events'
import { tokenBucket, type TokenBucket } from '../eth/requests.ts'

export interface UdpTransportOptions {
  address: string
  port: number
  /** Our 32-byte node id as hex without 0x (the packet masking key). */
  nodeId: string
  /**
   * A socket bound and owned by someone else (discv4), which hands us its non-discv4 packets
   * through `deliver`; then `address`/`port` are ignored and `stop` leaves the socket open.
   */
  shared?: Socket
  /** Packets per second and burst allowed from one IP (default 200/s, 400). */
  packetRate?: number
  packetBurst?: number
}

/** Source IPs tracked for rate limiting before the map is reset. */
const MAX_TRACKED_IPS = 10_000

export interface UdpTransport extends ITransportService {
  readonly port: number
  /** Feeds a packet received on a shared socket. */
  deliver(data: Uint8Array, from: RemoteInfo): void
  /** Packets dropped: undecodable, over the rate or making a handler throw. */
  readonly dropped: number
}

/** Binds a UDP socket on `address:port` (port 0 picks one) and returns the transport. */
export async function openUdpTransport(opts: UdpTransportOptions): Promise<UdpTransport> {
  const socket: Socket = opts.shared ?? (await bindSocket(opts.address, opts.port))
  const local = socket.address()
  const family = local.family === 'IPv6' ? 6 : 4
  const port = local.port
  const bindAddr = multiaddr(`/ip${family}/${local.address}/udp/${port}`)
  const rate = opts.packetRate ?? 200
  const burst = opts.packetBurst ?? 400
  const buckets = new Map<string, TokenBucket>()
  const emitter = new EventEmitter() as TransportEventEmitter
  let dropped = 0
  let running = false
  let closed = false

  const onMessage = (data: Uint8Array, rinfo: RemoteInfo) => {
    if (!running) return
    let b = buckets.get(rinfo.address)
    if (!b) {
      if (buckets.size >= MAX_TRACKED_IPS) buckets.clear()
      buckets.set(rinfo.address, (b = tokenBucket(rate, burst)))
    }
    if (!b.take() || data.length > MAX_PACKET_SIZE) {
      dropped++
      return
    }
    try {
      const src = multiaddr(`/ip${rinfo.family === 'IPv6' ? 6 : 4}/${rinfo.address}/udp/${rinfo.port}`)
      const packet = decodePacket(opts.nodeId, new Uint8Array(data))
      emitter.emit('packet', src, packet)
    } catch {
      dropped++ // undecodable, or the session layer threw on its content
    }
  }

  const ipMode: IPMode = family === 4 ? { ip4: true, ip6: false } : { ip4: false, ip6: true }
  // (a getter would be flattened by Object.assign)
  Object.defineProperty(emitter, 'dropped', { get: () => dropped })
  return Object.assign(emitter, {
    port,
    bindAddrs: [bindAddr],
    ipMode,
    deliver: onMessage,
    async start() {
      if (running || closed) return
      running = true
      if (!opts.shared) socket.on('message', onMessage)
    },
    /** Closes the socket unless shared (also when never started); idempotent. */
    async stop() {
      running = false
      socket.off('message', onMessage)
      if (closed) return
      closed = true
      if (!opts.shared) await new Promise<void>((r) => socket.close(() => r()))
    },
    async send(to: Multiaddr, toId: string, packet: IPacket) {
      if (!running) return
      const o = to.toOptions()
      if ((o.family === 4) !== (family === 4)) return
      try {
        socket.send(encodePacket(toId, packet), o.port, o.host)
      } catch {}
    },
    getContactableAddr(enr: Parameters<ITransportService['getContactableAddr']>[0]) {
      return getSocketAddressOnENR(enr, ipMode)
    },
  }) as UdpTransport
}

async function bindSocket(address: string, port: number): Promise<Socket> {
  // The OS default receive buffer (about 200 KiB on Linux) holds a burst of packets while the
  // event loop is busy; the library's 16 x 1280 bytes lost packets under a small flood.
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4')
  await new Promise<void>((res, rej) => {
    socket.once('error', rej)
    socket.bind(port, address, () => {
      socket.off('error', rej)
      res()
    })
  })
  socket.on('error', () => {}) // e.g. ICMP errors surfaced by the OS: never fatal
  return socket
}
