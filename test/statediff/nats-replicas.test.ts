/**
 * The NATS JetStream sink and its read replicas as processes, against a real nats-server
 * (NATS_URL, else Debian's nats-server started here on loopback; skipped with a message when
 * neither is there):
 * - `mosaic statesync --source generate:… --sink nats://…` publishes a generated chain with
 *   reorgs (verified against Mosaic's state, into a SQLite store fed directly);
 * - two replicas (`mosaic --profile statesync --source nats://…`, RocksDB and SQLite) started
 *   after the whole chain replay the stream from its start, the reorgs as reverts, and answer
 *   eth_getBalance/eth_getStorageAt for 1,000 random keys as the directly fed store does;
 * - a replica SIGKILLed in the middle resumes from its acknowledged sequence and ends with every
 *   message applied exactly once;
 * - a dev node with --statediff.nats, whose evm_revert is a reorg: the replica follows it back;
 * - a new consumer (another --replica name) on a store another consumer fed resumes after the
 *   store's head, an emptied (memory) store behind an old consumer replays from the start, and a
 *   store another stream fed is refused with what to do;
 * - a nats-server SIGKILLed and restarted under a publishing node and a following replica.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'nats'
import { bytesToHex } from '../../src/primitives/index.ts'
import { decodeBlockEvent, openNatsSource, openRocksStateStore, openSqliteStateStore, parseNatsUrl, type BlockDiff, type StateStore } from '../../src/statediff/index.ts'
import { startChild, type Spawned } from '../child-process.ts'
import { natsAvailable, natsServerBinary, natsSkipReason, startNatsServer, type NatsServer } from '../nats-server.ts'

if (!natsAvailable) console.warn(`skipping the NATS replica tests: ${natsSkipReason}`)

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const dir = mkdtempSync(join(tmpdir(), 'mosaic-nats-replicas-'))
// NATS_BLOCKS sets the chain's length: 200 in make test, 1000 for the full-size case by hand
const BLOCKS = BigInt(process.env.NATS_BLOCKS ?? 200)
const SPEC = `generate:blocks=${BLOCKS},accounts=${Number(BLOCKS) * 8},slots=${Number(BLOCKS) * 30},seed=11,reorgs=40`
let server: NatsServer
let url: string
let streamName: string
const children: Spawned<string>[] = []

async function rpc(endpoint: string, calls: [string, unknown[]][]): Promise<any[]> {
  const r = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params }))) })
  const out = (await r.json()) as { id: number; result?: unknown; error?: { code: number; message: string } }[]
  return out.sort((a, b) => a.id - b.id)
}

async function replica(name: string, store: string, source = url): Promise<{ child: Spawned<'http'>; endpoint: string }> {
  const child = await startChild([MOSAIC, '--profile', 'statesync', '--source', source, '--store', store, '--replica', name, '--http.port', '0'], { ready: { http: /endpoint=(http:\/\/127\.0\.0\.1:\d+)/ }, timeoutMs: 30_000, name })
  children.push(child)
  return { child, endpoint: child.match.http[1]! }
}

async function waitForHead(endpoint: string, number: bigint, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  for (;;) {
    const [r] = await rpc(endpoint, [['eth_blockNumber', []]]).catch(() => [{}])
    if (r?.result !== undefined && BigInt(r.result) === number) return
    if (Date.now() > end) throw new Error(`${endpoint} did not reach block ${number} (last answer ${JSON.stringify(r)})`)
    await Bun.sleep(50)
  }
}

/** A dev node publishing to `sink`, its endpoint, two of its accounts and a transfer between them (a block each). */
async function devNode(sink: string) {
  const node = await startChild([MOSAIC, '--execution-only', '--dev.memory', '--http.port', '0', '--statediff.nats', sink], { ready: { http: /endpoint=(http:\/\/127\.0\.0\.1:\d+)/, nats: /Publishing state diffs/ }, timeoutMs: 30_000, name: 'dev' })
  children.push(node)
  const ep = node.match.http[1]!
  const [accounts] = await rpc(ep, [['eth_accounts', []]])
  const [from, to] = accounts.result as string[]
  const send = (value: string) => rpc(ep, [['eth_sendTransaction', [{ from, to, value }]]])
  return { node, ep, from: from!, to: to!, send }
}

