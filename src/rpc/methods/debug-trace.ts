/**
 * debug_traceTransaction, debug_traceBlockByNumber/Hash (re-executing the block, replay.ts) and
 * debug_traceCall (a call with overrides), with the struct logger, callTracer or prestateTracer.
 */
import { createAddress, type ExecutionResult, type Message, type Tracer } from '../../evm/index.ts'
import type { Address } from '../../primitives/index.ts'
import type { JournaledState, StateDiff } from '../../state/index.ts'
import { headerHash, recoverAuthorities, transactionHash, type Block, type Transaction } from '../../types/index.ts'
import { resolveBlock } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError } from '../errors.ts'
import { CallValidationError } from '../exec/apply.ts'
import { parseCallArgs } from '../exec/call-args.ts'
import { parseBlockOverrides, parseStateOverrides } from '../exec/overrides.ts'
import { callBase, runCall } from '../exec/run-call.ts'
import { withDeadline } from '../exec/timeout.ts'
import { hex } from '../format/hex.ts'
import { args, blockNumber, field, hash, object, optionalBlock, type At, type BlockSelector } from '../params.ts'
import { replayBlock } from '../replay.ts'
import { CallTracer } from '../tracers/call-tracer.ts'
import { parseTraceConfig, type TraceConfig } from '../tracers/config.ts'
import { PrestateTracer } from '../tracers/prestate-tracer.ts'
import { StructLogger } from '../tracers/struct-logger.ts'
import { rawJsonOf } from '../raw-json.ts'
import { minedTransaction } from './eth-tx.ts'

interface Outcome {
  status: string
  gasUsed: bigint
  gasLimit: bigint
  output: Uint8Array
  diff: StateDiff
}

interface Active {
  tracer: Tracer
  finish(o: Outcome): unknown
}

/** A tracer for one run: `state` is the live state, `top` describes the run's first message. */
interface Top {
  from: Address
  to: Address | null
  nonce: bigint
  value: bigint
  input: Uint8Array
  gas: bigint
  /** EIP-7702 authorities (in the prestate before their delegations apply). */
  authorities?: Address[]
}

function startTrace(ctx: RpcContext, cfg: TraceConfig, state: JournaledState, top: Top): Active {
  const target = top.to ?? createAddress(top.from, top.nonce)
  const ms = cfg.timeoutMs ?? ctx.limits.traceTimeoutMs
  const wrap = (t: Tracer) => withDeadline(t, ms, 'execution timeout', ctx.batch?.end)!
  switch (cfg.tracer) {
    case 'struct': {
      const t = new StructLogger(cfg.opts, (a, s) => state.getStorage(a, s), ctx.limits.maxResponseBytes)
      return {
        tracer: wrap(t),
        finish: (o) =>
          rawJsonOf({
            gas: Number(o.gasUsed),
            failed: o.status !== 'success',
            returnValue: hex(o.status === 'success' || o.status === 'revert' ? o.output : new Uint8Array(0)),
            structLogs: t.logs(),
          }),
      }
    }
    case 'callTracer': {
      const t = new CallTracer(cfg.opts)
      return {
        tracer: wrap(t),
        finish: (o) => {
          const msg: Message = { kind: top.to ? 'call' : 'create', caller: top.from, to: target, value: top.value, input: top.input, gas: Number(top.gas) }
          const result: ExecutionResult = { status: o.status as ExecutionResult['status'], gasLeft: 0, gasRefund: 0, output: o.output, logs: [] }
          return t.result({ gas: o.gasLimit, gasUsed: o.gasUsed }, { msg, result })
        },
      }
    }
    case 'prestateTracer': {
      const t = new PrestateTracer(cfg.opts, [top.from, target, state.block.coinbase, ...(top.authorities ?? [])])
      return { tracer: wrap(t), finish: (o) => t.result(state, o.diff) }
    }
  }
}

