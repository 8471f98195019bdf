/**
 * discv4 wire packets (devp2p discv4.md): hash || signature || packet-type || packet-data, where
 * hash = keccak256(signature || type || data) and the signature is over keccak256(type || data).
 * Decoding ignores extra list elements and trailing bytes (EIP-8) and checks hash and signature.
 *
 * Callers: the discv4 server (UDP) and tests.
 */
import { keccak256, recoverPublicKey, sign } from '../../crypto/index.ts'
import {
  bigintToWord,
  bytesToBigint,
  concatBytes,
  decodeRlpHeader,
  decodeRlp,
  encodeRlp,
  equalBytes,
  rlpBytes,
  rlpFixed,
  rlpList,
  type RlpInput,
  type RlpItem,
} from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'

export const MAX_PACKET_SIZE = 1280
const HEADER = 32 + 65 + 1

export const PacketType = { Ping: 1, Pong: 2, FindNode: 3, Neighbors: 4, EnrRequest: 5, EnrResponse: 6 } as const

export interface Endpoint {
  /** 4 (IPv4) or 16 (IPv6) bytes. */
  ip: Uint8Array
  udpPort: number
  tcpPort: number
}

export interface NodeRecord extends Endpoint {
  id: Uint8Array
}

export type Discv4Message =
  | { type: 'Ping'; version: number; from: Endpoint; to: Endpoint; expiration: number; enrSeq?: bigint }
  | { type: 'Pong'; to: Endpoint; pingHash: Uint8Array; expiration: number; enrSeq?: bigint }
  | { type: 'FindNode'; target: Uint8Array; expiration: number }
  | { type: 'Neighbors'; nodes: NodeRecord[]; expiration: number }
  | { type: 'EnrRequest'; expiration: number }
  /** `record` is the RLP of the ENR (see enr.ts). */
  | { type: 'EnrResponse'; requestHash: Uint8Array; record: RlpItem }

export interface DecodedPacket {
  hash: Uint8Array
  /** 64-byte node id of the sender, recovered from the signature. */
  nodeId: Uint8Array
  message: Discv4Message
}

const bad = (details: string, cause?: unknown) => new P2pError('DISCV4_PACKET', 'bad discv4 packet', { details, cause })

function endpointRlp(e: Endpoint): RlpInput {
  return [e.ip, e.udpPort, e.tcpPort]
}

/** Lenient port: empty means 0; big-endian of at most 2 bytes. */
function port(item: RlpItem | undefined): number {
  const b = rlpBytes(item, 'port')
  if (b.length > 2) throw bad('port too large')
  return b.length === 0 ? 0 : Number(bytesToBigint(b))
}

function ip(item: RlpItem | undefined): Uint8Array {
  const b = rlpBytes(item, 'ip')
  if (b.length !== 4 && b.length !== 16) throw bad('ip must be 4 or 16 bytes')
  return b
}

function endpointFrom(item: RlpItem | undefined): Endpoint {
  const l = rlpList(item, 'endpoint')
  return { ip: ip(l[0]), udpPort: port(l[1]), tcpPort: port(l[2]) }
}

/** Lenient unsigned integer (discv4 peers are not strict about leading zeros). */
function uint(item: RlpItem | undefined, what: string, maxBytes = 8): bigint {
  const b = rlpBytes(item, what)
  if (b.length > maxBytes) throw bad(`${what} too large`)
  return bytesToBigint(b)
}

function messageRlp(m: Discv4Message): [number, RlpInput] {
  switch (m.type) {
    case 'Ping': {
      const l: RlpInput[] = [m.version, endpointRlp(m.from), endpointRlp(m.to), m.expiration]
      if (m.enrSeq !== undefined) l.push(m.enrSeq)
      return [PacketType.Ping, l]
    }
    case 'Pong': {
      const l: RlpInput[] = [endpointRlp(m.to), m.pingHash, m.expiration]
      if (m.enrSeq !== undefined) l.push(m.enrSeq)
      return [PacketType.Pong, l]
    }
    case 'FindNode':
      return [PacketType.FindNode, [m.target, m.expiration]]
    case 'Neighbors':
      return [PacketType.Neighbors, [m.nodes.map((n) => [n.ip, n.udpPort, n.tcpPort, n.id]), m.expiration]]
    case 'EnrRequest':
      return [PacketType.EnrRequest, [m.expiration]]
    case 'EnrResponse':
      return [PacketType.EnrResponse, [m.requestHash, m.record]]
  }
}

