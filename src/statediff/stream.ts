/**
 * The state-diff stream: each subscription follows the canonical chain from its consumer's
 * head, block by block, and delivers notifications with reth ExEx's semantics (./types.ts).
 *
 * A subscription is a cursor (the last block delivered) and a loop: it plans the way from the
 * cursor to the chain's head (revert the cursor while it is not canonical, newest first; then
 * commit the canonical blocks above it, oldest first), builds the diffs from the change sets
 * (recent ones come from the head events, older ones from the chain's stored change sets),
 * delivers them and moves the cursor; with nothing to do it waits for the next head event. So
 * a consumer that keeps up gets one notification per head move, a consumer that was stopped
 * resumes from its own head whatever happened meanwhile (reorgs included), and one that is
 * ahead of the chain (the chain is being replayed) waits until the chain reaches it. Each
 * subscription runs at its own pace; `caughtUp()` lets a caller keep several in step.
 *
 * `acknowledge(height)` is ExEx's `FinishedHeight`: the consumer has durably applied the
 * blocks up to `height`. `retainedFrom()` is the lowest block some consumer may still need; the
 * chain keeps every change set today, so it is what a pruner would have to respect. In memory
 * the stream keeps the newest `cacheBlocks` diffs, and beyond them the diffs above the slowest
 * consumer's acknowledged height, up to `retainBlocks` more (an explicit bound, so that a stuck
 * consumer cannot grow the node's memory); a consumer further behind is served from the stored
 * change sets.
 */
import { bytesToHex, equalBytes } from '../primitives/index.ts'
import { headerHash } from '../types/index.ts'
import { blockDiffOf, invertDiff } from './diff.ts'
import { StateDiffError } from './errors.ts'
import type { DiffSource } from './source.ts'
import type { BlockDiff, BlockRef, Notification } from './types.ts'

type MaybePromise = void | Promise<void>

/** What a consumer implements: any of whole notifications (sinks) and per-block callbacks. */
export interface DiffConsumer {
  /** Each notification, before its per-block callbacks. */
  onNotification?(n: Notification): MaybePromise
  /** A block joined the canonical chain: move the state from its parent's to its own. */
  onCommit?(diff: BlockDiff): MaybePromise
  /** A block left the canonical chain: `diff` is its inverse, from its state back to its parent's. */
  onRevert?(diff: BlockDiff): MaybePromise
}

export interface SubscribeOptions {
  /** Names the consumer in errors. */
  name: string
  /** The consumer's head, the last block it applied; undefined: from the genesis block (its diff creates the genesis state). */
  from?: BlockRef
  /** Most blocks in one committed notification while catching up (default 16). */
  maxBlocks?: number
}

export interface Subscription {
  readonly name: string
  /** The last block delivered (the consumer's state after its callbacks returned). */
  readonly position: BlockRef | undefined
  readonly acknowledged: bigint | undefined
  /** The consumer has durably applied every block up to `height` (ExEx FinishedHeight). */
  acknowledge(height: bigint): void
  /** Resolves once every block up to the chain's head is delivered; rejects with the subscription's failure. */
  caughtUp(): Promise<void>
  /** Settles when the subscription ends: resolves on close, rejects when the consumer fails or cannot be served. */
  readonly done: Promise<void>
  close(): void
}

export interface StateDiffStream {
  subscribe(consumer: DiffConsumer, opts: SubscribeOptions): Subscription
  /** The lowest block some open subscription may still need (its acknowledged height + 1), or undefined without subscriptions. */
  retainedFrom(): bigint | undefined
  /** The commit diff of a stored block. */
  diffOf(ref: BlockRef): BlockDiff
  /** Diffs kept in memory now. */
  retained(): number
  /** Ends every subscription and stops listening to the chain. */
  close(): void
}

export interface StreamOptions {
  /** Commit diffs kept in memory, newest blocks (default 256). */
  cacheBlocks?: number
  /** Diffs kept in memory beyond `cacheBlocks` while some consumer has not acknowledged them (default 4096). */
  retainBlocks?: number
}

const MAX_REVERTS = 1024

