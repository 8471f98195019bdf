/**
 * The NATS JetStream source: a replica's store fed from the chain's JetStream stream (written
 * by ./nats-sink.ts; wire form ./nats-wire.ts) through a durable consumer of its own.
 *
 * Exactly once per store, across a crash of the replica: each message is applied to the store,
 * the store flushed (durable), and only then the message acknowledged (`ackAck`: the server
 * confirmed it), one at a time, in order. So at a crash at most the one message in hand is
 * applied but not acknowledged. The durable consumer keeps the acknowledged sequence, but the
 * store's own head decides where a feed resumes (`resumePoint`): after the acknowledged message
 * when the store's head is the head after it (the usual restart), after the next one when the
 * store holds that one too (the message in hand at a crash), else after the stream's last
 * message that leads to the store's head, found by reading the stream's headers — a new
 * consumer (another --replica name) on an old store, a store restored from a copy, or an empty
 * store (a memory store restarted) behind an old consumer, which replays from the start. A store
 * whose head no message leads to (fed from another chain or stream) is a clear error. The
 * consumer is recreated at the sequence after that point (so nothing waits for the server's
 * redelivery timer). A store whose server is lost (STORE_UNAVAILABLE) is waited for with
 * backoff (./stores/retry.ts).
 *
 * Consumers: `mosaic statesync --source nats://…` (a one-shot catch-up), the statesync
 * replica (src/profiles/components/replica.ts, a follower that serves RPC from its store).
 */
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamManager, type NatsConnection } from 'nats'
import { bytesToHex } from '../primitives/index.ts'
import { StateDiffError } from './errors.ts'
import { connectNats, errorText, jsErrorCode, JS_CONSUMER_NOT_FOUND, JS_NO_MESSAGE, JS_STREAM_NOT_FOUND } from './nats-conn.ts'
import { chainIdOfSubject, decodeBlockEvent, parseNatsUrl, readEventHeaders, refAfterEvent } from './nats-wire.ts'
import { sameRef } from './stores/order.ts'
import { writeRetrying, type RetryOptions } from './stores/retry.ts'
import type { StateStore } from './store.ts'
import type { BlockDiff, BlockRef } from './types.ts'

export interface NatsSourceOptions {
  /** `nats://HOST:PORT[/STREAM]`; without a stream, the server's one Mosaic stream. */
  url: string
  /** The durable consumer's name: one per replica (letters, digits, _ and -). */
  consumer: string
}

export interface FeedOptions {
  /** Stop once the message at this stream sequence is applied (a catch-up); absent: follow. */
  until?: number
  onApplied?(d: BlockDiff, seq: number): void
  /** Told when the store's server is lost and a write waits for it (./stores/retry.ts). */
  onRetry?: RetryOptions['onRetry']
}

/** Where a feed resumes: after stream sequence `after` (0: from the start), and why. */
export interface ResumePoint {
  after: number
  /** `acknowledged`: the consumer's floor; `in-hand`: the message after it, applied before a crash; `store-head`: found from the store's head in the stream; `empty-store`: the store has nothing. */
  reason: 'acknowledged' | 'in-hand' | 'store-head' | 'empty-store'
}

export interface Feed {
  /** Settles when the feed ends: resolves when stopped or `until` is reached, rejects with its failure. */
  readonly done: Promise<void>
  /** Messages applied to the store by this feed. */
  readonly applied: number
  /** Messages the store held already (the one in hand at a crash; a new consumer's messages up to the store's head). */
  readonly skipped: number
  /** Where it started. */
  readonly resumed: ResumePoint
  /** The stream sequence of the last message acknowledged. */
  readonly sequence: number
  stop(): Promise<void>
}

export interface NatsSource {
  readonly stream: string
  readonly subject: string
  readonly chainId: bigint
  /** The stream's last sequence now (0: empty). */
  lastSequence(): Promise<number>
  /** The sequence the durable consumer has acknowledged (0: none, or no consumer yet). */
  acknowledged(): Promise<number>
  /** Where a store at `head` resumes in the stream (see the file's comment). */
  resumePoint(head: BlockRef | undefined): Promise<ResumePoint>
  /** Applies the stream's block events to `store`, from the sequence after the acknowledged one. */
  feed(store: StateStore, opts?: FeedOptions): Promise<Feed>
  close(): Promise<void>
}

