/**
 * discv5 discovery (devp2p discv5-wire.md) through @chainsafe/discv5, behind the same shape as
 * our discv4 node: `bootstrap`, `lookup`, `onNode` reporting `NodeRecord`s (64-byte public key,
 * IP, UDP and TCP port) for the dialer.
 *
 * Every record the library hands us is decoded again by our own EIP-778 decoder (size limit,
 * sorted keys, v4 signature); only records with a secp256k1 key, an IPv4 address and a TCP port
 * that `accept` approves (by default: those with an "eth" entry, i.e. execution-layer nodes) are
 * reported. Packets go through our UDP transport, which drops what it cannot decode.
 *
 * Callers: the p2p service (when `--discovery.v5` is on), tests.
 */
import { Discv5 as ChainsafeDiscv5, type IDiscv5CreateOptions } from '@chainsafe/discv5'
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import type { RemoteInfo, Socket } from 'node:dgram'
import { keccak256 } from '../../crypto/index.ts'
import { bytesToHex, type RlpItem } from '../../primitives/index.ts'
import { decodeEnr, enrFromText, enrPortBytes, enrPortValue, enrPublicKey, enrToText, signEnr, type Enr } from '../discv4/enr.ts'
import { ipToBytes, type NodeRecord } from '../discv4/packet.ts'
import { P2pError } from '../errors.ts'
import { forkIdOfEnrEntry } from '../eth/enr-entry.ts'
import type { ForkId } from '../../chainspec/index.ts'
import { randomPrivateKey, publicKeyOf } from '../rlpx/ecies.ts'
import { openUdpTransport, type UdpTransport } from './transport.ts'

/** A record as the library hands it over. */
type ENR = Awaited<ReturnType<ChainsafeDiscv5['findNode']>>[number]

export interface Discv5Options {
  privateKey: Uint8Array
  /** Bind address (default 127.0.0.1). */
  address?: string
  /** UDP port; 0 picks a free one. */
  udpPort?: number
  /** RLPx port advertised in our record. */
  tcpPort?: number
  /** Address advertised in our record (default: the bind address, or 127.0.0.1 for 0.0.0.0). */
  externalIp?: string
  /** Extra record entries, e.g. `{ eth: ethEnrEntry(forkId) }`. */
  entries?: Record<string, RlpItem>
  /** Bootnode records ("enr:..." text). */
  bootnodes?: string[]
  /** Which discovered nodes to report (default: those with an "eth" entry). */
  accept?: (n: Discv5Node) => boolean
  /** Reply timeout per request (default 1 s). */
  requestTimeoutMs?: number
  /** A node is reported again at most this often (default 30 s), so failed dials can retry. */
  reportIntervalMs?: number
  /** Packets per second allowed from one IP (default 200). */
  packetRate?: number
  /** Share discv4's socket (then `address`/`udpPort` are ignored): feed its non-v4 packets to `deliver`. */
  shared?: Socket
}

/** A discovered node, as handed to `accept`. */
export interface Discv5Node extends NodeRecord {
  enr: Enr
  /** Fork id from the "eth" entry, when present. */
  eth?: ForkId
}

export interface Discv5 {
  /** 64-byte public key (the RLPx node id). */
  id: Uint8Array
  /** 32-byte discv5 node id, keccak256(id). */
  nodeId: Uint8Array
  port: number
  /** Our record as "enr:..." text. */
  enr(): string
  /** Adds the bootnodes and looks up our own id; resolves with the nodes found. */
  bootstrap(): Promise<NodeRecord[]>
  /** Iterative lookup of a 32-byte node id (random when omitted). */
  lookup(target?: Uint8Array): Promise<NodeRecord[]>
  /** Called for accepted nodes; consumer: the dialer. */
  onNode(h: (n: NodeRecord) => void): void
  /** Nodes in the routing table. */
  size(): number
  /** Packets the transport dropped (undecodable, over the rate limit). */
  readonly dropped: number
  /** Hands over a packet received on a shared socket. */
  deliver(packet: Uint8Array, from: RemoteInfo): void
  close(): Promise<void>
}

/** Report-dedup entries kept before the oldest are forgotten. */
const MAX_REPORTED = 10_000

const defaultAccept = (n: Discv5Node) => n.eth !== undefined

/** Converts a record to a dialable node, or null when it lacks a key, an IPv4 address or a TCP port. */
export function nodeFromEnr(enr: Enr): Discv5Node | null {
  const ip = enr.pairs.get('ip')
  const tcpPort = enrPortValue(enr.pairs.get('tcp'))
  if (!(ip instanceof Uint8Array) || ip.length !== 4 || tcpPort === 0) return null
  let id: Uint8Array
  try {
    id = enrPublicKey(enr)
  } catch {
    return null
  }
  const eth = forkIdOfEnrEntry(enr.pairs.get('eth'))
  return { id, ip, tcpPort, udpPort: enrPortValue(enr.pairs.get('udp')), enr, ...(eth ? { eth } : {}) }
}

