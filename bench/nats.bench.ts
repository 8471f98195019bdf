/**
 * The state-diff stream over NATS JetStream: `bun bench/nats.bench.ts [BLOCKS]`.
 *
 * A generated workload chain (BLOCKS blocks, default 200) is built once; then, in the same run,
 * interleaved, best of three each, from a fresh stream on that chain into a fresh memory store:
 * - in-process: a subscription applies each block's diff (the plugin path);
 * - NATS round trip: the sink publishes each block event to JetStream (waiting for its ack), and
 *   a replica's feed consumes them into the store, flushing and acknowledging each message
 *   (`ackAck`) before the next, as `mosaic --profile statesync --source nats://…` does.
 * Blocks/s and diff entries/s of each, and the ratio of the round trip to the in-process stream.
 *
 * The server: one of its own started with scripts/nats-service.sh and stopped after (a stream
 * per chain: another stream of the same chain on a shared server would hold the subject), else
 * NATS_URL's; without either the bench says so and skips.
 */
import { join } from 'node:path'
import { attachNatsSink, chainDiffSource, createStateDiffStream, diffEntries, openMemoryStateStore, openNatsSink, openNatsSource, type BlockDiff, type StateStore } from '../src/statediff/index.ts'
import { generateWorkload, openWorkloadChain, parseWorkloadSpec } from '../src/statediff/workload/index.ts'
import { connect } from 'nats'
import { interleavedBest, report, type Measurement } from './harness.ts'

const SCRIPT = join(import.meta.dir, '../scripts/nats-service.sh')

/** A server of our own (stopped after), else NATS_URL's; undefined when neither is there. */
async function natsServer(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const p = Bun.spawn(['bash', SCRIPT, 'start'], { stdout: 'pipe', stderr: 'pipe' })
  const [out, , code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  const url = /export NATS_URL=(\S+)/.exec(out)?.[1]
  const dir = /\(JetStream\) in (\S+)/.exec(out)?.[1]
  if (code === 0 && url && dir) return { url, stop: async () => void (await Bun.spawn(['bash', SCRIPT, 'stop', dir]).exited) }
  return process.env.NATS_URL ? { url: process.env.NATS_URL, stop: async () => {} } : undefined
}

async function deleteStream(url: string, name: string): Promise<void> {
  const nc = await connect({ servers: url.replace(/^nats:\/\//, '') })
  await (await nc.jetstreamManager()).streams.delete(name).catch(() => {})
  await nc.close()
}

export async function run(blocks = 200): Promise<void> {
  const server = await natsServer()
  if (!server) {
    console.log('\nstate-diff stream over NATS: skipped (no nats-server: set NATS_URL, or install Debian\'s nats-server)')
    return
  }
  try {
    const spec = parseWorkloadSpec(`generate:blocks=${blocks},accounts=${blocks * 30},slots=${blocks * 150},seed=11`)
    const chain = openWorkloadChain(spec)
    for (const _ of generateWorkload(chain, spec));
    const last = Number(chain.head().number)
    const probe = createStateDiffStream(chainDiffSource(chain))
    let entries = 0
    for (let n = 0; n <= last; n++) entries += diffEntries(probe.diffOf({ number: BigInt(n), hash: chain.canonicalHash(BigInt(n))! }))
    probe.close()
    const events = last + 1

    /** The store both paths fill; it must end at the chain's head. */
    const check = async (store: StateStore) => {
      const head = await store.head()
      if (head?.number !== chain.head().number) throw new Error(`the store ended at ${head?.number}, not at the chain's head ${chain.head().number}`)
    }

    const inProcess = async () => {
      const stream = createStateDiffStream(chainDiffSource(chain))
      const store = openMemoryStateStore()
      const sub = stream.subscribe({ onCommit: (d: BlockDiff) => store.apply(d), onRevert: (d: BlockDiff) => store.revert(d) }, { name: 'in-process' })
      await sub.caughtUp()
      stream.close()
      await check(store)
    }

    let round = 0
    const overNats = async () => {
      const name = `BENCH_${process.pid}_${++round}`
      const url = `${server.url}/${name}`
      const sink = await openNatsSink({ url, chainId: chain.spec.chainId })
      const stream = createStateDiffStream(chainDiffSource(chain))
      const store = openMemoryStateStore()
      // the replica feeds while the sink publishes: the round trip is the time to the last message applied
      const publishing = attachNatsSink(stream, sink)
      await new Promise<void>((resolve) => setTimeout(resolve, 0))
      const source = await openNatsSource({ url, consumer: 'bench' })
      const feed = await source.feed(store, { until: events })
      await publishing.caughtUp()
      await feed.done
      stream.close()
      await source.close()
      await sink.close()
      await deleteStream(server.url, name)
      await check(store)
      if (feed.applied !== events) throw new Error(`the replica applied ${feed.applied} messages, not ${events}`)
    }

    const variants = [
      { name: 'in-process stream into a memory store', run: inProcess },
      { name: 'NATS sink -> JetStream -> replica feed (ack each)', run: overNats },
    ]
    const best = await interleavedBest(variants)
    const rows: Measurement[] = variants.map((v, i) => ({ name: v.name, opsPerSec: (events * 1000) / best[i]!, opsPerCall: events }))
    report(`state-diff stream over NATS JetStream (${events} block events, blocks/s)`, rows, rows[0]!)
    const entryRows: Measurement[] = variants.map((v, i) => ({ name: v.name, opsPerSec: (entries * 1000) / best[i]!, opsPerCall: entries }))
    report(`the same in diff entries/s (${entries.toLocaleString('en-US')} entries)`, entryRows, entryRows[0]!)
    console.log(`  NATS round trip / in-process: ${(best[0]! / best[1]!).toFixed(3)}x the throughput (${(best[1]! / best[0]!).toFixed(1)}x the time)`)
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await run(process.argv[2] ? Number(process.argv[2]) : undefined)
