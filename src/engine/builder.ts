/**
 * Payload building for forkchoiceUpdated with attributes (paris.md, "Payload building"):
 *
 * 1. `start` answers with the build's 8-byte id, a hash of the parent and the attributes, so the
 *    same attributes find the same build and do not restart it (rules 5–6). It builds the empty
 *    payload at once (rule 2).
 * 2. The first full build (the pool's best transactions) runs right after the forkchoiceUpdated
 *    answer; then every `intervalMs` a rebuild replaces it when it pays the fee recipient more,
 *    as geth does (rule 3). With a pool that reports new transactions (`onPending`), a rebuild
 *    runs only when some arrived.
 * 3. A full build runs in slices of `sliceMs` of execution, yielding to the event loop between
 *    them, so getPayload is answered while a build runs: a rebuild in progress is dropped and
 *    the last full payload handed out; the first full build in progress is sealed with the
 *    transactions it has. A slice checks that the head has not moved (the parent's state reader
 *    reads the head's flat state, which a head move changes); if it has, the build starts over.
 * 4. Updates stop at getPayload (`resolve`) or after `timeoutMs` (rule 4: a slot); a getPayload
 *    that comes before the first full build began runs it then, in one go but for at most
 *    `resolveMs` of execution, so a payload asked for at once still carries the pool's best
 *    transactions and the answer stays prompt (sealing costs about as much again: the roots
 *    and the state commit).
 *
 * At most `maxPayloads` builds are kept (oldest out). A built block that comes back through
 * newPayload is stored from its execution here (`executed`), not executed again.
 */
import { blobBaseFee } from '../executor/index.ts'
import { keccak256 } from '../crypto/index.ts'
import { BlockBuilder, nextHeaderTemplate, type BuildChain, type BuildOptions, type BuiltBlock, type Candidate } from '../payload/index.ts'
import { bytesToHex, encodeRlp, equalBytes, type Address, type Hash } from '../primitives/index.ts'
import type { ExecutedBlock } from '../blockchain/index.ts'
import { effectiveTip, type BlobTransactionNetwork, type Transaction } from '../types/index.ts'
import type { BuiltPayload } from './responses.ts'
import type { EngineFork, PayloadAttributes } from './types.ts'
import { engineFork } from './versions.ts'

/** One of the pool's executable transactions, best first; blob ones with their sidecar when held. */
export interface BuildCandidate extends Candidate {
  hash?: Hash
  sidecar?: BlobTransactionNetwork
}

/** What building needs of the transaction pool (TransactionPool fits). */
export interface BuildPool {
  best(baseFee: bigint, blobBaseFee?: bigint): readonly BuildCandidate[]
  /** New executable transactions; without it every interval rebuilds. */
  onPending?(listener: (txs: readonly unknown[]) => void): () => void
}

/** Blob sidecars kept apart from the pool's transactions (a blob pool), by transaction hash. */
export interface SidecarReader {
  sidecarOf(txHash: Hash): BlobTransactionNetwork | undefined
}

export interface PayloadBuilderOptions {
  chain: BuildChain
  pool?: BuildPool
  sidecars?: SidecarReader
  /** Between rebuilds (default 500 ms). */
  intervalMs?: number
  /** How long a build keeps improving (default 12 s, a mainnet slot). */
  timeoutMs?: number
  /** Builds kept (default 16). */
  maxPayloads?: number
  /** Execution per slice of a background build before it yields (default 5 ms). */
  sliceMs?: number
  /** Execution a getPayload waits for when no full build had begun (default 20 ms). */
  resolveMs?: number
  /** Runs the next slice later; returns its cancel (default setImmediate; tests step by hand). */
  schedule?: (slice: () => void) => () => void
  /** Fills the top of each build before the pool's transactions (bundles). */
  top?: BuildOptions['top']
  /** A failed background rebuild (the parent's state gone, say); the last good payload stays. */
  onError?(err: unknown): void
}

/** A payload as getPayload hands it out, with the execution newPayload can store. */
export interface BuiltEnginePayload extends BuiltPayload {
  executed: ExecutedBlock
}

/** What a build makes: a child of `parentHash` under `attrs`. */
interface BuildSpec {
  parentHash: Hash
  attrs: PayloadAttributes
  fork: EngineFork
  baseFee: bigint
}

interface BuildProcess extends BuildSpec {
  id: Uint8Array
  blobBaseFee?: bigint
  empty: BuiltEnginePayload
  full?: BuiltEnginePayload
  /** Pool transactions arrived since the last full build. */
  dirty: boolean
  timer?: ReturnType<typeof setInterval>
  first?: ReturnType<typeof setTimeout>
  deadline: number
  /** A full build between slices. */
  running?: RunningBuild
}

interface RunningBuild {
  builder: BlockBuilder
  candidates: readonly BuildCandidate[]
  next: number
  /** The head when it began: its parent's state reader is only good while the head stays. */
  head: Hash
  cancel?: () => void
}

