/**
 * The stream on NATS JetStream: names, the `nats://` address, and one message per block event.
 *
 * - One JetStream stream per chain, `MOSAIC_<chainId>`, holding one subject, `mosaic.<chainId>.diffs`
 *   (the chain id is read back from the subject by a replica, for eth_chainId).
 * - One message per block event, in the chain's order: a commit of a block, or the revert of a
 *   block that left the canonical chain (a reorg is its reverts, newest first, then the new
 *   branch's commits, exactly as the in-process stream delivers them).
 * - Its body is the compact binary form (./codec-rlp.ts) of a notification of that one block:
 *   `committed` with the commit diff, or `reverted` with the revert diff.
 * - Its headers key it: `Mosaic-Kind` (commit|revert), `Mosaic-Number` (decimal), `Mosaic-Hash`,
 *   `Mosaic-Parent` (0x-hex), and `Nats-Msg-Id` = `<kind>-<number>-<hash>-<sequence>`, the
 *   stream sequence it is published to take. The server drops a message whose id it saw within
 *   its duplicate window, so a publish retried after a lost acknowledgement is stored once; the
 *   sequence in the id keeps a branch that comes back (A, then B, then A again) a new message.
 */
import { bytesToHex, equalBytes, hexToBytes } from '../primitives/index.ts'
import { decodeNotificationRlp, encodeNotificationRlp } from './codec-rlp.ts'
import { StateDiffError } from './errors.ts'
import type { BlockDiff, BlockRef } from './types.ts'

export const natsStreamName = (chainId: bigint): string => `MOSAIC_${chainId}`
export const natsSubject = (chainId: bigint): string => `mosaic.${chainId}.diffs`

/** The chain id of a stream's subject, or undefined when it is not one of ours. */
export function chainIdOfSubject(subject: string): bigint | undefined {
  const m = /^mosaic\.([0-9]{1,20})\.diffs$/.exec(subject)
  return m ? BigInt(m[1]!) : undefined
}

export interface NatsAddress {
  /** `host:port` for the client. */
  server: string
  /** The stream named in the path, if any. */
  stream?: string
}

const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** Parses `nats://HOST:PORT[/STREAM]`; throws StateDiffError BAD_STORE with what is wrong. */
export function parseNatsUrl(url: string): NatsAddress {
  const m = /^nats:\/\/([^/\s]+?)(?::([0-9]{1,5}))?(?:\/([^/]*))?$/.exec(url)
  if (!m) throw new StateDiffError('BAD_STORE', `not a NATS address: ${JSON.stringify(url)}`, { details: 'give nats://HOST:PORT or nats://HOST:PORT/STREAM' })
  const port = m[2] === undefined ? 4222 : Number(m[2])
  if (port < 1 || port > 65535) throw new StateDiffError('BAD_STORE', `NATS address ${url}: port ${m[2]} is out of range`)
  const stream = m[3] || undefined
  if (stream !== undefined && !STREAM_NAME.test(stream)) throw new StateDiffError('BAD_STORE', `NATS address ${url}: ${JSON.stringify(stream)} is not a stream name (letters, digits, _ and -)`)
  return { server: `${m[1]}:${port}`, ...(stream ? { stream } : {}) }
}

export type BlockEventKind = 'commit' | 'revert'

export interface BlockEventHeaders {
  kind: BlockEventKind
  number: bigint
  hash: string
  parent: string
}

export const eventHeaders = (d: BlockDiff): BlockEventHeaders => ({ kind: d.direction, number: d.number, hash: bytesToHex(d.hash), parent: bytesToHex(d.parentHash) })

export const eventMsgId = (d: BlockDiff, sequence: number): string => `${d.direction}-${d.number}-${bytesToHex(d.hash)}-${sequence}`

/** The body of a block event: its one-block notification in RLP. */
export const encodeBlockEvent = (d: BlockDiff): Uint8Array =>
  encodeNotificationRlp(d.direction === 'commit' ? { kind: 'committed', old: [], new: [d] } : { kind: 'reverted', old: [d], new: [] })

/** Reads a header map (any `get(name)`) into the event's keys; throws MALFORMED naming the sequence. */
export function readEventHeaders(h: { get(name: string): string } | undefined, seq: number): BlockEventHeaders {
  const kind = h?.get('Mosaic-Kind')
  const number = h?.get('Mosaic-Number') ?? ''
  const hash = h?.get('Mosaic-Hash') ?? ''
  const parent = h?.get('Mosaic-Parent') ?? ''
  if ((kind !== 'commit' && kind !== 'revert') || !/^[0-9]{1,20}$/.test(number) || !/^0x[0-9a-f]{64}$/.test(hash) || !/^0x[0-9a-f]{64}$/.test(parent))
    throw new StateDiffError('MALFORMED', `message ${seq} of the stream is not a Mosaic block event`, { details: 'it lacks the Mosaic-Kind, Mosaic-Number, Mosaic-Hash and Mosaic-Parent headers, or they are malformed' })
  return { kind, number: BigInt(number), hash, parent }
}

/** Decodes a block event and checks its body against its headers. */
export function decodeBlockEvent(h: { get(name: string): string } | undefined, body: Uint8Array, seq: number): BlockDiff {
  const keys = readEventHeaders(h, seq)
  let n
  try {
    n = decodeNotificationRlp(body)
  } catch (e) {
    throw new StateDiffError('MALFORMED', `message ${seq} of the stream (${keys.kind} of block ${keys.number}) has a body that is not a notification`, { details: e instanceof Error ? e.message : String(e), cause: e })
  }
  const d = keys.kind === 'commit' ? n.kind === 'committed' && n.new.length === 1 && n.new[0] : n.kind === 'reverted' && n.old.length === 1 && n.old[0]
  if (!d || d.number !== keys.number || !equalBytes(d.hash, hexToBytes(keys.hash)) || !equalBytes(d.parentHash, hexToBytes(keys.parent)))
    throw new StateDiffError('MALFORMED', `message ${seq} of the stream: its body is not the ${keys.kind} of block ${keys.number} ${keys.hash} that its headers name`)
  return d
}

/** The head a store or a stream has after a block event (the block, or its parent for a revert). */
export function refAfterEvent(k: Pick<BlockEventHeaders, 'kind' | 'number' | 'hash' | 'parent'>): BlockRef | undefined {
  if (k.kind === 'commit') return { number: k.number, hash: hexToBytes(k.hash) }
  return k.number === 0n ? undefined : { number: k.number - 1n, hash: hexToBytes(k.parent) }
}
