/**
 * The NATS JetStream sink: the stream's block events published to one JetStream stream per
 * chain (the wire form: ./nats-wire.ts), the scale-out log that any number of replicas
 * (./nats-source.ts) follow.
 *
 * The sink's head is the stream's: on open it reads the stream's last message and the head
 * after it (`head()`), and the subscription that feeds it starts there, so a restarted
 * publisher neither repeats nor skips a block. Each publish waits for JetStream's ack (the
 * message is stored) before its callback returns, so a consumer that acknowledges the
 * subscription after its callbacks (FinishedHeight) acknowledges only what the stream holds.
 * Each message expects the stream's last sequence to be the one this sink saw: a second
 * publisher writing to the same stream is an error, not an interleaved log. A publish whose
 * ack is lost is retried with the same message id, which the server's duplicate window drops.
 *
 * Consumers: `mosaic statesync --sink nats://…` (src/cli), the node's `--statediff.nats`
 * (src/profiles/components/statediff-nats.ts), plugins (`attachNatsSink`).
 */
import { headers as natsHeaders, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats'
import { bytesToHex } from '../primitives/index.ts'
import { StateDiffError } from './errors.ts'
import { connectNats, errorText, jsErrorCode, JS_STREAM_NOT_FOUND, JS_WRONG_LAST_SEQUENCE } from './nats-conn.ts'
import { encodeBlockEvent, eventHeaders, eventMsgId, natsStreamName, natsSubject, parseNatsUrl, readEventHeaders, refAfterEvent } from './nats-wire.ts'
import type { DiffConsumer, StateDiffStream, Subscription } from './stream.ts'
import type { BlockDiff, BlockRef } from './types.ts'

export interface NatsSinkOptions {
  /** `nats://HOST:PORT[/STREAM]`; the stream defaults to `MOSAIC_<chainId>`. */
  url: string
  chainId: bigint
  /** Names the sink in errors and in the connection (default `nats sink`). */
  name?: string
  /** Publish attempts whose ack timed out, each with the same message id (default 5). */
  attempts?: number
}

export interface NatsSink extends DiffConsumer {
  readonly stream: string
  readonly subject: string
  /** The head after the stream's last message (undefined: the stream is empty). */
  head(): BlockRef | undefined
  /** The stream sequence of the last message (0: none). */
  readonly lastSequence: number
  /** Messages this sink published (acked by JetStream). */
  readonly published: number
  publish(d: BlockDiff): Promise<void>
  close(): Promise<void>
}

const ACK_TIMEOUT_MS = 10_000

async function ensureStream(jsm: JetStreamManager, stream: string, subject: string, who: string): Promise<number> {
  try {
    const info = await jsm.streams.info(stream)
    if (!info.config.subjects?.includes(subject))
      throw new StateDiffError('BAD_STORE', `${who}: JetStream stream ${stream} exists but does not hold ${subject}`, { details: `its subjects are ${info.config.subjects?.join(', ') || 'none'}: name another stream in the URL (nats://HOST:PORT/STREAM)` })
    return info.state.last_seq
  } catch (e) {
    if (jsErrorCode(e) !== JS_STREAM_NOT_FOUND) throw e
  }
  // a log that is kept: file storage, no limits, the default duplicate window (2 minutes)
  await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File, retention: RetentionPolicy.Limits, description: `Mosaic state diffs (${subject})` })
  return 0
}