/** Every message of the stream, decoded. */
async function streamEvents(): Promise<BlockDiff[]> {
  const nc = await connect({ servers: parseNatsUrl(url).server })
  const jsm = await nc.jetstreamManager()
  const last = (await jsm.streams.info(streamName)).state.last_seq
  const out: BlockDiff[] = []
  for (let seq = 1; seq <= last; seq++) {
    const m = await jsm.streams.getMessage(streamName, { seq })
    out.push(decodeBlockEvent(m.header, m.data, seq))
  }
  await nc.close()
  return out
}

async function ackFloor(consumer: string): Promise<number> {
  const nc = await connect({ servers: parseNatsUrl(url).server })
  try {
    return (await (await nc.jetstreamManager()).consumers.info(streamName, consumer)).ack_floor.stream_seq
  } catch {
    return 0
  } finally {
    await nc.close()
  }
}

/** 1,000 random keys the chain wrote: accounts and slots, seeded. */
function randomKeys(events: BlockDiff[]): { accounts: string[]; slots: [string, string][] } {
  const accounts = new Set<string>()
  const slots = new Map<string, [string, string]>()
  for (const d of events)
    for (const a of d.accounts) {
      const addr = bytesToHex(a.address)
      accounts.add(addr)
      for (const [s] of a.slots) slots.set(`${addr}:${s}`, [addr, `0x${s.toString(16)}`])
    }
  let x = 0x9e3779b9
  const pick = <T>(xs: T[], n: number) => Array.from({ length: n }, () => xs[(x = (x * 1103515245 + 12345) >>> 0) % xs.length]!)
  return { accounts: pick([...accounts], 500), slots: pick([...slots.values()], 500) }
}

const answers = (endpoint: string, keys: ReturnType<typeof randomKeys>) =>
  rpc(endpoint, [...keys.accounts.map((a): [string, unknown[]] => ['eth_getBalance', [a, 'latest']]), ...keys.slots.map(([a, s]): [string, unknown[]] => ['eth_getStorageAt', [a, s, 'latest']])])

async function storeAnswers(store: StateStore, keys: ReturnType<typeof randomKeys>): Promise<string[]> {
  const out: string[] = []
  for (const a of keys.accounts) out.push(`0x${((await store.account(Buffer.from(a.slice(2), 'hex')))?.balance ?? 0n).toString(16)}`)
  for (const [a, s] of keys.slots) out.push(`0x${(await store.slot(Buffer.from(a.slice(2), 'hex'), BigInt(s))).toString(16).padStart(64, '0')}`)
  return out
}

