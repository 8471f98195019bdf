/**
 * devp2p base protocol ("p2p" capability, rlpx.md "Hello"/"Disconnect"/"Ping"/"Pong"):
 * message codecs, capability negotiation and message-id offsets, snappy with a size limit.
 */
import * as snappy from 'snappyjs'
import {
  bytesToUtf8,
  decodeRlp,
  encodeRlp,
  rlpBytes,
  rlpFixed,
  rlpList,
  rlpNumber,
  utf8ToBytes,
  type RlpItem,
} from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'

/** Base protocol version we speak; snappy is used when both sides are ≥ 5. */
export const BASE_PROTOCOL_VERSION = 5
/** Message ids 0x00..0x0f belong to the base protocol; capabilities start at 0x10. */
export const BASE_PROTOCOL_LENGTH = 0x10
/** Largest decompressed message accepted (checked from the snappy preamble before decoding). */
export const MAX_MESSAGE_SIZE = 16 * 1024 * 1024

export const P2pMessageId = { Hello: 0x00, Disconnect: 0x01, Ping: 0x02, Pong: 0x03 } as const

/** A capability we offer: name, version and how many message ids it uses. */
export interface Capability {
  name: string
  version: number
  length: number
}

/** A negotiated capability with the first message id it owns on this connection. */
export interface SharedCapability extends Capability {
  offset: number
}

export interface Hello {
  protocolVersion: number
  clientId: string
  capabilities: { name: string; version: number }[]
  listenPort: number
  nodeId: Uint8Array
}

export function encodeHello(h: Hello): Uint8Array {
  return encodeRlp([
    h.protocolVersion,
    utf8ToBytes(h.clientId),
    h.capabilities.map((c) => [utf8ToBytes(c.name), c.version]),
    h.listenPort,
    h.nodeId,
  ])
}

/** Decodes a Hello; extra list elements are ignored (EIP-8). */
export function decodeHello(payload: Uint8Array): Hello {
  try {
    const l = rlpList(decodeRlp(payload, { maxDepth: 8 }), 'hello')
    return {
      protocolVersion: rlpNumber(l[0], 'protocol version'),
      clientId: bytesToUtf8(rlpBytes(l[1], 'client id')),
      capabilities: rlpList(l[2], 'capabilities').map((c) => {
        const cl = rlpList(c, 'capability')
        return { name: bytesToUtf8(rlpBytes(cl[0], 'capability name')), version: rlpNumber(cl[1], 'capability version') }
      }),
      listenPort: rlpNumber(l[3], 'listen port'),
      nodeId: rlpFixed(l[4], 'node id', 64),
    }
  } catch (cause) {
    throw new P2pError('MESSAGE_INVALID', 'bad hello', { cause, reason: DisconnectReason.ProtocolBreach })
  }
}

/**
 * Shared capabilities: for each name both sides offer, the highest common version; sorted by
 * name, message ids allotted in that order from 0x10 (rlpx.md "Message ID-based Multiplexing").
 */
export function negotiateCapabilities(local: readonly Capability[], remote: Hello['capabilities']): SharedCapability[] {
  const best = new Map<string, Capability>()
  for (const c of local) {
    if (!remote.some((r) => r.name === c.name && r.version === c.version)) continue
    const prev = best.get(c.name)
    if (!prev || prev.version < c.version) best.set(c.name, c)
  }
  let offset = BASE_PROTOCOL_LENGTH
  return [...best.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => {
      const s = { ...c, offset }
      offset += c.length
      return s
    })
}

export function encodeDisconnect(reason: DisconnectReason): Uint8Array {
  return encodeRlp([reason])
}

/** Accepts `[reason]`, a bare `reason` and an empty list (geth, ethereumjs and older peers). */
export function decodeDisconnect(payload: Uint8Array): DisconnectReason {
  const item: RlpItem = decodeRlp(payload, { maxDepth: 4 })
  const r = Array.isArray(item) ? item[0] : item
  if (r === undefined) return DisconnectReason.DisconnectRequested
  const b = rlpBytes(r, 'disconnect reason')
  return (b.length === 0 ? 0 : b[b.length - 1]!) as DisconnectReason
}

/** Length announced by a snappy block's varint preamble. */
export function snappyDecodedLength(data: Uint8Array): number {
  let result = 0
  for (let i = 0, shift = 0; i < 5 && i < data.length; i++, shift += 7) {
    const b = data[i]!
    result += (b & 0x7f) * 2 ** shift
    if ((b & 0x80) === 0) return result
  }
  throw new P2pError('MESSAGE_INVALID', 'bad snappy preamble')
}

export function compress(data: Uint8Array): Uint8Array {
  return snappy.compress(data)
}

/** Snappy-decompresses, refusing output above `max` before allocating it. */
export function decompress(data: Uint8Array, max = MAX_MESSAGE_SIZE): Uint8Array {
  const n = snappyDecodedLength(data)
  if (n > max) throw new P2pError('FRAME_TOO_LARGE', 'decompressed message too large', { details: `${n} > ${max}` })
  try {
    return snappy.uncompress(data, max)
  } catch (cause) {
    throw new P2pError('MESSAGE_INVALID', 'bad snappy data', { cause })
  }
}