/** Connects, creates the chain's stream when it is missing, and reads the head the stream is at. */
export async function openNatsSink(o: NatsSinkOptions): Promise<NatsSink> {
  const addr = parseNatsUrl(o.url)
  const who = o.name ?? 'nats sink'
  const stream = addr.stream ?? natsStreamName(o.chainId)
  const subject = natsSubject(o.chainId)
  const attempts = o.attempts ?? 5
  const nc: NatsConnection = await connectNats(addr.server, who)
  let js: JetStreamClient
  let lastSeq: number
  let head: BlockRef | undefined
  try {
    const jsm = await nc.jetstreamManager()
    js = nc.jetstream()
    lastSeq = await ensureStream(jsm, stream, subject, who)
    if (lastSeq > 0) {
      const last = await jsm.streams.getMessage(stream, { seq: lastSeq })
      head = refAfterEvent(readEventHeaders(last.header, lastSeq))
    }
  } catch (e) {
    await nc.close().catch(() => {})
    if (e instanceof StateDiffError) throw e
    throw new StateDiffError('STORE_FAILED', `${who}: JetStream at ${addr.server} refused the stream ${stream}`, { details: `${errorText(e)} (is the server started with -js?)`, cause: e })
  }
  let published = 0
  const maxPayload = nc.info?.max_payload ?? 1024 * 1024

  const publish = async (d: BlockDiff) => {
    const body = encodeBlockEvent(d)
    const where = `the ${d.direction} of block ${d.number} ${bytesToHex(d.hash)}`
    if (body.length > maxPayload - 1024)
      throw new StateDiffError('STORE_FAILED', `${who}: ${where} is ${body.length} bytes, more than the server's max_payload (${maxPayload})`, { details: 'raise max_payload in the nats-server configuration' })
    const k = eventHeaders(d)
    const h = natsHeaders()
    h.set('Mosaic-Kind', k.kind)
    h.set('Mosaic-Number', String(k.number))
    h.set('Mosaic-Hash', k.hash)
    h.set('Mosaic-Parent', k.parent)
    const msgID = eventMsgId(d, lastSeq + 1)
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await js.publish(subject, body, { msgID, headers: h, expect: { lastSequence: lastSeq, streamName: stream }, timeout: ACK_TIMEOUT_MS })
        if (ack.seq !== lastSeq + 1)
          throw new StateDiffError('STORE_FAILED', `${who}: ${where} was stored at sequence ${ack.seq}, not ${lastSeq + 1}`, { details: 'someone else writes to this stream' })
        lastSeq = ack.seq
        head = refAfterEvent(k)
        published++
        return
      } catch (e) {
        if (e instanceof StateDiffError) throw e
        if (jsErrorCode(e) === JS_WRONG_LAST_SEQUENCE)
          throw new StateDiffError('STORE_FAILED', `${who}: the stream ${stream} moved past sequence ${lastSeq} under this sink at ${where}`, { details: 'another publisher writes to it: one publisher per stream (restart this one to resume after the stream\'s last message)', cause: e })
        const timedOut = (e as { code?: string }).code === 'TIMEOUT' || /timeout/i.test(errorText(e))
        if (!timedOut || attempt >= attempts)
          throw new StateDiffError('STORE_FAILED', `${who}: publishing ${where} to ${stream} failed`, { details: errorText(e), cause: e })
      }
    }
  }

  return {
    stream,
    subject,
    head: () => head,
    get lastSequence() {
      return lastSeq
    },
    get published() {
      return published
    },
    publish,
    onCommit: publish,
    onRevert: publish,
    async close() {
      await nc.drain().catch(() => nc.close())
    },
  }
}

/**
 * Feeds `sink` from `stream`, from the sink's head, acknowledging the subscription (ExEx
 * FinishedHeight) once each block's publish is acked. The seam for the node's in-process
 * stream component: `attachNatsSink(stream, await openNatsSink({ url, chainId }))`.
 */
export function attachNatsSink(stream: StateDiffStream, sink: NatsSink, name = `nats ${sink.stream}`): Subscription {
  let acked: bigint | undefined
  // the subscription's position moves after a callback returns: acknowledge on the next turn
  const ack = () => {
    const pos = sub.position
    if (acked !== undefined && pos && acked <= pos.number) sub.acknowledge(acked)
  }
  const step = async (d: BlockDiff) => {
    await sink.publish(d)
    acked = d.direction === 'commit' ? d.number : d.number - 1n
    setTimeout(ack, 0)
  }
  const sub = stream.subscribe({ onCommit: step, onRevert: step }, { name, from: sink.head() })
  return sub
}