function nextTurn(slice: () => void): () => void {
  const h = setImmediate(slice)
  return () => clearImmediate(h)
}

const DEFAULTS = { intervalMs: 500, timeoutMs: 12_000, maxPayloads: 16, sliceMs: 5, resolveMs: 20 }

/** The build's id: the first 8 bytes of a hash of everything that defines it (and the version). */
export function payloadId(parentHash: Hash, attrs: PayloadAttributes, version: number): Uint8Array {
  const withdrawals = attrs.withdrawals?.map((w) => [w.index, w.validatorIndex, w.address, w.amount])
  const fields = [BigInt(version), parentHash, attrs.timestamp, attrs.prevRandao, attrs.suggestedFeeRecipient, withdrawals ?? '', attrs.parentBeaconBlockRoot ?? '']
  return keccak256(encodeRlp(fields as never)).slice(0, 8)
}

/** The fee recipient's gain: each transaction's gas at its effective tip (EIP-1559; the base fee is burnt). */
export function tipsOf(txs: readonly Transaction[], gasUsed: readonly bigint[], baseFee: bigint): bigint {
  let total = 0n
  txs.forEach((tx, i) => {
    total += gasUsed[i]! * effectiveTip(tx, baseFee)
  })
  return total
}

export class PayloadBuilder {
  private readonly builds = new Map<string, BuildProcess>()
  private readonly opts: Required<Pick<PayloadBuilderOptions, 'intervalMs' | 'timeoutMs' | 'maxPayloads' | 'sliceMs' | 'resolveMs'>> & PayloadBuilderOptions
  private readonly unsubscribe?: () => void

  constructor(opts: PayloadBuilderOptions) {
    this.opts = { ...DEFAULTS, ...opts }
    this.unsubscribe = opts.pool?.onPending?.(() => {
      for (const b of this.builds.values()) b.dirty = true
    })
  }

  /** Starts (or finds) the build of a child of `parentHash` under `attrs`; returns its id. */
  start(parentHash: Hash, attrs: PayloadAttributes, version: number): Uint8Array {
    const id = payloadId(parentHash, attrs, version)
    const key = bytesToHex(id)
    if (this.builds.has(key)) return id
    const chain = this.opts.chain
    const parent = chain.headerByHash(parentHash)!
    const { header, blob } = nextHeaderTemplate(parent, chain.spec, this.buildOptionsOf(attrs), parentHash)
    const what: BuildSpec = { parentHash, attrs, fork: engineFork(chain.spec, attrs.timestamp), baseFee: header.baseFeePerGas ?? 0n }
    const b: BuildProcess = {
      ...what,
      id,
      blobBaseFee: blob && header.excessBlobGas !== undefined ? blobBaseFee(header.excessBlobGas, blob) : undefined,
      empty: this.sealed(what, [], this.open(what)),
      dirty: true,
      deadline: Date.now() + this.opts.timeoutMs,
    }
    this.builds.set(key, b)
    while (this.builds.size > this.opts.maxPayloads) this.drop(this.builds.keys().next().value!)
    if (this.opts.pool) {
      b.first = setTimeout(() => this.improve(b), 0)
      b.timer = setInterval(() => this.improve(b), this.opts.intervalMs)
      b.first.unref?.()
      b.timer.unref?.()
    }
    return id
  }

  /** The fork of a build (getPayload's version check), without stopping it. */
  forkOf(id: Uint8Array): EngineFork | undefined {
    return this.builds.get(bytesToHex(id))?.fork
  }

  /** The best payload of a build so far, and its updates stopped (getPayload). */
  resolve(id: Uint8Array): BuiltEnginePayload | undefined {
    const b = this.builds.get(bytesToHex(id))
    if (!b) return undefined
    const r = b.running
    if (!b.full && r && equalBytes(this.opts.chain.headBlockHash(), r.head)) this.finish(b, r)
    this.halt(b)
    if (!b.full && this.opts.pool) this.buildAtOnce(b)
    return b.full ?? b.empty
  }

  /** The execution of a block this builder made, by its hash. */
  executed(hash: Hash): ExecutedBlock | undefined {
    for (const b of this.builds.values())
      for (const p of [b.full, b.empty]) if (p && equalBytes(p.blockHash, hash)) return p.executed
    return undefined
  }

  stop(): void {
    this.unsubscribe?.()
    for (const key of [...this.builds.keys()]) this.drop(key)
  }

  private buildOptionsOf(a: PayloadAttributes): { timestamp: bigint; feeRecipient: Address; prevRandao: Hash; withdrawals?: PayloadAttributes['withdrawals']; parentBeaconBlockRoot?: Hash } {
    return { timestamp: a.timestamp, feeRecipient: a.suggestedFeeRecipient, prevRandao: a.prevRandao, withdrawals: a.withdrawals, parentBeaconBlockRoot: a.parentBeaconBlockRoot }
  }

