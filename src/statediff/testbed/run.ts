/**
 * The testbed: one chain, one stream, several stores. The source's blocks go into Mosaic's
 * chain (a block file through `importBlockStream`, or the workload generator building on it);
 * each head move reaches every store through its own subscription, and the testbed waits for
 * all of them after each block (in step), so that every check compares every store with the
 * chain at the same block. Every `verifyEvery` blocks the keys written since the last check,
 * and a random sample of older ones, are read from each store and from Mosaic's state; at the
 * end every entry is. A store that differs, throws or cannot be served is failed with its
 * name, the block and (for a difference) the key and both values; the others go on.
 *
 * Each store's calls run one at a time (a store's apply never overlaps another's), so that what
 * the calling thread uses during a call is that store's: CPU, bytes written and RSS growth are
 * counted per store that way, with its background threads and its server's backend where it has
 * them, and write amplification is its bytes written over the logical bytes of the diffs it
 * applied (the method: ./usage.ts).
 *
 * A store that keeps a commitment (`stateRoot()`) has it compared with the header's every
 * `rootEvery` blocks and at the end. A root that differs is traced to the first bad block: the
 * store is walked back along the canonical chain with the inverse diffs, root by root, until
 * its root is the header's again (at most back to its last good check); the block after that
 * one is the first whose root is wrong. The store is failed then, so moving it back is free.
 *
 * A store resumes from its own head: after a crash the same command replays the source into
 * the chain (or finds it stored, with `--datadir`) and the stream waits until the chain reaches
 * each store's head, or serves it from the stored change sets.
 *
 * Consumer: `mosaic statesync` (src/cli/commands/statesync.ts).
 */
import { importBlockStream, readBlockFile, type Blockchain, type BlockFileWriter } from '../../blockchain/index.ts'
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { diffEntries, entryDelta, invertDiff } from '../diff.ts'
import { createDiffFileSink, type DiffFileSink } from '../file-sink.ts'
import { chainDiffSource } from '../source.ts'
import type { ProcessUsage, StateStore } from '../store.ts'
import { createStateDiffStream, type DiffConsumer, type Subscription } from '../stream.ts'
import type { BlockDiff, BlockRef, NotificationKind } from '../types.ts'
import { generateWorkload, type WorkloadSpec } from '../workload/index.ts'
import { percentiles, StoreMeter, type Percentiles } from './meter.ts'
import { KeySampler } from './sampler.ts'
import { threadsUsage } from '../proc-usage.ts'
import { CallUsage, diffLogicalBytes } from './usage.ts'
import { checkProbe, compareAll, lastWrite, type Mismatch, type Probe } from './verify.ts'

export type ChainSource = { kind: 'file'; paths: string[] } | { kind: 'generate'; spec: WorkloadSpec }

export interface TestbedStore {
  name: string
  store: StateStore
}

export interface TestbedSink {
  name: string
  consumer: DiffConsumer
  from?: BlockRef
}

export interface TestbedOptions {
  chain: Blockchain
  source: ChainSource
  stores: TestbedStore[]
  /** Sampled checks every this many blocks; 0: only the full comparison at the end. */
  verifyEvery?: number
  /** State root checks (stores with `stateRoot()`) every this many blocks; 0: only at the end. */
  rootEvery?: number
  /** Blocks per report window (default 100); stores are flushed at each window's end. */
  window?: number
  /** Also write the stream to this file (./file-sink.ts). */
  diffFile?: string
  /** Other consumers of the stream (the NATS sink), each from its own head; acknowledged once its callbacks returned. A failing sink fails the run. */
  sinks?: TestbedSink[]
  /** Mosaic's chain is on RocksDB too (--datadir): RocksDB's background threads are then shared, not the rocksdb store's. */
  chainOnRocksdb?: boolean
  /** Write the source's blocks here, in order (a generated chain as an RLP file). */
  writeChain?: BlockFileWriter
  onProgress?: (p: TestbedProgress) => void
  shouldStop?: () => boolean
}

