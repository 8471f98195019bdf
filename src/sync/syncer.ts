/**
 * The syncer: one loop that takes the latest target and brings the chain to it.
 *
 * 1. Headers (headers.ts): backwards from the target until a header's parent is a stored block
 *    (the link) or the stored headers of the previous target; the batch below the stored ones by
 *    hash, the ones below it by number from several peers at once, each stored in the skeleton
 *    (skeleton.ts) once it links to the one above.
 * 2. Bodies and import: forward from the link, `bodiesPerRequest` blocks per request (the first
 *    ones of a run smaller: 16, then doubling, so that import starts after a short round trip),
 *    spread over the peers by throughput (scheduler.ts), at most `aheadBlocks` past the import
 *    point (the pipeline bound: memory stays flat); each body matched to its header (bodies.ts);
 *    blocks imported in order through the BlockImporter as they complete, senders recovered on
 *    background threads 16 blocks per job as the bodies come. New requests go out during an
 *    import run (at each turn given to the event loop, every 50 ms), not only once the blocks
 *    ready run out, so that import never waits a round trip for the next batch.
 * 3. At the target: its safe and finalized blocks are applied (the head moved with each import),
 *    the skeleton cleared, and the next forkchoiceUpdated answers VALID. A block that fails
 *    import (BlockValidationError) abandons the target and is told to `onInvalid` listeners with
 *    its descendants up to the target, so the Engine API answers INVALID for them.
 *
 * A peer that breaks a rule (SyncPeerError) or leaves a request unanswered is dropped with the
 * reason (logged) and its work goes back to the queue; with no peer left, sync waits and says so.
 * A newer target interrupts either phase; the stored headers that still lead to it are kept.
 */
import { ChainError } from '../blockchain/index.ts'
import { BlockValidationError } from '../executor/index.ts'
import { P2pError, type EthPeer, type EthService } from '../p2p/index.ts'
import { bytesToHex, equalBytes, type Hash } from '../primitives/index.ts'
import type { KeyValueStore } from '../storage/index.ts'
import { headerHash, startRecoverSenders, type Block, type BlockBody, type Header, type Transaction } from '../types/index.ts'
import { emptyBodyOf, matchBodies } from './bodies.ts'
import { SyncError, SyncPeerError } from './errors.ts'
import { fetchHeaders, type HeaderPhase } from './headers.ts'
import { createProgressMeter, type SyncProgress } from './progress.ts'
import { createScheduler } from './scheduler.ts'
import { SYNC_LIMITS, type SyncChain, type SyncLimits, type SyncLog, type SyncTargetInput } from './types.ts'
import { openSkeleton, type SkeletonState } from './skeleton.ts'

export interface SyncOptions {
  chain: SyncChain
  eth: Pick<EthService, 'peers' | 'onPeer' | 'penalise'>
  db: KeyValueStore
  limits?: Partial<SyncLimits>
  log?: SyncLog
}

/**
 * A block of a target's chain that failed import (a BlockValidationError), told to the Engine API
 * so that the consensus client learns the chain is invalid (paris.md: INVALID with the last
 * valid ancestor) instead of SYNCING for ever.
 */
export interface InvalidChain {
  /** The block that failed, its number and its parent (imported: the last valid ancestor). */
  hash: Hash
  number: bigint
  parentHash: Hash
  validationError: string
  /**
   * Its downloaded descendants up to the target, ascending, the target last (empty when the
   * target is the bad block); at most `MAX_REPORTED_DESCENDANTS`, the target always among them.
   */
  descendants: Hash[]
}

export interface Syncer {
  /** Makes `t` the target (a newer one replaces the current; a newPayload block only when higher). */
  setTarget(t: SyncTargetInput): void
  /** Tells `listener` of each target chain found invalid (Consumer: the Engine API); returns the unsubscribe. */
  onInvalid(listener: (c: InvalidChain) => void): () => void
  /** eth_syncing's object while a target is being synced, false otherwise. */
  progress(): SyncProgress | false
  /** Starts the loop (resuming a stored target). */
  start(): void
  stop(): Promise<void>
}

class Superseded extends Error {}

/** Invalid targets remembered. */
const MAX_ABANDONED = 64
/**
 * Descendants of a bad block reported at most (the Engine API remembers 512 invalid blocks;
 * geth and reth report only the bad block and the target, descendants are found by their parent).
 */
export const MAX_REPORTED_DESCENDANTS = 256