const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/
/** Longer than any one apply and flush, so the server does not redeliver a message in hand. */
const ACK_WAIT_NS = 10 * 60 * 1e9

async function findStream(jsm: JetStreamManager, named: string | undefined, who: string): Promise<{ stream: string; subject: string; chainId: bigint }> {
  const ours = (name: string, subjects: string[] | undefined) => {
    const subject = subjects?.find((s) => chainIdOfSubject(s) !== undefined)
    return subject ? { stream: name, subject, chainId: chainIdOfSubject(subject)! } : undefined
  }
  if (named) {
    try {
      const info = await jsm.streams.info(named)
      const found = ours(named, info.config.subjects)
      if (!found) throw new StateDiffError('BAD_STORE', `${who}: JetStream stream ${named} is not a Mosaic state-diff stream`, { details: `its subjects are ${info.config.subjects?.join(', ') || 'none'}` })
      return found
    } catch (e) {
      if (jsErrorCode(e) === JS_STREAM_NOT_FOUND) throw new StateDiffError('BAD_STORE', `${who}: there is no JetStream stream ${named}`, { details: 'start the publisher first (mosaic statesync --sink, or the node with --statediff.nats)' })
      throw e
    }
  }
  const all = []
  for await (const info of jsm.streams.list()) {
    const found = ours(info.config.name, info.config.subjects)
    if (found) all.push(found)
  }
  if (all.length === 1) return all[0]!
  if (all.length === 0) throw new StateDiffError('BAD_STORE', `${who}: the server has no Mosaic state-diff stream yet`, { details: 'start the publisher first (mosaic statesync --sink, or the node with --statediff.nats)' })
  throw new StateDiffError('BAD_STORE', `${who}: the server has several Mosaic streams (${all.map((s) => s.stream).join(', ')})`, { details: 'name one: nats://HOST:PORT/STREAM' })
}

