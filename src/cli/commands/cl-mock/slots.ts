/**
 * cl-mock's own slots: what a beacon node whose validators propose every block asks of its
 * execution client. Each slot, from the current head:
 *
 * 1. engine_forkchoiceUpdatedVn(head, attributes): timestamp, prevRandao, suggestedFeeRecipient,
 *    withdrawals from Shanghai (`--withdrawals`: four synthetic ones with consecutive indices,
 *    else none), parentBeaconBlockRoot from Cancun
 * 2. engine_getPayloadVn(payloadId), checked (payload-check.ts)
 * 3. engine_newPayloadVn(payload, the blob transactions' versioned hashes, the beacon root,
 *    from Prague the executionRequests): must be VALID
 * 4. engine_forkchoiceUpdatedVn to the new head, safe and finalized trailing (chain-view.ts)
 *
 * Versions by fork (forks.ts). Timestamps: with a slot time of a second or more, the first
 * multiple of it past the parent's timestamp that is not behind the wall clock, and the slot
 * waits for that moment; below a second (0: as fast as possible) they step by one second and
 * slots come every `slotTime` of wall-clock time.
 */
import { keccak256 } from '../../../crypto/index.ts'
import { EngineCallError, EngineMethodNotFoundError, InvalidPayloadAttributesError, UnsupportedForkError, type EngineFork } from '../../../engine/index.ts'
import type { Logger } from '../../../node/index.ts'
import { bigintToHex, bytesToHex, concatBytes, hexToBytes, utf8ToBytes, type Hex } from '../../../primitives/index.ts'
import { blockSummary, call, createTrail, type BlockSummary, type Peer, type Trail } from './chain-view.ts'
import { callFailure, ClMockError } from './errors.ts'
import { versionsOf, type ForkSchedule, type ForkVersions } from './forks.ts'
import { checkGetPayload, type CheckedPayload } from './payload-check.ts'

export interface SlotOptions {
  /** Seconds per slot; 0 is as fast as possible. */
  slotTime: number
  /** Stop after this many blocks (default: until stopped). */
  blocks?: number
  withdrawals: boolean
  blobs: boolean
  feeRecipient: Hex
}

/** How a loop waits and stops (signals wake `sleep` early). */
export interface RunControl {
  stopped(): boolean
  sleep(ms: number): Promise<void>
  now(): number
  log: Logger
}

/** Withdrawals per block with `--withdrawals`. */
export const WITHDRAWALS_PER_BLOCK = 4

/** The next slot's timestamp and how long to wait for it (see the header). */
export function nextSlot(parentTimestamp: bigint, slotTime: number, nowMs: number, lastSlotMs: number): { timestamp: bigint; waitMs: number } {
  if (slotTime < 1) return { timestamp: parentTimestamp + 1n, waitMs: Math.max(0, lastSlotMs + slotTime * 1000 - nowMs) }
  const step = BigInt(Math.floor(slotTime))
  const now = BigInt(Math.floor(nowMs / 1000))
  let timestamp = parentTimestamp + step
  if (timestamp < now) timestamp += ((now - timestamp + step - 1n) / step) * step
  // a parent ahead of the clock (a run at slot time 0 before): wait one slot, not until then
  const waitMs = Math.min(Math.max(0, Number(timestamp) * 1000 - nowMs), slotTime * 1000)
  return { timestamp, waitMs }
}

const WORD = (tag: string, parent: Hex) => bytesToHex(keccak256(concatBytes(hexToBytes(parent), utf8ToBytes(tag))))

function attributesOf(v: ForkVersions, parent: BlockSummary, timestamp: bigint, opts: SlotOptions, nextIndex: bigint): Record<string, unknown> {
  const a: Record<string, unknown> = { timestamp: bigintToHex(timestamp), prevRandao: WORD('prevRandao', parent.hash), suggestedFeeRecipient: opts.feeRecipient }
  if (v.attributes >= 2) {
    a.withdrawals = !opts.withdrawals
      ? []
      : Array.from({ length: WITHDRAWALS_PER_BLOCK }, (_, i) => ({
          index: bigintToHex(nextIndex + BigInt(i)),
          validatorIndex: bigintToHex(BigInt(i)),
          address: `0x${'00'.repeat(19)}${(0xc0 + i).toString(16)}`,
          // in Gwei
          amount: bigintToHex(1_000_000n * BigInt(i + 1)),
        }))
  }
  if (v.attributes >= 3) a.parentBeaconBlockRoot = WORD('parentBeaconBlockRoot', parent.hash)
  return a
}