/** Blocks whose senders one background job recovers (16 ERC-20 transfers each: a few hundred signatures). */
const RECOVERY_BLOCKS = 16
/** Bodies in the first request of a run (the next ones double up to `bodiesPerRequest`). */
const FIRST_BODIES = 16

const turn = () => new Promise<void>((r) => setImmediate(r))
const short = (key: string) => `${key.slice(0, 16)}…`

export function createSyncer(opts: SyncOptions): Syncer {
  const { chain, eth } = opts
  const limits = { ...SYNC_LIMITS, ...opts.limits }
  const log: SyncLog = opts.log ?? (() => {})
  const spec = chain.spec
  const skeleton = openSkeleton(opts.db)
  // header and body throughputs differ by far (items of a few hundred bytes against whole blocks)
  const headerRates = createScheduler({ maxInFlight: 1 })
  const scheduler = createScheduler({ maxInFlight: limits.requestsPerPeer })
  const meter = createProgressMeter()

  let target: SyncTargetInput | undefined
  /** Targets whose chain failed import: the consensus client naming them again starts nothing. */
  const abandoned = new Set<string>()
  const invalidListeners = new Set<(c: InvalidChain) => void>()
  /** Downloaded blocks not imported yet, by number (kept across a target change), and their senders' recovery. */
  const carried = new Map<bigint, Block>()
  const recovering = new Map<bigint, { wait(): void }>()
  /** Recovery jobs not collected yet (each must be, once). */
  const jobs = new Set<{ wait(): void }>()
  const recoverAhead = (txs: Transaction[]) => {
    const job = startRecoverSenders(txs)
    const once = {
      wait() {
        if (jobs.delete(once)) job.wait()
      },
    }
    jobs.add(once)
    return once
  }
  const forgetDownloads = () => {
    carried.clear()
    recovering.clear()
    for (const j of [...jobs]) j.wait()
  }
  let targetNumber: bigint | undefined
  let startingBlock = 0n
  let stopped = false
  /** Rejects at stop, so that no request outlives the syncer. */
  let abortRequests!: () => void
  const stopping = new Promise<never>((_, rej) => (abortRequests = () => rej(new Superseded())))
  stopping.catch(() => {})
  let running: Promise<void> | undefined
  let wakeUp: (() => void) | undefined
  const wake = () => {
    const w = wakeUp
    wakeUp = undefined
    w?.()
  }
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(() => {
        wakeUp = undefined
        r()
      }, ms)
      wakeUp = () => {
        clearTimeout(t)
        r()
      }
    })

  const offPeer = eth.onPeer({
    joined(p) {
      scheduler.add(p.key)
      headerRates.add(p.key)
      wake()
    },
    left(p) {
      scheduler.remove(p.key)
      headerRates.remove(p.key)
      void p.session.closed.then((c) => {
        if (c.error && !c.remote) log('debug', 'Peer session ended', { peer: short(p.key), reason: c.reason, error: c.error.message })
      })
    },
  })

  const peerOf = (key: string): EthPeer | undefined => eth.peers.get(key)

  const drop = (peer: EthPeer, err: SyncPeerError) => {
    log('warn', 'Dropping peer', { peer: short(peer.key), client: peer.session.remoteHello?.clientId ?? '', kind: err.code, reason: err.details ?? err.message })
    scheduler.remove(peer.key)
    headerRates.remove(peer.key)
    eth.penalise(peer, 1_000_000, err.reason)
  }

  /** A request with the syncer's deadline; a late or missing answer is the peer's fault. */
  const request = async <T>(p: Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([
        p,
        stopping,
        new Promise<never>((_, rej) => {
          timer = setTimeout(() => rej(new SyncPeerError('TIMEOUT', `no response within ${limits.requestTimeoutMs} ms`)), limits.requestTimeoutMs)
        }),
      ])
    } catch (e) {
      if (e instanceof P2pError && e.code === 'TIMEOUT') throw new SyncPeerError('TIMEOUT', e.message, { cause: e })
      throw e
    } finally {
      clearTimeout(timer)
    }
  }

  let lastWaitLog = -Infinity
  const waitForPeers = async (what: string) => {
    const now = performance.now()
    if (now - lastWaitLog >= limits.logIntervalMs) {
      lastWaitLog = now
      log('info', eth.peers.size === 0 ? 'Sync waiting for peers' : `Sync waiting for peers that have ${what}`, { peers: eth.peers.size, target: targetNumber })
    }
    await sleep(1000)
  }

  const check = (t: SyncTargetInput) => {
    if (stopped || target !== t) throw new Superseded()
  }

  // --- phase 1: headers ---

  /** Stores headers of `t`'s chain and the state, with `t`'s current safe and finalized blocks (one batch). */
  const save = (t: SyncTargetInput, st: SkeletonState, headers: readonly Header[], drop?: { from: bigint; to: bigint }) =>
    skeleton.extend({ ...st, forkchoice: t.state }, headers, drop)

  const headerPhase: HeaderPhase = {
    chain,
    skeleton,
    limits,
    log,
    rates: headerRates,
    peerOf,
    request,
    drop,
    check,
    sleep,
    wake,
    waitForPeers,
    save,
    aborted: (e) => e instanceof Superseded,
    targetNumber: (n) => (targetNumber = n),
  }

  // --- phase 2: bodies and import ---

  interface Task {
    headers: Header[]
    /** Peers that answered it with nothing. */
    lacking: Set<string>
  }

  async function fetchAndImport(t: SyncTargetInput, st: SkeletonState): Promise<void> {
    // skip what is stored already (a restart after imports)
    let next = st.tail
    while (next <= st.number) {
      const h = skeleton.header(next)
      if (!h || !chain.headerByHash(headerHash(h))) break
      next++
    }
    skeleton.advance(next)
    if (next > st.number) return
    const first = skeleton.header(next)!
    if (!chain.stateReaderAt(first.parentHash))
      throw new SyncError('UNREACHABLE', `the target's chain forks at block ${next - 1n}, whose state is no longer kept`)

    // blocks downloaded for an earlier target that are also this one's (same hash) are kept
    const ready = carried
    for (const [n, b] of ready) {
      const h = n >= next && n <= st.number ? skeleton.header(n) : undefined
      if (!h || !equalBytes(headerHash(h), headerHash(b.header))) ready.delete(n)
    }
    const queue: Task[] = []
    let fetchFrom = next
    let lastLog = performance.now()
    let lastTurn = performance.now()
    let failure: unknown

    const start = next
    const refill = () => {
      while (queue.length < 4 && fetchFrom <= st.number && fetchFrom < next + BigInt(limits.aheadBlocks)) {
        // small requests first (16, 16, 32, 64, …), so that import starts after a short round trip
        const size = Math.min(limits.bodiesPerRequest, Math.max(FIRST_BODIES, Number(fetchFrom - start)))
        const headers: Header[] = []
        while (headers.length < size && fetchFrom <= st.number && fetchFrom < next + BigInt(limits.aheadBlocks)) {
          if (ready.has(fetchFrom)) {
            fetchFrom++
            continue
          }
          const h = skeleton.header(fetchFrom)
          if (!h) throw new SyncError('UNREACHABLE', `stored header ${fetchFrom} is missing`)
          const empty = emptyBodyOf(h)
          if (t.block && fetchFrom === st.number && equalBytes(headerHash(h), t.hash)) ready.set(fetchFrom, t.block)
          else if (empty) ready.set(fetchFrom, { header: h, ...empty })
          else headers.push(h)
          fetchFrom++
        }
        if (headers.length) queue.push({ headers, lacking: new Set() })
      }
    }

    const dispatch = (task: Task, peer: EthPeer) => {
      scheduler.started(peer.key)
      const began = performance.now()
      let delivered = 0
      void (async () => {
        try {
          const r = await request(peer.request({ kind: 'GetBlockBodies', hashes: task.headers.map(headerHash) }))
          if (r.kind !== 'BlockBodies') throw new SyncPeerError('BAD_BODIES', `answered ${r.kind}`)
          const bodies = matchBodies(task.headers, r.bodies)
          const missing: Header[] = []
          // senders recovered a few blocks per job, so that import can start on the first ones
          let txs: Transaction[] = []
          let numbers: bigint[] = []
          const recover = () => {
            const handle = recoverAhead(txs)
            for (const n of numbers) recovering.set(n, handle)
            txs = []
            numbers = []
          }
          bodies.forEach((b: BlockBody | undefined, i) => {
            const h = task.headers[i]!
            if (!b) return missing.push(h)
            delivered++
            ready.set(h.number, { header: h, ...b })
            txs.push(...b.transactions)
            numbers.push(h.number)
            if (numbers.length === RECOVERY_BLOCKS) recover()
          })
          if (numbers.length) recover()
          const last = task.headers[task.headers.length - 1]!.number
          if (delivered === 0 && peer.range && peer.range.latest >= last)
            throw new SyncPeerError('USELESS', `announced blocks up to ${peer.range.latest} but sent none of ${task.headers[0]!.number}..${last}`)
          if (missing.length) {
            const lacking = delivered === 0 ? new Set([...task.lacking, peer.key]) : task.lacking
            queue.unshift({ headers: missing, lacking })
          }
        } catch (e) {
          queue.unshift(task)
          if (e instanceof SyncPeerError) drop(peer, e)
          else if (!(e instanceof P2pError)) failure ??= e
        } finally {
          scheduler.finished(peer.key, delivered, performance.now() - began)
          wake()
        }
      })()
    }

    /** Sends the queued requests to the peers with room. */
    const handOut = () => {
      while (queue.length) {
        const task = queue[0]!
        const pr = scheduler.pick((k) => task.lacking.has(k))
        const peer = pr && peerOf(pr.key)
        if (!peer) {
          // every peer answered it with nothing: ask them again after the wait (they may have caught up)
          if (task.lacking.size > 0 && [...scheduler.peers.keys()].every((k) => task.lacking.has(k))) task.lacking.clear()
          return
        }
        queue.shift()
        dispatch(task, peer)
      }
    }

    for (;;) {
      check(t)
      if (failure) throw failure
      refill()
      handOut()
      // import what is complete, in order
      let imported = false
      while (ready.has(next)) {
        check(t)
        const block = ready.get(next)!
        ready.delete(next)
        const handle = recovering.get(next)
        recovering.delete(next)
        handle?.wait()
        // a late answer to an earlier target's request may sit here: only this chain's block goes in
        const want = skeleton.header(next)!
        if (!equalBytes(headerHash(block.header), headerHash(want))) {
          queue.unshift({ headers: [want], lacking: new Set() })
          break
        }
        importOne(block, st)
        next++
        imported = true
        if (performance.now() - lastTurn >= 50) {
          skeleton.advance(next)
          await turn()
          lastTurn = performance.now()
          check(t)
          // the answers that came in the turn free their peers: the next requests go out now, not
          // when the blocks ready run out (which would stall import for a round trip)
          refill()
          handOut()
        }
      }
      if (imported) skeleton.advance(next)
      if (next > st.number) return
      const now = performance.now()
      if (now - lastLog >= limits.logIntervalMs) {
        lastLog = now
        const r = meter.report(st.number - next + 1n)
        log('info', 'Syncing', { number: next - 1n, target: st.number, 'blocks/s': r.bps, 'Mgas/s': r.mgas, peers: eth.peers.size, left: r.eta })
      }
      if (!imported) {
        const busy = [...scheduler.peers.values()].some((p) => p.inFlight > 0)
        if (queue.length && !busy) await waitForPeers(`block ${queue[0]!.headers[0]!.number}`)
        else await sleep(1000)
      }
    }
  }

  /** The bad block and its stored descendants up to the target, told to the listeners. */
  function reportInvalid(block: Block, err: BlockValidationError, st: SkeletonState) {
    const n = block.header.number
    const descendants: Hash[] = []
    for (let d = n + 1n; d < st.number && descendants.length < MAX_REPORTED_DESCENDANTS - 1; d++) {
      const h = skeleton.header(d)
      if (h) descendants.push(headerHash(h))
    }
    if (st.number > n) descendants.push(st.hash)
    const c: InvalidChain = { hash: headerHash(block.header), number: n, parentHash: block.header.parentHash, validationError: err.details ?? err.message, descendants }
    for (const l of invalidListeners) {
      try {
        l(c)
      } catch (e) {
        log('warn', 'Invalid chain listener failed', { error: e instanceof Error ? e.message : String(e) })
      }
    }
  }

  function importOne(block: Block, st: SkeletonState) {
    try {
      chain.importBlock(block)
    } catch (e) {
      if (e instanceof BlockValidationError) {
        reportInvalid(block, e, st)
        throw new SyncError('INVALID_CHAIN', `block ${block.header.number} ${bytesToHex(headerHash(block.header))} is invalid: ${e.message}`, { cause: e })
      }
      if (e instanceof ChainError && e.kind === 'STATE_UNAVAILABLE') throw new SyncError('UNREACHABLE', e.message, { cause: e })
      throw e
    }
    meter.imported(block.header.gasUsed)
  }

  function finish(t: SyncTargetInput, began: number) {
    const head = chain.head()
    if (t.state) {
      for (const [hash, set] of [
        [t.state.finalizedBlockHash, (h: Hash) => chain.setFinalized(h)],
        [t.state.safeBlockHash, (h: Hash) => chain.setSafe(h)],
      ] as const) {
        if (hash.some((b) => b !== 0) && chain.headerByHash(hash)) {
          try {
            set(hash)
          } catch (e) {
            log('debug', 'Sync could not apply a forkchoice marker', { error: e instanceof Error ? e.message : String(e) })
          }
        }
      }
    }
    log('info', 'Sync complete', { number: head.number, hash: bytesToHex(t.hash), elapsed: `${((performance.now() - began) / 1000).toFixed(1)}s` })
  }

  async function syncTo(t: SyncTargetInput) {
    const began = performance.now()
    if (!chain.headerByHash(t.hash)) {
      log('info', 'Sync started', { target: bytesToHex(t.hash), head: chain.head().number, peers: eth.peers.size })
      const st = await fetchHeaders(headerPhase, t)
      targetNumber = st.number
      await fetchAndImport(t, st)
      if (!equalBytes(chain.headBlockHash(), t.hash)) chain.setHead(t.hash)
      finish(t, began)
    }
    // a target stored already (the consensus client fed it) is left to its forkchoiceUpdated
    skeleton.clear()
    forgetDownloads()
  }

  async function loop() {
    while (!stopped) {
      const t = target
      if (!t) {
        await sleep(60_000)
        continue
      }
      try {
        await syncTo(t)
        if (target === t) {
          target = undefined
          targetNumber = undefined
        }
      } catch (e) {
        if (e instanceof Superseded) continue
        if (e instanceof SyncError) {
          log('error', 'Sync of the target stopped', { target: bytesToHex(t.hash), kind: e.code, reason: e.details ?? e.message })
          if (e.code === 'INVALID_CHAIN') {
            abandoned.add(bytesToHex(t.hash))
            if (abandoned.size > MAX_ABANDONED) abandoned.delete(abandoned.values().next().value!)
          }
          skeleton.clear()
          forgetDownloads()
          if (target === t) {
            target = undefined
            targetNumber = undefined
          }
          continue
        }
        log('error', 'Sync failed, retrying', { error: e instanceof Error ? e.message : String(e) })
        await sleep(1000)
      }
    }
  }

  return {
    setTarget(t) {
      if (stopped || abandoned.has(bytesToHex(t.hash))) return
      if (target && equalBytes(target.hash, t.hash)) {
        if (t.state) {
          target.state = t.state
          // kept with the stored target, so that a restart applies the latest ones
          const st = skeleton.state()
          const same = st?.forkchoice && equalBytes(st.forkchoice.safeBlockHash, t.state.safeBlockHash) && equalBytes(st.forkchoice.finalizedBlockHash, t.state.finalizedBlockHash)
          if (st && equalBytes(st.hash, t.hash) && !same) save(target, st, [])
        }
        return
      }
      // a payload that does not extend past the current target does not replace it (forkchoice does)
      if (target && !t.state && t.block && targetNumber !== undefined && t.block.header.number <= targetNumber) return
      if (!target) startingBlock = chain.head().number
      target = t
      targetNumber = t.block?.header.number
      wake()
    },
    onInvalid(listener) {
      invalidListeners.add(listener)
      return () => void invalidListeners.delete(listener)
    },
    progress() {
      if (!target) return false
      // before the target's first header arrives its number is not known: the head stands in
      const current = chain.head().number
      const highest = targetNumber ?? current
      return { startingBlock, currentBlock: current, highestBlock: highest > current ? highest : current }
    },
    start() {
      const st = skeleton.state()
      if (st && !target) {
        // resume the stored target (with its safe and finalized blocks): its headers are kept, only what is missing is fetched
        target = { hash: st.hash, state: st.forkchoice }
        targetNumber = st.number
        startingBlock = chain.head().number
        log('info', 'Resuming sync', { target: st.number, hash: bytesToHex(st.hash), head: startingBlock })
      }
      running = loop()
    },
    async stop() {
      stopped = true
      offPeer()
      abortRequests()
      wake()
      await running
      forgetDownloads()
    },
  }
}