export interface TestbedProgress {
  processed: number
  head: bigint
  elapsedMs: number
  accounts: number
  slots: number
  stores: { name: string; applyMs: number; failed: boolean }[]
}

export interface StoreFailure {
  /** The chain's block when it was found. */
  block: BlockRef
  message: string
  mismatch?: Mismatch & { lastWritten?: BlockRef }
}

export interface StoreResult {
  name: string
  kind: string
  failure?: StoreFailure
  meter: StoreMeter
  head?: BlockRef
  stats?: Awaited<ReturnType<StateStore['stats']>>
  reads?: { first: Percentiles; repeat: Percentiles }
  stateRoot?: 'match' | 'differs' | 'none'
  /** State root comparisons made (periodic and final). */
  rootChecks: number
  /** What it cost, measured (./usage.ts). */
  usage?: StoreUsage
}

export interface StoreUsage {
  /** The store's calls on this process's thread. */
  calls: { cpuMs: number; writeBytes: number; wchar: number; rssGrowthBytes: number; count: number }
  /** Its background threads in this process (RocksDB's pool), when they are its alone. */
  background?: { cpuMs: number; writeBytes: number; wchar: number; threads: number }
  /** Its server's backend process (PostgreSQL on this machine). */
  server?: { pid: number; cpuMs: number; writeBytes: number; wchar: number; rssBytes: number }
  cpuMs: number
  writeBytes: number
  /** Logical bytes of the diffs it applied (./usage.ts diffLogicalBytes). */
  logicalBytes: number
  /** writeBytes / logicalBytes. */
  writeAmplification: number | null
}

export interface TestbedResult {
  head: BlockRef
  processed: number
  elapsedMs: number
  interrupted: boolean
  notifications: Record<NotificationKind, number>
  state: { accounts: number; slots: number; logicalBytes: number }
  checks: number
  probes: number
  rssMaxBytes: number
  cpu: { userMs: number; systemMs: number }
  /** RocksDB's background threads when the chain shares them with a rocksdb store. */
  sharedBackground?: { cpuMs: number; writeBytes: number; threads: number }
  stores: StoreResult[]
}

interface Feed extends StoreResult {
  store: StateStore
  sub: Subscription
  calls: CallUsage
  logical: number
  server0?: ProcessUsage
}

const ms = () => performance.now()

/** A store's server usage; a store that failed (its server gone) may not answer, and then nothing is known. */
async function usageOf(store: StateStore): Promise<ProcessUsage | undefined> {
  try {
    return (await store.usage?.()) ?? undefined
  } catch {
    return undefined
  }
}

/** A store's measured cost: its calls, its own background threads if given, its server's backend (the change since it opened). */
async function storeUsage(f: Feed, background: StoreUsage['background']): Promise<StoreUsage> {
  const c = f.calls
  const now = await usageOf(f.store)
  const base = now && f.server0?.pid === now.pid ? f.server0 : undefined
  const server = now && { pid: now.pid, cpuMs: now.cpuMs - (base?.cpuMs ?? 0), writeBytes: now.writeBytes - (base?.writeBytes ?? 0), wchar: now.wchar - (base?.wchar ?? 0), rssBytes: now.rssBytes }
  const cpuMs = c.cpuMs + (background?.cpuMs ?? 0) + (server?.cpuMs ?? 0)
  const writeBytes = c.writeBytes + (background?.writeBytes ?? 0) + (server?.writeBytes ?? 0)
  return {
    calls: { cpuMs: c.cpuMs, writeBytes: c.writeBytes, wchar: c.wchar, rssGrowthBytes: c.rssGrowthBytes, count: c.calls },
    ...(background ? { background } : {}),
    ...(server ? { server } : {}),
    cpuMs,
    writeBytes,
    logicalBytes: f.logical,
    writeAmplification: f.logical > 0 ? writeBytes / f.logical : null,
  }
}
const refOf = (chain: Blockchain): BlockRef => ({ number: chain.head().number, hash: chain.headBlockHash() })
const sameRef = (a: BlockRef | undefined, b: BlockRef) => a !== undefined && a.number === b.number && equalBytes(a.hash, b.hash)