/** Signs and encodes a packet; returns the bytes and the packet hash (used to match Pong/ENRResponse). */
export function encodePacket(m: Discv4Message, privateKey: Uint8Array): { packet: Uint8Array; hash: Uint8Array } {
  const [type, body] = messageRlp(m)
  const typed = concatBytes(new Uint8Array([type]), encodeRlp(body))
  const sig = sign(keccak256(typed), privateKey)
  const sigBytes = concatBytes(bigintToWord(sig.r), bigintToWord(sig.s), new Uint8Array([sig.yParity]))
  const hash = keccak256(concatBytes(sigBytes, typed))
  const packet = concatBytes(hash, sigBytes, typed)
  if (packet.length > MAX_PACKET_SIZE) throw bad('packet exceeds 1280 bytes')
  return { packet, hash }
}

/** Checks hash and signature and decodes; throws P2pError('DISCV4_PACKET'). Does not check expiration. */
export function decodePacket(packet: Uint8Array): DecodedPacket {
  if (packet.length < HEADER + 1) throw bad('packet too short')
  if (packet.length > MAX_PACKET_SIZE) throw bad('packet too long')
  const hash = packet.subarray(0, 32)
  if (!equalBytes(keccak256(packet.subarray(32)), hash)) throw bad('hash mismatch')
  const sig = packet.subarray(32, 97)
  const typed = packet.subarray(97)
  const v = sig[64]!
  const nodeId =
    v <= 1
      ? recoverPublicKey(keccak256(typed), { r: bytesToBigint(sig.subarray(0, 32)), s: bytesToBigint(sig.subarray(32, 64)), yParity: v })
      : null
  if (!nodeId) throw bad('invalid signature')
  const type = typed[0]!
  let l: RlpItem[]
  try {
    // EIP-8: ignore anything after the first RLP item
    const data = typed.subarray(1)
    const h = decodeRlpHeader(data, 0, data.length)
    l = rlpList(decodeRlp(data.subarray(0, h.start + h.length), { maxDepth: 16 }), 'packet data')
  } catch (cause) {
    throw bad('undecodable packet data', cause)
  }
  try {
    return { hash: hash.slice(), nodeId, message: decodeMessage(type, l) }
  } catch (cause) {
    if (cause instanceof P2pError) throw cause
    throw bad('malformed packet data', cause)
  }
}

function decodeMessage(type: number, l: RlpItem[]): Discv4Message {
  const expiration = (i: number) => Number(uint(l[i], 'expiration'))
  switch (type) {
    case PacketType.Ping:
      return {
        type: 'Ping',
        version: Number(uint(l[0], 'version', 4)),
        from: endpointFrom(l[1]),
        to: endpointFrom(l[2]),
        expiration: expiration(3),
        ...(l[4] instanceof Uint8Array ? { enrSeq: uint(l[4], 'enr-seq') } : {}),
      }
    case PacketType.Pong:
      return {
        type: 'Pong',
        to: endpointFrom(l[0]),
        pingHash: rlpFixed(l[1], 'ping hash', 32),
        expiration: expiration(2),
        ...(l[3] instanceof Uint8Array ? { enrSeq: uint(l[3], 'enr-seq') } : {}),
      }
    case PacketType.FindNode:
      return { type: 'FindNode', target: rlpFixed(l[0], 'target', 64), expiration: expiration(1) }
    case PacketType.Neighbors:
      return {
        type: 'Neighbors',
        nodes: rlpList(l[0], 'nodes').map((n) => {
          const nl = rlpList(n, 'node')
          return { ip: ip(nl[0]), udpPort: port(nl[1]), tcpPort: port(nl[2]), id: rlpFixed(nl[3], 'node id', 64) }
        }),
        expiration: expiration(1),
      }
    case PacketType.EnrRequest:
      return { type: 'EnrRequest', expiration: expiration(0) }
    case PacketType.EnrResponse:
      return { type: 'EnrResponse', requestHash: rlpFixed(l[0], 'request hash', 32), record: rlpList(l[1], 'record') }
  }
  throw bad(`unknown packet type ${type}`)
}

/** True when `expiration` (unix seconds) is in the past. */
export function isExpired(expiration: number, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  return expiration < nowSeconds
}

/** Expiration for outgoing packets: 20 s ahead (geth's default). */
export function expirationFromNow(seconds = 20): number {
  return Math.floor(Date.now() / 1000) + seconds
}

export function ipToBytes(address: string): Uint8Array {
  if (address.includes('.')) {
    const parts = address.split('.').map(Number)
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw bad(`bad IPv4 address ${address}`)
    return new Uint8Array(parts)
  }
  const [head, tail = ''] = address.split('::')
  const h = head ? head.split(':') : []
  const t = address.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t]
  if (groups.length !== 8) throw bad(`bad IPv6 address ${address}`)
  const out = new Uint8Array(16)
  groups.forEach((g, i) => {
    const v = parseInt(g, 16)
    out[2 * i] = v >> 8
    out[2 * i + 1] = v & 0xff
  })
  return out
}

export function ipToString(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i]! << 8) | ip[i + 1]!).toString(16))
  return groups.join(':')
}