/**
 * Whether an error is the target saying "another version" (forks.ts): -38005, -38003 from
 * forkchoiceUpdatedV2, or -32601 for a method version it does not serve at all (a client that
 * has not implemented that fork, such as @ethereumjs/client without Prague's getPayloadV4 or
 * Osaka's getPayloadV5: the spec's -38005 is for a version it has but not at that timestamp).
 */
export function wrongVersion(err: unknown, forkchoice?: number): boolean {
  if (!(err instanceof EngineCallError)) return false
  return err.rpcCode === UnsupportedForkError.code || err.rpcCode === EngineMethodNotFoundError.code || (err.rpcCode === InvalidPayloadAttributesError.code && forkchoice === 2)
}

interface Built {
  versions: ForkVersions
  attributes: Record<string, unknown>
  checked: CheckedPayload
}

/** Steps 1–2, trying forks in the schedule's order until the target accepts one. */
async function build(engine: Peer, schedule: ForkSchedule, parent: BlockSummary, timestamp: bigint, opts: SlotOptions, nextIndex: bigint): Promise<Built> {
  const forks = schedule.candidatesAt(timestamp)
  const tried = new Set<string>()
  let lastErr: unknown
  for (const fork of forks) {
    const v = versionsOf(fork)
    const key = `${v.forkchoice}/${v.attributes}`
    if (tried.has(key)) continue
    tried.add(key)
    const attributes = attributesOf(v, parent, timestamp, opts, nextIndex)
    let id: Hex
    try {
      const r = await engine.client.call<{ payloadStatus?: { status?: unknown }; payloadId?: unknown }>(`engine_forkchoiceUpdatedV${v.forkchoice}`, [fcHead(parent.hash), attributes])
      if (r?.payloadStatus?.status !== 'VALID') throw new ClMockError(`engine_forkchoiceUpdatedV${v.forkchoice} on the head ${parent.hash} answered ${JSON.stringify(r?.payloadStatus ?? r)}: the engine does not hold its own head as valid`)
      if (typeof r.payloadId !== 'string') throw new ClMockError(`engine_forkchoiceUpdatedV${v.forkchoice} with payload attributes answered no payloadId`)
      id = r.payloadId as Hex
    } catch (err) {
      if (!schedule.known && wrongVersion(err, v.forkchoice)) {
        lastErr = err
        continue
      }
      throw callFailure(err, engine.endpoint)
    }
    return { attributes, ...(await fetchPayload(engine, schedule, forks, v, id, opts)) }
  }
  throw new ClMockError(`the engine refused every forkchoiceUpdated version for timestamp ${timestamp}; give its fork schedule with --chain`, lastErr)
}

/** Step 2: getPayload in the versions of the forks that share `v`'s attributes. */
async function fetchPayload(engine: Peer, schedule: ForkSchedule, forks: readonly EngineFork[], v: ForkVersions, id: Hex, opts: SlotOptions): Promise<Omit<Built, 'attributes'>> {
  const tried = new Set<number>()
  for (const fork of forks) {
    const w = versionsOf(fork)
    if (w.forkchoice !== v.forkchoice || w.attributes !== v.attributes || tried.has(w.getPayload)) continue
    tried.add(w.getPayload)
    let answer: unknown
    try {
      answer = await engine.client.call(`engine_getPayloadV${w.getPayload}`, [id])
    } catch (err) {
      if (!schedule.known && wrongVersion(err)) continue
      throw callFailure(err, engine.endpoint)
    }
    schedule.learn(fork)
    return { versions: w, checked: checkGetPayload(w.getPayload, w.attributes, answer, opts) }
  }
  throw new ClMockError(`the engine refused every getPayload version for payload ${id}; give its fork schedule with --chain`)
}

const ZERO = `0x${'00'.repeat(32)}` as Hex
const fcHead = (head: Hex) => ({ headBlockHash: head, safeBlockHash: ZERO, finalizedBlockHash: ZERO })

