/**
 * The JetStream sink and source against a real nats-server (NATS_URL, else Debian's nats-server
 * started here): a generated chain with reorgs published block event by block event, a restarted
 * publisher that adds nothing, a second publisher refused, and replicas that catch up, resume
 * from their acknowledged sequence and skip the one message a crash left applied but unacknowledged,
 * and a store that resumes from its own head whatever its consumer acknowledged.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { connect } from 'nats'
import { natsAvailable, natsSkipReason, startNatsServer, type NatsServer } from '../../test/nats-server.ts'
import { Blockchain } from '../blockchain/index.ts'
import { bytesToHex } from '../primitives/index.ts'
import { openMemoryStore } from '../storage/index.ts'
import { chainDiffSource, createStateDiffStream, openMemoryStateStore, StateDiffError } from './index.ts'
import { attachNatsSink, openNatsSink } from './nats-sink.ts'
import { openNatsSource } from './nats-source.ts'
import { decodeBlockEvent, natsStreamName, parseNatsUrl } from './nats-wire.ts'
import { compareAll } from './testbed/verify.ts'
import { generateWorkload, parseWorkloadSpec, workloadChainSpec } from './workload/index.ts'

if (!natsAvailable) console.warn(`skipping the NATS sink tests: ${natsSkipReason}`)

const spec = parseWorkloadSpec('generate:blocks=30,accounts=200,slots=800,seed=7,reorgs=6')
let server: NatsServer
let url: string
const chain = Blockchain.open(openMemoryStore(), workloadChainSpec(spec))
const stream = natsStreamName(chain.spec.chainId)

describe.skipIf(!natsAvailable)('NATS JetStream sink and source', () => {
  beforeAll(async () => {
    server = await startNatsServer()
    // a stream of this test's own, so that a shared server (NATS_URL) holds no other messages in it
    url = `${server.url}/T${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  })
  afterAll(async () => {
    const nc = await connect({ servers: parseNatsUrl(url).server })
    await (await nc.jetstreamManager()).streams.delete(parseNatsUrl(url).stream!).catch(() => {})
    await nc.close()
    await server?.stop()
  })

  test('every block event in order (reorgs as reverts), headers naming it; a restarted publisher adds nothing', async () => {
    const diffs = createStateDiffStream(chainDiffSource(chain))
    const sink = await openNatsSink({ url, chainId: chain.spec.chainId })
    expect(sink.head()).toBeUndefined()
    const sub = attachNatsSink(diffs, sink)
    for (const _ of generateWorkload(chain, spec)) await sub.caughtUp()
    await sub.caughtUp()
    await Bun.sleep(10)
    expect(sub.acknowledged).toBe(30n)
    const published = sink.published
    expect(sink.lastSequence).toBe(published)
    expect(published).toBeGreaterThan(31) // genesis to 30, plus the reorgs' reverts and recommits
    await sink.close()
    diffs.close()

    const nc = await connect({ servers: parseNatsUrl(url).server })
    const jsm = await nc.jetstreamManager()
    const kinds: string[] = []
    for (let seq = 1; seq <= published; seq++) {
      const m = await jsm.streams.getMessage(parseNatsUrl(url).stream!, { seq })
      const d = decodeBlockEvent(m.header, m.data, seq)
      kinds.push(`${d.direction === 'commit' ? '+' : '-'}${d.number}`)
      expect(m.header.get('Nats-Msg-Id')).toStartWith(`${d.direction}-${d.number}-0x`)
    }
    await nc.close()
    expect(kinds[0]).toBe('+0')
    expect(kinds.filter((k) => k.startsWith('-')).length).toBeGreaterThan(3)
    expect(kinds.at(-1)).toBe('+30')

    // restarted: it reads its head from the stream and has nothing to add
    const again = await openNatsSink({ url, chainId: chain.spec.chainId })
    expect(again.head()).toEqual({ number: 30n, hash: chain.headBlockHash() })
    const diffs2 = createStateDiffStream(chainDiffSource(chain))
    const sub2 = attachNatsSink(diffs2, again)
    await sub2.caughtUp()
    expect(again.published).toBe(0)
    expect(again.lastSequence).toBe(published)
    diffs2.close()
    await again.close()
  })

  test('a second publisher on the same stream is refused, not interleaved', async () => {
    const a = await openNatsSink({ url, chainId: chain.spec.chainId, name: 'a' })
    const b = await openNatsSink({ url, chainId: chain.spec.chainId, name: 'b' })
    const d = createStateDiffStream(chainDiffSource(chain)).diffOf({ number: 30n, hash: chain.headBlockHash() })
    const revert = { ...d, direction: 'revert' as const }
    await a.publish(revert)
    // the same event at the same place is the one message (its id repeats): stored once
    await b.publish(revert)
    expect(b.lastSequence).toBe(a.lastSequence)
    await a.publish(d) // back to the head, for the replicas below
    const err = await b.publish(revert).catch((e) => e) // b has not seen a's commit
    expect(err).toBeInstanceOf(StateDiffError)
    expect(err.message).toContain('moved past sequence')
    await a.close()
    await b.close()
  })

  test('a replica catches up, resumes from its acknowledged sequence, and skips the message a crash left applied', async () => {
    const store = openMemoryStateStore()
    const src = await openNatsSource({ url, consumer: 'r1' })
    expect(src.chainId).toBe(chain.spec.chainId)
    const last = await src.lastSequence()
    let f = await src.feed(store, { until: 10 })
    await f.done
    expect(f.applied).toBe(10)
    expect(await src.acknowledged()).toBe(10)

    // a crash after the store applied and flushed message 11 but before its ack
    const nc = await connect({ servers: parseNatsUrl(url).server })
    const m = await (await nc.jetstreamManager()).streams.getMessage(src.stream, { seq: 11 })
    await nc.close()
    const d11 = decodeBlockEvent(m.header, m.data, 11)
    if (d11.direction === 'commit') store.apply(d11)
    else store.revert(d11)

    f = await src.feed(store, { until: last })
    await f.done
    expect(f.skipped).toBe(1)
    expect(f.applied).toBe(last - 11)
    expect(await src.acknowledged()).toBe(last)
    expect((await store.stats()).transitions).toBe(last) // every message applied once
    const head = await store.head()
    expect(head?.number).toBe(30n)
    expect(bytesToHex(head!.hash)).toBe(bytesToHex(chain.headBlockHash()))
    expect((await compareAll(chain.db, store)).mismatch).toBeUndefined()
    await src.close()
  })

  test('where a store resumes is its own head: a new consumer on a fed store, an emptied store behind an old consumer, a store of another chain', async () => {
    const store = openMemoryStateStore()
    const first = await openNatsSource({ url, consumer: 'r2' })
    const f = await first.feed(store, { until: 12 })
    await f.done
    await first.close()
    // another consumer name on the same store: it starts after message 12, nothing applied twice
    const other = await openNatsSource({ url, consumer: 'r3' })
    expect(await other.resumePoint(await store.head())).toEqual({ after: 12, reason: 'store-head' })
    const last = await other.lastSequence()
    const g = await other.feed(store, { until: last })
    await g.done
    expect(g.resumed).toEqual({ after: 12, reason: 'store-head' })
    expect(g.applied).toBe(last - 12)
    expect((await store.stats()).transitions).toBe(last)
    expect((await compareAll(chain.db, store)).mismatch).toBeUndefined()
    // its own consumer again: at the acknowledged message
    expect(await other.resumePoint(await store.head())).toEqual({ after: last, reason: 'acknowledged' })
    // an empty store behind that consumer replays from the start
    expect(await other.resumePoint(undefined)).toEqual({ after: 0, reason: 'empty-store' })
    // a head no message leads to
    const e = await other.resumePoint({ number: 3n, hash: new Uint8Array(32).fill(9) }).catch((x) => x)
    expect(e).toBeInstanceOf(StateDiffError)
    expect(e.message).toContain("replica r3: the store's head, block 3 0x0909")
    expect(e.details).toContain('give the replica a new, empty store')
    await other.close()
  })

  test('bad addresses and a missing stream are named', async () => {
    expect(() => parseNatsUrl('http://x')).toThrow('not a NATS address')
    expect(() => parseNatsUrl('nats://h:99999')).toThrow('out of range')
    const err = await openNatsSource({ url: `${server.url}/NOPE`, consumer: 'x' }).catch((e) => e)
    expect(err.message).toContain('there is no JetStream stream NOPE')
    const off = await openNatsSink({ url: 'nats://127.0.0.1:1', chainId: 1n }).catch((e) => e)
    expect(off.message).toContain('cannot connect to NATS at 127.0.0.1:1')
  })
})