export async function openNatsSource(o: NatsSourceOptions): Promise<NatsSource> {
  const addr = parseNatsUrl(o.url)
  const who = `replica ${o.consumer}`
  if (!CONSUMER_NAME.test(o.consumer)) throw new StateDiffError('BAD_STORE', `${JSON.stringify(o.consumer)} cannot name a replica's consumer`, { details: 'use letters, digits, _ and - (at most 64)' })
  const nc: NatsConnection = await connectNats(addr.server, who)
  let jsm: JetStreamManager
  let found: Awaited<ReturnType<typeof findStream>>
  try {
    jsm = await nc.jetstreamManager()
    found = await findStream(jsm, addr.stream, who)
  } catch (e) {
    await nc.close().catch(() => {})
    if (e instanceof StateDiffError) throw e
    throw new StateDiffError('STORE_FAILED', `${who}: JetStream at ${addr.server} did not answer`, { details: `${errorText(e)} (is the server started with -js?)`, cause: e })
  }
  const { stream, subject } = found

  const acknowledged = async () => {
    try {
      return (await jsm.consumers.info(stream, o.consumer)).ack_floor.stream_seq
    } catch (e) {
      if (jsErrorCode(e) === JS_CONSUMER_NOT_FOUND) return 0
      throw e
    }
  }

  /** The head after message `seq`, from its headers; undefined when there is no such message. */
  const refAt = async (seq: number): Promise<{ ref: BlockRef | undefined } | undefined> => {
    try {
      const m = await jsm.streams.getMessage(stream, { seq })
      return { ref: refAfterEvent(readEventHeaders(m.header, seq)) }
    } catch (e) {
      if (jsErrorCode(e) === JS_NO_MESSAGE) return undefined
      throw e
    }
  }

  /** The last message up to `last` whose head after it is `head`, reading only the headers of the stream. */
  async function findHead(head: BlockRef, last: number): Promise<number | undefined> {
    if (last === 0) return undefined
    const reader = await nc.jetstream().consumers.get(stream, { filterSubjects: subject, headers_only: true })
    let found: number | undefined
    const messages = await reader.consume({ max_messages: 1024 })
    try {
      for await (const m of messages) {
        if (sameRef(refAfterEvent(readEventHeaders(m.headers, m.seq)), head)) found = m.seq
        if (m.seq >= last) break
      }
    } finally {
      messages.stop()
    }
    return found
  }

  async function resumePoint(head: BlockRef | undefined): Promise<ResumePoint> {
    if (head === undefined) return { after: 0, reason: 'empty-store' }
    const floor = await acknowledged()
    if (floor > 0 && sameRef((await refAt(floor))?.ref, head)) return { after: floor, reason: 'acknowledged' }
    const next = await refAt(floor + 1)
    if (next && sameRef(next.ref, head)) return { after: floor + 1, reason: floor > 0 ? 'in-hand' : 'store-head' }
    const last = (await jsm.streams.info(stream)).state.last_seq
    const found = await findHead(head, last)
    if (found !== undefined) return { after: found, reason: 'store-head' }
    throw new StateDiffError('OUT_OF_ORDER', `${who}: the store's head, block ${head.number} ${bytesToHex(head.hash)}, is not in the stream ${stream} (${last} messages)`, {
      details: 'the store was fed from another chain or stream: give the replica a new, empty store (another directory) to replay this stream into, or point it at the stream that fed this store',
    })
  }

  async function feed(store: StateStore, f: FeedOptions = {}): Promise<Feed> {
    const floor = await acknowledged()
    const resumed = await resumePoint(await store.head())
    // recreated at the sequence after the resume point: messages delivered but not
    // acknowledged before a crash come again now, not after the server's ack wait
    await jsm.consumers.delete(stream, o.consumer).catch((e) => {
      if (jsErrorCode(e) !== JS_CONSUMER_NOT_FOUND) throw e
    })
    await jsm.consumers.add(stream, {
      durable_name: o.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: ACK_WAIT_NS,
      filter_subject: subject,
      ...(resumed.after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: resumed.after + 1 } : { deliver_policy: DeliverPolicy.All }),
    })
    const consumer = await nc.jetstream().consumers.get(stream, o.consumer)
    let sequence = resumed.after
    let applied = 0
    const skipped = Math.max(0, resumed.after - floor)
    let messages: ConsumerMessages | undefined
    let stopped = false

    const run = async () => {
      if (f.until !== undefined && f.until <= sequence) return
      // short pulls: a restarted server is noticed (missed heartbeats) within seconds
      messages = await consumer.consume({ max_messages: 64, expires: 4000 })
      if (stopped) messages.stop()
      for await (const m of messages) {
        if (m.seq <= sequence) {
          m.ack() // delivered again within this run: applied already
          continue
        }
        const d = decodeBlockEvent(m.headers, m.data, m.seq)
        try {
          await writeRetrying(store, d, { onRetry: f.onRetry, stopped: () => stopped })
          await store.flush()
        } catch (e) {
          if (e instanceof StateDiffError) throw e
          throw new StateDiffError('STORE_FAILED', `${who}: the store failed at message ${m.seq}, the ${d.direction} of block ${d.number} ${bytesToHex(d.hash)}`, { details: errorText(e), cause: e })
        }
        applied++
        await m.ackAck()
        sequence = m.seq
        f.onApplied?.(d, m.seq)
        if (f.until !== undefined && m.seq >= f.until) break
      }
    }
    const done = run().finally(() => messages?.stop())
    done.catch(() => {}) // observed by whoever awaits `done`
    return {
      done,
      get applied() {
        return applied
      },
      skipped,
      resumed,
      get sequence() {
        return sequence
      },
      async stop() {
        stopped = true
        messages?.stop()
        await done.catch(() => {})
      },
    }
  }

  return {
    stream,
    subject,
    chainId: found.chainId,
    async lastSequence() {
      return (await jsm.streams.info(stream)).state.last_seq
    },
    acknowledged,
    resumePoint,
    feed,
    async close() {
      await nc.drain().catch(() => nc.close())
    },
  }
}