export function createStateDiffStream(source: DiffSource, opts: StreamOptions = {}): StateDiffStream {
  const cacheSize = opts.cacheBlocks ?? 256
  const retainSize = opts.retainBlocks ?? 4096
  const cache = new Map<string, BlockDiff>()
  const subs = new Set<ReturnType<typeof openSubscription>>()

  const retainedFrom = (): bigint | undefined => {
    let min: bigint | undefined
    for (const s of subs) {
      const from = s.acknowledged === undefined ? 0n : s.acknowledged + 1n
      if (min === undefined || from < min) min = from
    }
    return min
  }

  const remember = (d: BlockDiff) => {
    const k = bytesToHex(d.hash)
    cache.delete(k)
    cache.set(k, d)
    trim()
  }
  /** Drops the oldest diffs beyond `cacheSize`; one some consumer still needs stays while the bound allows. */
  const trim = () => {
    if (cache.size <= cacheSize) return
    const floor = retainedFrom()
    while (cache.size > cacheSize) {
      const [key, oldest] = cache.entries().next().value!
      if (floor !== undefined && oldest.number >= floor && cache.size <= cacheSize + retainSize) break
      cache.delete(key)
    }
  }

  const diffOf = (ref: BlockRef): BlockDiff => {
    const hit = cache.get(bytesToHex(ref.hash))
    if (hit) return hit
    const header = source.header(ref.hash)
    const changes = header && source.changeSet(ref.number, ref.hash)
    if (!header || !changes)
      throw new StateDiffError('HISTORY_UNAVAILABLE', `the change set of block ${ref.number} ${bytesToHex(ref.hash)} is not stored`, {
        details: 'the chain cannot serve this consumer from its history: rebuild the store from the genesis block or from a snapshot at a block the chain has',
      })
    const d = blockDiffOf({ number: ref.number, hash: ref.hash, parentHash: header.parentHash }, changes, source.code)
    remember(d)
    return d
  }

  const off = source.onHead((e) => {
    if (subs.size === 0) return
    for (const b of e.added) {
      if (!b.changes) continue
      const h = b.block.header
      remember(blockDiffOf({ number: h.number, hash: headerHash(h), parentHash: h.parentHash }, b.changes, source.code))
    }
    for (const s of subs) s.wake()
  })

  /** The next notification from `cursor` towards the head, or undefined when there is none yet. */
  function plan(cursor: BlockRef | undefined, maxBlocks: number): Notification | undefined {
    const head = source.head()
    const old: BlockDiff[] = []
    let at = cursor
    while (at && old.length < MAX_REVERTS) {
      if (at.number <= head.number) {
        const c = source.canonicalHash(at.number)
        if (c && equalBytes(c, at.hash)) break
      }
      const header = source.header(at.hash)
      if (!header) {
        if (at.number > head.number && old.length === 0) return undefined // ahead of the chain: wait for it
        throw new StateDiffError('UNKNOWN_HEAD', `block ${at.number} ${bytesToHex(at.hash)} is not known to the chain`, {
          details: `the chain's block ${at.number} is ${at.number <= head.number ? bytesToHex(source.canonicalHash(at.number)!) : 'not there yet'}: the consumer followed another chain`,
        })
      }
      old.push(invertDiff(diffOf(at)))
      at = { number: at.number - 1n, hash: header.parentHash }
    }
    const next: BlockDiff[] = []
    if (old.length < MAX_REVERTS) {
      for (let n = at ? at.number + 1n : 0n; n <= head.number && next.length < maxBlocks; n++) {
        const hash = source.canonicalHash(n)
        if (!hash) break
        try {
          next.push(diffOf({ number: n, hash }))
        } catch (e) {
          if (next.length > 0) break // deliver what can be served before reporting the block that cannot
          throw e
        }
      }
    }
    if (old.length && next.length) return { kind: 'reorged', old, new: next }
    if (old.length) return { kind: 'reverted', old, new: [] }
    if (next.length) return { kind: 'committed', old: [], new: next }
    return undefined
  }

  function openSubscription(consumer: DiffConsumer, o: SubscribeOptions) {
    const maxBlocks = o.maxBlocks ?? 16
    let position = o.from && { number: o.from.number, hash: o.from.hash }
    let acknowledged: bigint | undefined
    let closed = false
    let failure: unknown
    let idle = false
    let dirty = true
    let wakeLoop: (() => void) | undefined
    let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = []
    let settle!: { resolve: () => void; reject: (e: unknown) => void }
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
    done.catch(() => {}) // observed through caughtUp() or by whoever awaits `done`

    const release = () => {
      const w = waiters
      waiters = []
      for (const x of w) failure ? x.reject(failure) : x.resolve()
    }
    const fail = (e: unknown) => {
      failure = e
      closed = true
      subs.delete(sub)
      release()
      settle.reject(e)
    }
    const call = async (fn: ((x: never) => MaybePromise) | undefined, arg: unknown, what: string, block?: BlockDiff) => {
      if (!fn) return
      try {
        const r = fn.call(consumer, arg as never)
        if (r) await r
      } catch (e) {
        const where = block ? ` at block ${block.number} ${bytesToHex(block.hash)}` : ''
        throw new StateDiffError('CONSUMER_FAILED', `${o.name}: ${what} failed${where}`, { details: e instanceof Error ? e.message : String(e), cause: e })
      }
    }

    const loop = async () => {
      try {
        while (!closed) {
          dirty = false
          const n = plan(position, maxBlocks)
          if (!n) {
            idle = true
            release()
            if (!dirty) await new Promise<void>((resolve) => (wakeLoop = resolve))
            wakeLoop = undefined
            idle = false
            continue
          }
          await call(consumer.onNotification, n, 'onNotification')
          for (const d of n.old) {
            if (closed) return
            await call(consumer.onRevert, d, 'revert', d)
            position = { number: d.number - 1n, hash: d.parentHash }
          }
          for (const d of n.new) {
            if (closed) return
            await call(consumer.onCommit, d, 'commit', d)
            position = { number: d.number, hash: d.hash }
          }
        }
      } catch (e) {
        fail(e)
      }
    }

    const sub = {
      name: o.name,
      get position() {
        return position
      },
      get acknowledged() {
        return acknowledged
      },
      acknowledge(height: bigint) {
        if (position === undefined || height > position.number)
          throw new StateDiffError('BAD_ACK', `${o.name}: acknowledged block ${height}, but it was given blocks up to ${position?.number ?? 'none'}`)
        acknowledged = height
        trim()
      },
      caughtUp(): Promise<void> {
        if (failure) return Promise.reject(failure)
        if (closed || (idle && !dirty)) return Promise.resolve()
        return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
      },
      done,
      close() {
        if (closed) return
        closed = true
        subs.delete(sub)
        release()
        wakeLoop?.()
        settle.resolve()
        trim()
      },
      wake() {
        dirty = true
        wakeLoop?.()
      },
    }
    subs.add(sub)
    void loop()
    return sub
  }

  return {
    subscribe: (consumer, o) => openSubscription(consumer, o),
    retainedFrom,
    diffOf,
    retained: () => cache.size,
    close() {
      for (const s of [...subs]) s.close()
      off()
    },
  }
}
