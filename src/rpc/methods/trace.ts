/**
 * The `trace` namespace over mined blocks (OpenEthereum's trace module, as Erigon and reth serve
 * it): trace_block, trace_transaction, trace_get, trace_filter (call traces with block and
 * transaction), trace_replayTransaction and trace_replayBlockTransactions (TraceResults with
 * `trace`, `vmTrace`, `stateDiff` as asked). Each re-executes the block on its parent's state
 * (replay.ts). Unknown blocks and transactions are null. Mosaic's chains are post-merge, so
 * there are no `reward` traces. The ad-hoc runs (trace_call & co.) are in trace-call.ts.
 */
import { createAddress } from '../../evm/index.ts'
import { bytesToHex, type Hash } from '../../primitives/index.ts'
import { headerHash, transactionHash, type Block } from '../../types/index.ts'
import { resolveBlock, resolveHeader } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { InvalidParamsError, LimitExceededError, ServerError } from '../errors.ts'
import { execEnv } from '../exec/env.ts'
import { withDeadline } from '../exec/timeout.ts'
import { hex } from '../format/hex.ts'
import { address, args, array, blockNumber, blockSelector, field, hash, knownFields, object, smallNumber, type At } from '../params.ts'
import { replayBlock } from '../replay.ts'
import { parseTraceTypes, startParityRun, type ParityRun, type RunOutcome, type TraceType } from '../tracers/parity-run.ts'
import type { ParityTrace } from '../tracers/parity-tracer.ts'
import { minedTransaction } from './eth-tx.ts'

const CALL_TRACES: ReadonlySet<TraceType> = new Set(['trace'])

/** Replays `block` through transaction `upTo`, tracing those `traced` picks; `each` gets their runs. */
function replayTraced(ctx: RpcContext, block: Block, types: ReadonlySet<TraceType>, upTo: number, traced: (i: number) => boolean, each: (i: number, run: ParityRun, o: RunOutcome) => void): void {
  const senders = ctx.chain.senders(headerHash(block.header)) ?? []
  const { fork } = execEnv(ctx.chain, block.header)
  let run: ParityRun | undefined
  replayBlock(
    ctx,
    block,
    {
      upTo,
      tracerFor: (i, state) => {
        if (!traced(i)) return (run = undefined)
        const tx = block.transactions[i]!
        const from = senders[i]!
        run = startParityRun(types, state, fork, { kind: tx.to ? 'call' : 'create', from, to: tx.to ?? createAddress(from, tx.nonce), value: tx.value, input: tx.data, gas: tx.gasLimit })
        return withDeadline(run.tracer, ctx.limits.traceTimeoutMs, 'execution timeout')
      },
      onTx: (i, r) => run && each(i, run, { status: r.status as RunOutcome['status'], output: r.output, diff: r.diff }),
    },
    ctx.replay,
  )
}

/** A call trace with its block and transaction, in the other clients' key order. */
function localized(t: ParityTrace, block: Block, blockHash: Hash, index: number): Record<string, unknown> {
  const o: Record<string, unknown> = { action: t.action, blockHash: hex(blockHash), blockNumber: Number(block.header.number) }
  if (t.error !== undefined) o.error = t.error
  Object.assign(o, { result: t.result, subtraces: t.subtraces, traceAddress: t.traceAddress, transactionHash: hex(transactionHash(block.transactions[index]!)), transactionPosition: index, type: t.type })
  return o
}

/** The call traces of `block`'s transactions (all, or `only`'s). */
function blockTraces(ctx: RpcContext, block: Block, only?: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  if (block.header.number === 0n || block.transactions.length === 0) return out
  const h = headerHash(block.header)
  const upTo = only ?? block.transactions.length - 1
  replayTraced(ctx, block, CALL_TRACES, upTo, (i) => only === undefined || i === only, (i, run, o) => {
    for (const t of run.traces(o)) out.push(localized(t, block, h, i))
  })
  return out
}

function replayResults(ctx: RpcContext, block: Block, types: ReadonlySet<TraceType>, only?: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  if (block.header.number === 0n || block.transactions.length === 0) return out
  replayTraced(ctx, block, types, only ?? block.transactions.length - 1, (i) => only === undefined || i === only, (i, run, o) => {
    out.push({ ...run.results(o), transactionHash: hex(transactionHash(block.transactions[i]!)) })
  })
  return out
}

/** The block a trace_filter bound names (a number or tag), as a number. */
function boundNumber(ctx: RpcContext, v: unknown, at: At, dflt: bigint): bigint {
  if (v == null) return dflt
  const h = resolveHeader(ctx, blockNumber(v, at))
  if (!h) throw new InvalidParamsError(`invalid argument ${at}: block not found`)
  return h.number
}

function addressSet(v: unknown, at: At): Set<string> | undefined {
  if (v == null) return undefined
  return new Set(array(v, at, 10_000).map((a, i) => bytesToHex(address(a, field(at, i)))))
}