  /** Begins one rebuild from the pool in slices (`step`); kept when it pays more than the last (the first always). */
  private improve(b: BuildProcess): void {
    if (Date.now() > b.deadline) return this.halt(b)
    if (b.running) return
    // without pool events every interval rebuilds
    if (b.full && !b.dirty && this.unsubscribe) return
    b.dirty = false
    this.guard(b, () => {
      b.running = { builder: this.open(b), candidates: this.candidates(b), next: 0, head: this.opts.chain.headBlockHash() }
      this.step(b)
    })
  }

  /** One slice of a running build: candidates until `sliceMs` has passed, then yield. */
  private step(b: BuildProcess): void {
    const r = b.running
    if (!r) return
    r.cancel = undefined
    if (!equalBytes(this.opts.chain.headBlockHash(), r.head)) {
      b.running = undefined
      b.dirty = true // the head moved under it: the next interval starts over
      return
    }
    this.guard(b, () => {
      // at least one candidate a slice, so a build always ends
      const until = performance.now() + this.opts.sliceMs
      let more = r.next < r.candidates.length
      do more = more && r.builder.add(r.candidates[r.next++]!) && r.next < r.candidates.length
      while (more && performance.now() < until)
      if (!more) return this.finish(b, r)
      r.cancel = (this.opts.schedule ?? nextTurn)(() => this.step(b))
    })
  }

  /** Seals a running build with what it has; kept when it pays more. */
  private finish(b: BuildProcess, r: RunningBuild): void {
    r.cancel?.()
    b.running = undefined
    const next = this.sealed(b, r.candidates, r.builder)
    if (!b.full || next.blockValue > b.full.blockValue) b.full = next
  }

  /** The first full build in one go, within `resolveMs` (getPayload before any had begun). */
  private buildAtOnce(b: BuildProcess): void {
    this.guard(b, () => {
      const candidates = this.candidates(b)
      const builder = this.open(b)
      const until = performance.now() + this.opts.resolveMs
      for (const c of candidates) if (!builder.add(c) || performance.now() >= until) break
      b.full = this.sealed(b, candidates, builder)
    })
  }

  /** A failed build (the parent's state gone, say) stops the process; the last good payload stays. */
  private guard(b: BuildProcess, work: () => void): void {
    try {
      work()
    } catch (err) {
      b.running = undefined
      this.halt(b)
      this.opts.onError?.(err)
    }
  }

  /**
   * The pool's best, blob transactions only with a sidecar of the fork's kind (wrapper version
   * 1, cell proofs, from Osaka): getPayload's blobs bundle must carry each one's blobs.
   */
  private candidates(b: BuildProcess): BuildCandidate[] {
    const want = b.fork === 'osaka' ? 1 : 0
    const out: BuildCandidate[] = []
    for (const c of this.opts.pool!.best(b.baseFee, b.blobBaseFee)) {
      if (c.tx.type !== 3) {
        out.push(c)
        continue
      }
      const sidecar = c.sidecar ?? (c.hash && this.opts.sidecars?.sidecarOf(c.hash))
      if (sidecar && sidecar.wrapperVersion === want) out.push({ ...c, sidecar })
    }
    return out
  }

  private open(b: BuildSpec): BlockBuilder {
    const a = this.buildOptionsOf(b.attrs)
    return new BlockBuilder(this.opts.chain, { ...a, parentHash: b.parentHash, coinbase: a.feeRecipient, top: this.opts.top })
  }

  /** Seals `builder` into the payload getPayload hands out (blob sidecars from `candidates`). */
  private sealed(b: BuildSpec, candidates: readonly BuildCandidate[], builder: BlockBuilder): BuiltEnginePayload {
    const built: BuiltBlock = builder.seal()
    const block = built.executed.block
    const sidecarOf = new Map<Transaction, BlobTransactionNetwork | undefined>(candidates.map((c) => [c.tx, c.sidecar]))
    const sidecars = block.transactions.filter((tx) => tx.type === 3).map((tx) => sidecarOf.get(tx)!)
    const out: BuiltEnginePayload = {
      block,
      blockHash: built.executed.hash,
      blockValue: tipsOf(block.transactions, built.results.map((r) => r.gasUsed), b.baseFee),
      sidecars,
      executed: built.executed,
    }
    // prague.md: requests of empty data are left out of executionRequests
    if (built.requests) out.executionRequests = built.requests.filter((r) => r.length > 1)
    return out
  }

  private halt(b: BuildProcess): void {
    b.running?.cancel?.()
    b.running = undefined
    if (b.first) clearTimeout(b.first)
    if (b.timer) clearInterval(b.timer)
    b.first = b.timer = undefined
  }

  private drop(key: string): void {
    const b = this.builds.get(key)
    if (b) this.halt(b)
    this.builds.delete(key)
  }
}