describe.skipIf(!natsAvailable)('NATS JetStream sink and statesync replicas (processes)', () => {
  let events: BlockDiff[]
  let reference: string[]
  let keys: ReturnType<typeof randomKeys>

  beforeAll(async () => {
    server = await startNatsServer()
    streamName = `R${process.pid}_${Date.now().toString(36)}`
    url = `${server.url}/${streamName}`
  })
  afterAll(async () => {
    for (const c of children) await c.stop('SIGKILL').catch(() => {})
    const nc = await connect({ servers: parseNatsUrl(server.url).server }).catch(() => undefined)
    if (nc) {
      const jsm = await nc.jetstreamManager()
      for (const s of [streamName, `${streamName}_dev`]) await jsm.streams.delete(s).catch(() => {})
      await nc.close()
    }
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('the testbed publishes every block event; a rerun publishes nothing twice', async () => {
    const run = (extra: string[] = []) => {
      const p = Bun.spawnSync([MOSAIC, 'statesync', '--source', SPEC, '--store', 'sqlite', '--stores-dir', join(dir, 'direct'), '--sink', url, '--verify', 'every:50', ...extra], { stdout: 'pipe', stderr: 'pipe' })
      return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
    }
    const r = run()
    expect(r.err).not.toContain('mosaic statesync:')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`statesync: pass: block ${BLOCKS}`)
    const published = Number(/nats \S+: ([\d,]+) messages published/.exec(r.out)![1]!.replace(/,/g, ''))
    events = await streamEvents()
    expect(events.length).toBe(published)
    expect(events.filter((d) => d.direction === 'revert').length).toBeGreaterThan(4) // the reorgs, as reverts
    expect(events.filter((d) => d.direction === 'commit').length - events.filter((d) => d.direction === 'revert').length).toBe(Number(BLOCKS) + 1)
    // the same chain again (the same seed): the sink resumes after the stream's last message
    const again = run()
    expect(again.code).toBe(0)
    expect(again.out).toMatch(/nats \S+: 0 messages published/)
    expect((await streamEvents()).length).toBe(published)

    keys = randomKeys(events)
    const direct = await openSqliteStateStore({ dir: join(dir, 'direct', 'sqlite') })
    reference = await storeAnswers(direct, keys)
    await direct.close()
  }, 180_000)

  test('two replicas started after the whole chain replay it from the start and answer 1,000 random keys as the directly fed store', async () => {
    const a = await replica('a', `rocksdb:${join(dir, 'a')}`)
    const b = await replica('b', `sqlite:${join(dir, 'b')}`)
    await waitForHead(a.endpoint, BLOCKS)
    await waitForHead(b.endpoint, BLOCKS)
    for (const r of [a, b]) {
      const got = await answers(r.endpoint, keys)
      expect(got.every((x) => x.error === undefined)).toBe(true)
      expect(got.map((x) => x.result)).toEqual(reference)
      expect(got.filter((x, i) => i < 500 && x.result !== '0x0').length).toBeGreaterThan(100) // real balances, not all zero
      const [chainId, old] = await rpc(r.endpoint, [['eth_chainId', []], ['eth_getBalance', [keys.accounts[0], '0x1']]])
      expect(BigInt(chainId.result)).toBeGreaterThan(0n)
      expect(old.error.code).toBe(-32000)
      expect(old.error.message).toContain('serves only its head')
    }
    await a.child.stop()
    await b.child.stop()
    // each store holds every message once: commits and the reorgs' reverts
    const ra = await openRocksStateStore({ dir: join(dir, 'a') })
    expect((await ra.stats()).transitions).toBe(events.length)
    await ra.close()
  }, 120_000)

  test('a replica SIGKILLed mid-stream resumes from its acknowledged sequence: nothing missing, nothing applied twice', async () => {
    const store = `sqlite:${join(dir, 'c')}`
    const first = await replica('c', store)
    let floor = 0
    for (const end = Date.now() + 30_000; floor < 40 && Date.now() < end; ) floor = await ackFloor('c')
    first.child.proc.kill('SIGKILL')
    await first.child.proc.exited
    floor = await ackFloor('c')
    expect(floor).toBeGreaterThanOrEqual(40)
    expect(floor).toBeLessThan(events.length) // killed in the middle
    const second = await replica('c', store)
    expect(second.child.startLog).toContain(`acknowledged=${floor}`)
    await waitForHead(second.endpoint, BLOCKS)
    expect((await answers(second.endpoint, keys)).map((x) => x.result)).toEqual(reference)
    await second.child.stop()
    expect(await ackFloor('c')).toBe(events.length)
    const s = await openSqliteStateStore({ dir: join(dir, 'c') })
    expect((await s.stats()).transitions).toBe(events.length)
    await s.close()
  }, 120_000)

  test('a dev node with --statediff.nats: blocks and an evm_revert (a reorg) reach the replica, which answers as the node', async () => {
    const devUrl = `${server.url}/${streamName}_dev`
    const { node, ep, from, to, send } = await devNode(devUrl)
    await send('0x1000')
    const [snap] = await rpc(ep, [['evm_snapshot', []]])
    await send('0x2000')
    await send('0x3000')
    const r = await replica('dev', `memory`, devUrl)
    await waitForHead(r.endpoint, 3n)
    const [rev] = await rpc(ep, [['evm_revert', [snap.result]]])
    expect(rev.result).toBe(true)
    await send('0x4000') // block 2 again, another one
    await waitForHead(r.endpoint, 2n)
    const probe = (e: string) => rpc(e, [['eth_getBalance', [from, 'latest']], ['eth_getBalance', [to, 'latest']], ['eth_getTransactionCount', [from, 'latest']], ['eth_blockNumber', []]])
    for (let i = 0; i < 100; i++) {
      const [n, x] = await Promise.all([probe(ep), probe(r.endpoint)])
      if (JSON.stringify(n.map((v) => v.result)) === JSON.stringify(x.map((v) => v.result))) break
      await Bun.sleep(50)
    }
    expect((await probe(r.endpoint)).map((v) => v.result)).toEqual((await probe(ep)).map((v) => v.result))
    const kinds = (await (async () => {
      const nc = await connect({ servers: parseNatsUrl(server.url).server })
      const jsm = await nc.jetstreamManager()
      const last = (await jsm.streams.info(`${streamName}_dev`)).state.last_seq
      const out: string[] = []
      for (let seq = 1; seq <= last; seq++) out.push((await jsm.streams.getMessage(`${streamName}_dev`, { seq })).header.get('Mosaic-Kind'))
      await nc.close()
      return out
    })())
    expect(kinds).toEqual(['commit', 'commit', 'commit', 'commit', 'revert', 'revert', 'commit'])
    await r.child.stop()
    await node.stop()
  }, 120_000)

  test('a new consumer on an old store resumes from the store\'s own head; an emptied store replays from the start; a store of another stream is refused', async () => {
    // a store fed the first 60 messages by another consumer
    const storeDir = join(dir, 'old')
    const seed = await openNatsSource({ url, consumer: 'seed' })
    const old = await openSqliteStateStore({ dir: storeDir })
    const first = await seed.feed(old, { until: 60 })
    await first.done
    expect(first.applied).toBe(60)
    await old.close()
    await seed.close()
    const fresh = await replica('fresh', `sqlite:${storeDir}`)
    expect(fresh.child.startLog).toMatch(/Replica following.*consumer=fresh .*head=\d+ acknowledged=0 resumeAfter=60 from=store-head/)
    await waitForHead(fresh.endpoint, BLOCKS)
    expect((await answers(fresh.endpoint, keys)).map((x) => x.result)).toEqual(reference)
    await fresh.child.stop()
    expect(fresh.child.log()).not.toContain('OUT_OF_ORDER')
    const s = await openSqliteStateStore({ dir: storeDir })
    expect((await s.stats()).transitions).toBe(events.length) // 60 by the first consumer, the rest once by the new one
    await s.close()

    // a memory store restarted behind its consumer's acknowledged sequence: it replays the stream
    for (const round of [1, 2]) {
      const m = await replica('mem', 'memory')
      expect(m.child.startLog).toMatch(round === 1 ? /acknowledged=0 resumeAfter=0 from=empty-store/ : new RegExp(`acknowledged=${events.length} resumeAfter=0 from=empty-store`))
      await waitForHead(m.endpoint, BLOCKS)
      await m.child.stop()
    }

    // a store that another stream fed: no message leads to its head, and the replica says what to do
    const other = Bun.spawnSync([MOSAIC, '--profile', 'statesync', '--source', `${server.url}/${streamName}_dev`, '--store', `sqlite:${storeDir}`, '--replica', 'wrong', '--http.port', '0'], { stdout: 'pipe', stderr: 'pipe' })
    expect(other.exitCode).toBe(1)
    expect(other.stderr.toString()).toMatch(/replica wrong: the store's head, block \d+ 0x[0-9a-f]{64}, is not in the stream \S+_dev/)
    expect(other.stderr.toString()).toContain('give the replica a new, empty store')
  }, 120_000)

  test('bad input: a sink that is not NATS, an unreachable server, a missing stream, an unknown store — each one line, non-zero exit', async () => {
    const cmd = (args: string[]) => {
      const p = Bun.spawnSync([MOSAIC, ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, HOME: dir } })
      return { code: p.exitCode, err: p.stderr.toString() }
    }
    const notNats = cmd(['statesync', '--source', 'generate:blocks=2', '--store', 'memory', '--sink', 'http://127.0.0.1:1'])
    expect(notNats.code).toBe(2)
    expect(notNats.err).toContain('a sink is nats://HOST:PORT[/STREAM]')
    const sinkDown = cmd(['statesync', '--source', 'generate:blocks=2', '--store', 'memory', '--sink', 'nats://127.0.0.1:1'])
    expect(sinkDown.code).toBe(1)
    expect(sinkDown.err).toContain('cannot connect to NATS at 127.0.0.1:1')
    const sourceDown = cmd(['statesync', '--source', 'nats://127.0.0.1:1', '--store', 'memory'])
    expect(sourceDown.code).toBe(1)
    expect(sourceDown.err).toContain('cannot connect to NATS at 127.0.0.1:1')
    const replicaDown = cmd(['--profile', 'statesync', '--source', 'nats://127.0.0.1:1', '--store', 'memory', '--http.port', '0'])
    expect(replicaDown.code).toBe(1)
    expect(replicaDown.err.trim().split('\n').at(-1)).toContain('cannot connect to NATS at 127.0.0.1:1')
    const noStream = cmd(['--profile', 'statesync', '--source', `${server.url}/NOPE`, '--store', 'memory', '--http.port', '0'])
    expect(noStream.code).toBe(1)
    expect(noStream.err).toContain('there is no JetStream stream NOPE')
    const badStore = cmd(['--profile', 'statesync', '--source', url, '--store', 'bogus', '--http.port', '0'])
    expect(badStore.code).toBe(1)
    expect(badStore.err).toContain('unknown store "bogus"')
    // a block file is the follower's source, not a replica's: that mode asks for its stores
    const notASource = cmd(['--profile', 'statesync', '--source', 'chain.rlp', '--http.port', '0'])
    expect(notASource.code).toBe(1)
    expect(notASource.err).toContain('the statesync profile needs a --store')
    const twoStores = cmd(['--profile', 'statesync', '--source', url, '--store', 'memory', '--store', 'sqlite', '--http.port', '0'])
    expect(twoStores.code).toBe(1)
    expect(twoStores.err).toContain('a replica keeps one --store')
  }, 60_000)
})

describe.skipIf(!natsServerBinary)('NATS server restart (a server of our own)', () => {
  test('the node and a following replica ride out a SIGKILLed and restarted nats-server: no block lost or published twice', async () => {
    const own = await startNatsServer({ own: true })
    try {
      const { node, ep, from, to, send } = await devNode(own.url)
      await send('0x10')
      const r = await replica('restart', 'memory', own.url)
      await waitForHead(r.endpoint, 1n)
      await own.restart!()
      await send('0x20')
      await send('0x30')
      await waitForHead(r.endpoint, 3n, 60_000)
      const probe = (e: string) => rpc(e, [['eth_getBalance', [from, 'latest']], ['eth_getBalance', [to, 'latest']], ['eth_getTransactionCount', [from, 'latest']]])
      expect((await probe(r.endpoint)).map((v) => v.result)).toEqual((await probe(ep)).map((v) => v.result))
      const nc = await connect({ servers: parseNatsUrl(own.url).server })
      const info = await (await nc.jetstreamManager()).streams.info('MOSAIC_31337')
      await nc.close()
      expect(info.state.last_seq).toBe(4) // blocks 0 to 3, each once
      await r.child.stop()
      await node.stop()
    } finally {
      await own.stop()
    }
  }, 120_000)
})