/** The addresses trace_filter matches as a trace's sender and as its receiver (reth's and Erigon's reading). */
function ends(t: ParityTrace): [from: string | undefined, to: string | undefined] {
  const a = t.action as Record<string, string>
  if (t.type === 'suicide') return [a.address, a.refundAddress]
  if (t.type === 'create') return [a.from, (t.result as Record<string, string> | null)?.address]
  return [a.from, a.to]
}

/** `after` and `count`: JSON numbers (reth, Erigon) or quantities. */
const jsonOrHexNumber = (v: unknown, at: At): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : smallNumber(v, at))

function traceFilter(ctx: RpcContext, v: unknown): Record<string, unknown>[] {
  const f = object(v, 0)
  knownFields(f, 0, ['fromBlock', 'toBlock', 'fromAddress', 'toAddress', 'after', 'count', 'mode'])
  const head = ctx.chain.head().number
  const from = boundNumber(ctx, f.fromBlock, field(0, 'fromBlock'), 0n)
  const to = boundNumber(ctx, f.toBlock, field(0, 'toBlock'), head)
  if (from > to) throw new InvalidParamsError(`invalid argument 0: fromBlock ${from} is after toBlock ${to}`)
  const max = ctx.limits.traceFilterMaxBlocks
  if (to - from + 1n > BigInt(max)) throw new LimitExceededError(`trace_filter spans ${to - from + 1n} blocks, more than ${max} (--rpc.max-trace-filter-blocks): narrow fromBlock/toBlock`)
  const fromSet = addressSet(f.fromAddress, field(0, 'fromAddress'))
  const toSet = addressSet(f.toAddress, field(0, 'toAddress'))
  const mode = f.mode ?? 'union'
  if (mode !== 'union' && mode !== 'intersection') throw new InvalidParamsError(`invalid argument ${field(0, 'mode')}: expected "union" or "intersection"`)
  const after = f.after == null ? 0 : jsonOrHexNumber(f.after, field(0, 'after'))
  const count = f.count == null ? Number.POSITIVE_INFINITY : jsonOrHexNumber(f.count, field(0, 'count'))
  const matches = (t: ParityTrace): boolean => {
    if (!fromSet && !toSet) return true
    const [a, b] = ends(t)
    const isFrom = fromSet !== undefined && a !== undefined && fromSet.has(a)
    const isTo = toSet !== undefined && b !== undefined && toSet.has(b)
    return mode === 'union' ? isFrom || isTo : (!fromSet || isFrom) && (!toSet || isTo)
  }
  const out: Record<string, unknown>[] = []
  let skipped = 0
  for (let n = from; n <= to && out.length < count; n++) {
    const block = resolveBlock(ctx, { number: n })
    if (!block || n === 0n || block.transactions.length === 0) continue
    const h = headerHash(block.header)
    replayTraced(ctx, block, CALL_TRACES, block.transactions.length - 1, () => true, (i, run, o) => {
      for (const t of run.traces(o)) {
        if (!matches(t) || out.length >= count) continue
        if (skipped++ < after) continue
        out.push(localized(t, block, h, i))
      }
    })
  }
  return out
}

function minedOrThrow(ctx: RpcContext, h: Hash): { block: Block; index: number } {
  const mined = minedTransaction(ctx, h)
  if (!mined) throw new ServerError(`transaction ${hex(h)} not found`)
  return mined
}

export const traceMethods: Methods = {
  trace_block(ctx, p) {
    const block = resolveBlock(ctx, blockSelector(args(p, 1, 1)[0], 0))
    return block ? blockTraces(ctx, block) : null
  },

  trace_transaction(ctx, p) {
    const mined = minedTransaction(ctx, hash(args(p, 1, 1)[0], 0))
    return mined ? blockTraces(ctx, mined.block, mined.index) : null
  },

  /** The trace at a position of the transaction's flat list (one index: reth's and Erigon's reading). */
  trace_get(ctx, p) {
    const a = args(p, 2, 2)
    const h = hash(a[0], 0)
    const indices = array(a[1], 1, 1024).map((v, i) => smallNumber(v, field(1, i)))
    const mined = minedTransaction(ctx, h)
    if (!mined || indices.length !== 1) return null
    return blockTraces(ctx, mined.block, mined.index)[indices[0]!] ?? null
  },

  trace_filter(ctx, p) {
    return traceFilter(ctx, args(p, 1, 1)[0])
  },

  trace_replayTransaction(ctx, p) {
    const a = args(p, 2, 2)
    const h = hash(a[0], 0)
    const types = parseTraceTypes(a[1], 1)
    const mined = minedOrThrow(ctx, h)
    const { transactionHash: _, ...results } = replayResults(ctx, mined.block, types, mined.index)[0]!
    return results
  },

  trace_replayBlockTransactions(ctx, p) {
    const a = args(p, 2, 2)
    const sel = blockSelector(a[0], 0)
    const types = parseTraceTypes(a[1], 1)
    const block = resolveBlock(ctx, sel)
    return block ? replayResults(ctx, block, types) : null
  },
}