const txTop = (tx: Transaction, from: Address): Top => ({
  from,
  to: tx.to,
  nonce: tx.nonce,
  value: tx.value,
  input: tx.data,
  gas: tx.gasLimit,
  authorities: tx.type === 4 ? recoverAuthorities(tx.authorizationList).filter((a): a is Address => a !== null) : undefined,
})

/** Traces transactions `indices` of `block` (replaying the ones before). */
function traceInBlock(ctx: RpcContext, block: Block, cfg: TraceConfig, upTo: number, traced: (i: number) => boolean): unknown[] {
  const senders = ctx.chain.senders(headerHash(block.header)) ?? []
  const out: unknown[] = []
  let active: Active | undefined
  replayBlock(
    ctx,
    block,
    {
      upTo,
      tracerFor: (i, state) => {
        active = traced(i) ? startTrace(ctx, cfg, state, txTop(block.transactions[i]!, senders[i]!)) : undefined
        return active?.tracer
      },
      onTx: (i, r) => {
        if (active) out.push(active.finish({ ...r, gasLimit: block.transactions[i]!.gasLimit }))
      },
    },
    ctx.replay,
  )
  return out
}

function traceBlock(ctx: RpcContext, sel: BlockSelector, opts: unknown, at: At): unknown {
  const block = resolveBlock(ctx, sel)
  if (!block) throw new ServerError('block not found')
  const cfg = parseTraceConfig(opts, at)
  if (block.header.number === 0n) throw new ServerError('genesis is not traceable')
  const results = traceInBlock(ctx, block, cfg, block.transactions.length - 1, () => true)
  return rawJsonOf(results.map((result, i) => ({ txHash: hex(transactionHash(block.transactions[i]!)), result })))
}

export const debugTraceMethods: Methods = {
  debug_traceTransaction(ctx, p) {
    const a = args(p, 2, 1)
    const h = hash(a[0], 0)
    const mined = minedTransaction(ctx, h)
    if (!mined) throw new ServerError(`transaction ${hex(h)} not found`)
    const cfg = parseTraceConfig(a[1], 1)
    return traceInBlock(ctx, mined.block, cfg, mined.index, (i) => i === mined.index)[0]
  },

  debug_traceBlockByNumber(ctx, p) {
    const a = args(p, 2, 1)
    return traceBlock(ctx, blockNumber(a[0], 0), a[1], 1)
  },

  debug_traceBlockByHash(ctx, p) {
    const a = args(p, 2, 1)
    return traceBlock(ctx, { hash: hash(a[0], 0), requireCanonical: false }, a[1], 1)
  },

  debug_traceCall(ctx, p) {
    const a = args(p, 3, 1)
    const call = parseCallArgs(a[0], 0)
    const o = a[2] == null ? {} : object(a[2], 2)
    const { stateOverrides, blockOverrides, ...rest } = o
    const cfg = parseTraceConfig(rest, 2)
    const base = callBase(ctx, optionalBlock(a[1], 1), parseStateOverrides(stateOverrides, field(2, 'stateOverrides')), parseBlockOverrides(blockOverrides, field(2, 'blockOverrides')))
    let active: Active | undefined
    try {
      const from = call.from ?? new Uint8Array(20)
      const nonce = call.nonce ?? base.view.getAccount(from)?.nonce ?? 0n
      let state: JournaledState | undefined
      const { msg, result } = runCall(ctx, base, call, {
        timeoutMs: 0,
        onState: (s: JournaledState) => {
          state = s
          active = startTrace(ctx, cfg, s, { from, to: call.to ?? null, nonce, value: call.value ?? 0n, input: call.input ?? new Uint8Array(0), gas: 0n })
          return active.tracer
        },
      })
      if (!state || !active) throw new ServerError('trace did not start')
      return active.finish({ status: result.execution.status, gasUsed: result.gasUsed, gasLimit: msg.gas, output: result.execution.output, diff: result.diff })
    } catch (e) {
      if (e instanceof CallValidationError) throw new ServerError(`tracing failed: ${e.message}`)
      throw e
    }
  },
}