/** The newPayloadVn parameters of a payload (cancun.md, prague.md). */
export function newPayloadParams(version: 1 | 2 | 3 | 4, json: unknown, versionedHashes: readonly Uint8Array[], beaconRoot?: Hex, requests?: readonly Hex[]): unknown[] {
  const out: unknown[] = [json]
  if (version >= 3) out.push(versionedHashes.map(bytesToHex), beaconRoot)
  if (version >= 4) out.push(requests ?? [])
  return out
}

/** Steps 3–4 for a payload: VALID or the run fails; the head moves with the trail's safe and finalized. */
export async function importPayload(engine: Peer, trail: Trail, p: { newPayload: 1 | 2 | 3 | 4; forkchoice: 1 | 2 | 3; params: unknown[]; number: bigint; hash: Hex }): Promise<void> {
  const status = await call<{ status?: unknown; validationError?: unknown }>(engine, `engine_newPayloadV${p.newPayload}`, p.params)
  if (status?.status !== 'VALID')
    throw new ClMockError(`engine_newPayloadV${p.newPayload} answered ${String(status?.status)} for block ${p.number} ${p.hash}${status?.validationError ? `: ${String(status.validationError)}` : ''}`)
  trail.record(p.number, p.hash)
  const fc = await call<{ payloadStatus?: { status?: unknown } }>(engine, `engine_forkchoiceUpdatedV${p.forkchoice}`, [await trail.state(p.number, p.hash), null])
  if (fc?.payloadStatus?.status !== 'VALID') throw new ClMockError(`engine_forkchoiceUpdatedV${p.forkchoice} to block ${p.number} ${p.hash} answered ${JSON.stringify(fc?.payloadStatus ?? fc)}`)
}

/** A trail over the engine's canonical blocks. */
export function engineTrail(engine: Peer): Trail {
  return createTrail(async (n) => (await blockSummary(engine, n))?.hash)
}

/** Runs slots until `opts.blocks` are made or the run is stopped; returns the number made. */
export async function runSlots(engine: Peer, schedule: ForkSchedule, opts: SlotOptions, ctl: RunControl): Promise<number> {
  let head = await blockSummary(engine, 'latest')
  if (!head) throw new ClMockError('the engine has no latest block')
  const trail = engineTrail(engine)
  trail.record(head.number, head.hash)
  let nextIndex = head.nextWithdrawalIndex
  let made = 0
  let lastSlot = ctl.now()
  ctl.log.info('Driving the engine', { endpoint: engine.endpoint.url, head: head.number, hash: head.hash, slotTime: opts.slotTime, schedule: schedule.known ? 'genesis' : 'probed' })
  while (!ctl.stopped() && (opts.blocks === undefined || made < opts.blocks)) {
    const { timestamp, waitMs } = nextSlot(head.timestamp, opts.slotTime, ctl.now(), lastSlot)
    if (waitMs > 0) await ctl.sleep(waitMs)
    if (ctl.stopped()) break
    const started = ctl.now()
    lastSlot = started
    const b = await build(engine, schedule, head, timestamp, opts, nextIndex)
    const p = b.checked.payload
    const hash = bytesToHex(p.blockHash)
    const beacon = b.attributes.parentBeaconBlockRoot as Hex | undefined
    await importPayload(engine, trail, {
      newPayload: b.versions.newPayload,
      forkchoice: b.versions.forkchoice,
      params: newPayloadParams(b.versions.newPayload, b.checked.json, b.checked.versionedHashes, beacon, b.checked.executionRequests),
      number: p.blockNumber,
      hash,
    })
    if (p.withdrawals?.length) nextIndex = p.withdrawals[p.withdrawals.length - 1]!.index + 1n
    head = { hash, parentHash: bytesToHex(p.parentHash), number: p.blockNumber, timestamp: p.timestamp, nextWithdrawalIndex: nextIndex }
    made++
    ctl.log.info('Slot', {
      slot: made,
      fork: b.versions.fork,
      number: p.blockNumber,
      hash,
      txs: p.transactions.length,
      gas: p.gasUsed,
      value: b.checked.blockValue,
      blobs: b.checked.blobs,
      ...(b.checked.executionRequests ? { requests: b.checked.executionRequests.length } : {}),
      ms: Math.round(ctl.now() - started),
    })
  }
  return made
}