export async function runTestbed(o: TestbedOptions): Promise<TestbedResult> {
  const { chain } = o
  const window = o.window ?? 100
  const start = ms()
  const cpu0 = process.cpuUsage()
  let cpuWindow = process.cpuUsage()
  const stream = createStateDiffStream(chainDiffSource(chain))
  const sampler = new KeySampler()
  const state = { accounts: 0, slots: 0 }
  const notifications: Record<NotificationKind, number> = { committed: 0, reorged: 0, reverted: 0 }
  let rssMax = process.memoryUsage.rss()

  // the sampler follows from genesis: it knows the state's size and which keys were written
  const track = (d: BlockDiff) => {
    sampler.add(d)
    const x = entryDelta(d)
    state.accounts += x.accounts
    state.slots += x.slots
  }
  const tap = stream.subscribe({ onNotification: (n) => void notifications[n.kind]++, onCommit: track, onRevert: track }, { name: 'sampler' })
  let sink: DiffFileSink | undefined
  let sinkSub: Subscription | undefined
  if (o.diffFile) {
    sink = createDiffFileSink(o.diffFile)
    sinkSub = stream.subscribe(sink, { name: `diff file ${o.diffFile}` })
  }
  const sinkSubs = (o.sinks ?? []).map((x) => stream.subscribe(x.consumer, { name: x.name, from: x.from }))

  // one store call at a time, so that what the thread uses during a call is that store's
  let turn: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = turn.then(fn)
    turn = p.catch(() => {})
    return p
  }
  const rocks0 = threadsUsage('rocksdb:')
  const feeds: Feed[] = []
  for (const { name, store } of o.stores) {
    const meter = new StoreMeter()
    const calls = new CallUsage()
    const feed = { name, kind: store.kind, store, meter, rootChecks: 0, calls, logical: 0, server0: await usageOf(store) } as Feed
    const timed = (op: 'apply' | 'revert') => (d: BlockDiff) =>
      exclusive(async () => {
        const t = ms()
        await calls.measure(() => store[op](d))
        meter.applied(ms() - t, diffEntries(d), d.direction)
        feed.logical += diffLogicalBytes(d)
      })
    const from = await store.head()
    feed.sub = stream.subscribe({ onCommit: timed('apply'), onRevert: timed('revert') }, { name, from })
    feeds.push(feed)
  }
  const live = () => feeds.filter((f) => !f.failure)
  const fail = (f: Feed, failure: StoreFailure) => {
    f.failure ??= failure
    f.sub.close()
  }

  /** Waits until every subscription has delivered up to the head; a failed one fails its store. */
  const settle = async () => {
    await tap.caughtUp()
    await sinkSub?.caughtUp()
    for (const s of sinkSubs) {
      await s.caughtUp()
      if (s.position) s.acknowledge(s.position.number)
    }
    for (const f of live()) {
      try {
        await f.sub.caughtUp()
        if (f.sub.position) f.sub.acknowledge(f.sub.position.number)
      } catch (e) {
        fail(f, { block: refOf(chain), message: e instanceof Error ? e.message : String(e) })
      }
    }
  }

  const mismatchFailure = (f: Feed, m: Mismatch, at: BlockRef, when: string): StoreFailure => {
    const written = m.address ? lastWrite(chainDiffSource(chain), at.number, { address: m.address, slot: m.slot }) : undefined
    const where = written ? `block ${written.number} ${bytesToHex(written.hash)} (the key's last write; found ${when} at block ${at.number})` : `block ${at.number} ${bytesToHex(at.hash)} (${when})`
    return { block: at, mismatch: { ...m, lastWritten: written }, message: `${f.name}: wrong state at ${where}: ${m.key}: Mosaic has ${m.expected}, the store has ${m.actual}` }
  }

  let checks = 0
  let probes = 0
  const check = async () => {
    const at = refOf(chain)
    const keys = [...sampler.takeRecent(), ...sampler.random(256)]
    const reference = chain.latestState()
    checks++
    for (const f of live()) {
      if (!sameRef(await f.store.head(), at)) continue // ahead of a chain being replayed
      for (const p of keys) {
        probes++
        const m = await checkProbe(reference, f.store, p)
        if (m) {
          fail(f, mismatchFailure(f, m, at, 'by a sampled check'))
          break
        }
      }
    }
  }

  /** Last block each store's root was right at (the walk back stops there). */
  const rootGood = new Map<Feed, bigint>()
  const rootMatches = async (f: Feed, stateRoot: Uint8Array) => {
    f.rootChecks++
    return equalBytes(await f.store.stateRoot!(), stateRoot)
  }
  /** Compares each store's root at the chain's head; a difference is traced back to the first bad block. */
  const checkRoots = async () => {
    const at = refOf(chain)
    const header = chain.head()
    for (const f of live()) {
      if (!f.store.stateRoot || rootGood.get(f) === at.number || !sameRef(await f.store.head(), at)) continue
      if (await rootMatches(f, header.stateRoot)) {
        f.stateRoot = 'match'
        rootGood.set(f, at.number)
        continue
      }
      f.stateRoot = 'differs'
      const good = rootGood.get(f) ?? -1n
      let bad: BlockRef = at
      let found = false
      // back along the canonical chain: revert `bad`, and compare the root with its parent's header
      while (bad.number > good + 1n && bad.number > 0n) {
        const h = chain.headerByHash(bad.hash)
        if (!h) break
        const r = f.store.revert(invertDiff(stream.diffOf(bad)))
        if (r) await r
        const parent = { number: bad.number - 1n, hash: h.parentHash }
        if (await rootMatches(f, chain.headerByHash(parent.hash)!.stateRoot)) {
          found = true
          break
        }
        bad = parent
      }
      if (!found && bad.number === good + 1n) found = true // the root was right at its last check
      const first = found ? `the first bad block is ${bad.number} ${bytesToHex(bad.hash)} (its root differs, its parent's matches)` : `the first bad block is at or before block ${bad.number}`
      fail(f, { block: bad, message: `${f.name}: its state root differs from the header's at block ${at.number}: ${first}` })
    }
  }

  /** Random reads of keys that exist, timed per store. */
  const existing = (n: number): Probe[] => {
    const reference = chain.latestState()
    return sampler.random(n).filter((p) => (p.slot === undefined ? reference.getFlatAccount(p.address) !== undefined : reference.getStorage(p.address, p.slot) !== 0n))
  }
  const timeReads = async (store: StateStore, keys: Probe[]): Promise<number[]> => {
    const out: number[] = []
    for (const p of keys) {
      const t = ms()
      const r = p.slot === undefined ? store.account(p.address) : store.slot(p.address, p.slot)
      if (r instanceof Promise) await r
      out.push((ms() - t) * 1000)
    }
    return out
  }

  const closeWindow = async () => {
    const keys = existing(256)
    const rss = process.memoryUsage.rss()
    rssMax = Math.max(rssMax, rss)
    const c = process.cpuUsage(cpuWindow)
    cpuWindow = process.cpuUsage()
    for (const f of live()) {
      const t = ms()
      await f.calls.measure(() => f.store.flush())
      f.meter.flushed(ms() - t)
      for (const us of await timeReads(f.store, keys)) f.meter.read(us / 1000)
      const stats = await f.store.stats()
      f.meter.window({ block: Number(chain.head().number), accounts: state.accounts, slots: state.slots, bytesOnDisk: stats.bytesOnDisk, rssBytes: rss, cpuMs: (c.user + c.system) / 1000 })
    }
  }

  let processed = 0
  let interrupted = false
  const step = async () => {
    processed++
    await settle()
    if (o.verifyEvery && processed % o.verifyEvery === 0) await check()
    if (o.rootEvery && processed % o.rootEvery === 0) await checkRoots()
    if (processed % window === 0) await closeWindow()
    o.onProgress?.({
      processed,
      head: chain.head().number,
      elapsedMs: ms() - start,
      accounts: state.accounts,
      slots: state.slots,
      stores: feeds.map((f) => ({ name: f.name, applyMs: f.meter.windowMean(), failed: f.failure !== undefined })),
    })
  }

  try {
    await settle() // stores behind the stored chain catch up first
    if (o.source.kind === 'file') {
      for (const path of o.source.paths) {
        const r = await importBlockStream(chain, readBlockFile(path), { onBlock: step, shouldStop: o.shouldStop })
        if (r.stopped) {
          interrupted = true
          break
        }
      }
    } else {
      let lastTurn = ms()
      for (const b of generateWorkload(chain, o.source.spec)) {
        await o.writeChain?.write(b.rlp)
        await step()
        // a turn of the event loop now and then, so that signals (Ctrl-C) are seen
        if (ms() - lastTurn > 50) {
          await new Promise<void>((resolve) => setImmediate(resolve))
          lastTurn = ms()
        }
        if (o.shouldStop?.()) {
          interrupted = true
          break
        }
      }
    }
    await settle()
    if (processed % window !== 0) await closeWindow()

    // the end: every entry of Mosaic's state read back from every store
    const at = refOf(chain)
    let logicalBytes = 0
    const firstKeys = existing(1000)
    for (const f of live()) {
      const head = await f.store.head()
      if (!sameRef(head, at)) {
        fail(f, { block: at, message: `${f.name}: the store is at ${head ? `block ${head.number} ${bytesToHex(head.hash)}` : 'no block'}, the chain at block ${at.number}` })
        continue
      }
      if (interrupted) continue
      const full = await compareAll(chain.db, f.store)
      logicalBytes = full.logicalBytes
      if (full.mismatch) {
        fail(f, mismatchFailure(f, full.mismatch, at, 'by the full comparison'))
        continue
      }
    }
    if (!interrupted) await checkRoots()
    for (const f of live()) await f.calls.measure(() => f.store.flush())
    const rocks = threadsUsage('rocksdb:')
    const rocksDelta = { cpuMs: rocks.cpuMs - rocks0.cpuMs, writeBytes: rocks.writeBytes - rocks0.writeBytes, wchar: rocks.wchar - rocks0.wchar, threads: rocks.threads }
    const rocksOwners = feeds.filter((f) => f.kind === 'rocksdb')
    const ownBackground = !o.chainOnRocksdb && rocksOwners.length === 1 ? rocksOwners[0] : undefined
    for (const f of feeds) {
      f.head = await f.store.head()
      f.stats = await f.store.stats()
      f.usage = await storeUsage(f, f === ownBackground ? rocksDelta : undefined)
      if (!f.failure) f.reads = { first: percentiles(await timeReads(f.store, firstKeys)), repeat: percentiles(await timeReads(f.store, firstKeys)) }
      f.stateRoot ??= 'none'
    }
    const c = process.cpuUsage(cpu0)
    return {
      head: at,
      processed,
      elapsedMs: ms() - start,
      interrupted,
      notifications,
      state: { ...state, logicalBytes },
      checks,
      probes,
      rssMaxBytes: rssMax,
      cpu: { userMs: c.user / 1000, systemMs: c.system / 1000 },
      ...(rocksOwners.length && !ownBackground ? { sharedBackground: rocksDelta } : {}),
      stores: feeds.map(({ store: _s, sub: _u, calls: _c, logical: _l, server0: _v, ...r }) => r),
    }
  } finally {
    stream.close()
    await sink?.close()
  }
}