export async function startDiscv5(opts: Discv5Options): Promise<Discv5> {
  const id = publicKeyOf(opts.privateKey)
  const nodeId = keccak256(id)
  const address = opts.address ?? '127.0.0.1'
  const advertised = opts.externalIp ?? (address === '0.0.0.0' ? '127.0.0.1' : address)
  const bootnodes = (opts.bootnodes ?? []).map((t) => {
    enrFromText(t) // validates; throws P2pError ENR_INVALID naming nothing else
    return t
  })
  const transport: UdpTransport = await openUdpTransport({
    address,
    port: opts.udpPort ?? 0,
    nodeId: bytesToHex(nodeId).slice(2),
    ...(opts.shared ? { shared: opts.shared } : {}),
    ...(opts.packetRate ? { packetRate: opts.packetRate, packetBurst: opts.packetRate * 2 } : {}),
  })
  let service: ChainsafeDiscv5
  try {
    const pairs: Record<string, RlpItem> = { ...opts.entries, ip: ipToBytes(advertised), udp: enrPortBytes(transport.port) }
    if (opts.tcpPort) pairs.tcp = enrPortBytes(opts.tcpPort)
    const record = enrToText(signEnr(1n, pairs, opts.privateKey))
    service = ChainsafeDiscv5.create({
      enr: record,
      // two copies of @libp2p/interface are installed; the key object is the same at run time
      privateKey: privateKeyFromRaw(opts.privateKey) as unknown as IDiscv5CreateOptions['privateKey'],
      bindAddrs: { ip4: transport.bindAddrs[0]! },
      transport,
      config: {
        requestTimeout: opts.requestTimeoutMs ?? 1000,
        lookupTimeout: 10_000,
        // keep the advertised address: the operator set it, or we are on loopback in tests
        enrUpdate: opts.externalIp === undefined && address === '0.0.0.0',
      },
    })
    await service.start()
  } catch (e) {
    await transport.stop()
    throw new P2pError('DISCV5', 'cannot start discv5', { cause: e })
  }

  const accept = opts.accept ?? defaultAccept
  const reportEvery = opts.reportIntervalMs ?? 30_000
  const reported = new Map<string, number>()
  const handlers: ((n: NodeRecord) => void)[] = []
  let closed = false

  /** Our strict decoding of a library record; null when it does not pass. */
  const toNode = (e: ENR): Discv5Node | null => {
    try {
      return nodeFromEnr(decodeEnr(e.encode()))
    } catch {
      return null
    }
  }
  const report = (e: ENR) => {
    if (closed) return
    const n = toNode(e)
    if (!n || !accept(n)) return
    const key = bytesToHex(n.id)
    const now = Date.now()
    if (now - (reported.get(key) ?? -Infinity) < reportEvery) return
    reported.delete(key)
    reported.set(key, now)
    if (reported.size > MAX_REPORTED) reported.delete(reported.keys().next().value!)
    const { enr: _e, eth: _f, ...record } = n
    for (const h of handlers) {
      try {
        h(record)
      } catch {}
    }
  }
  service.on('discovered', report)
  service.on('enrAdded', report)

  const nodesOf = (enrs: ENR[]) => enrs.map(toNode).filter((n): n is Discv5Node => n !== null).map(({ enr: _e, eth: _f, ...r }) => r)
  const lookup = async (target?: Uint8Array) => {
    if (closed) return []
    const t = target ?? keccak256(publicKeyOf(randomPrivateKey()))
    if (t.length !== 32) throw new P2pError('DISCV5', 'lookup target must be a 32-byte node id')
    try {
      return nodesOf(await service.findNode(bytesToHex(t).slice(2)))
    } catch {
      return []
    }
  }

  return {
    id,
    nodeId,
    port: transport.port,
    enr: () => service.enr.encodeTxt(),
    async bootstrap() {
      for (const b of bootnodes) {
        try {
          service.addEnr(b)
        } catch {} // e.g. a record without a UDP endpoint
      }
      return lookup(nodeId)
    },
    lookup,
    onNode(h) {
      handlers.push(h)
    },
    size: () => service.kadValues().length,
    get dropped() {
      return transport.dropped
    },
    deliver: (p, from) => transport.deliver(p, from),
    async close() {
      if (closed) return
      closed = true
      try {
        await service.stop()
      } finally {
        await transport.stop()
      }
    },
  }
}
