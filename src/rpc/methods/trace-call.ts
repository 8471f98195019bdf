/**
 * The ad-hoc `trace` methods: trace_call (a call on a block's state, with `trace`, `vmTrace`
 * and `stateDiff` as asked), trace_callMany (calls in sequence, each on the state the ones
 * before left) and trace_rawTransaction (a signed transaction, run as its sender's call on the
 * latest state, or a given block's). Each answers TraceResults (tracers/parity-run.ts).
 */
import { createAddress } from '../../evm/index.ts'
import type { StateDiff } from '../../state/index.ts'
import { recoverSender, TransactionError, type Transaction } from '../../types/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError } from '../errors.ts'
import type { CallArgs } from '../exec/call-args.ts'
import { parseCallArgs } from '../exec/call-args.ts'
import { DiffOverlay } from '../exec/diff-overlay.ts'
import { callBase, runCall, type CallBase } from '../exec/run-call.ts'
import { args, array, data, field, optionalBlock } from '../params.ts'
import { parseTraceTypes, startParityRun, type ParityRun, type TraceType } from '../tracers/parity-run.ts'
import { decodeRaw } from './eth-send.ts'

function traceOne(ctx: RpcContext, base: CallBase, call: CallArgs, types: ReadonlySet<TraceType>): { results: Record<string, unknown>; diff: StateDiff } {
  let run: ParityRun | undefined
  const from = call.from ?? new Uint8Array(20)
  const { result } = runCall(ctx, base, call, {
    timeoutMs: ctx.limits.traceTimeoutMs,
    onState: (s) => {
      const to = call.to ?? createAddress(from, call.nonce ?? s.getNonce(from))
      run = startParityRun(types, s, base.x.fork, { kind: call.to ? 'call' : 'create', from, to, value: call.value ?? 0n, input: call.input ?? new Uint8Array(0), gas: 0n })
      return run.tracer
    },
  })
  if (!run) throw new ServerError('trace did not start')
  return { results: run.results({ status: result.execution.status, output: result.execution.output, diff: result.diff }), diff: result.diff }
}

/** A signed transaction as the call its sender makes. */
function txCall(tx: Transaction): CallArgs {
  let from
  try {
    from = recoverSender(tx)
  } catch (e) {
    if (e instanceof TransactionError) throw new ServerError(`invalid transaction: ${e.message}`)
    throw e
  }
  const fees = tx.type === 0 || tx.type === 1 ? { gasPrice: tx.gasPrice } : { maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas }
  return {
    from,
    to: tx.to,
    gas: tx.gasLimit,
    value: tx.value,
    nonce: tx.nonce,
    input: tx.data,
    ...fees,
    ...(tx.type === 0 ? {} : { accessList: tx.accessList }),
    ...(tx.type === 3 ? { maxFeePerBlobGas: tx.maxFeePerBlobGas, blobVersionedHashes: tx.blobVersionedHashes } : {}),
    ...(tx.type === 4 ? { authorizationList: tx.authorizationList } : {}),
  }
}

export const traceCallMethods: Methods = {
  trace_call(ctx, p) {
    const a = args(p, 3, 2)
    const call = parseCallArgs(a[0], 0)
    const types = parseTraceTypes(a[1], 1)
    return traceOne(ctx, callBase(ctx, optionalBlock(a[2], 2)), call, types).results
  },

  trace_callMany(ctx, p) {
    const a = args(p, 2, 1)
    const list = array(a[0], 0, 1000).map((item, i) => {
      const pair = array(item, field(0, i), 2)
      return { call: parseCallArgs(pair[0], field(field(0, i), 0)), types: parseTraceTypes(pair[1], field(field(0, i), 1)) }
    })
    const base = callBase(ctx, optionalBlock(a[1], 1))
    const view = new DiffOverlay(base.view)
    return list.map(({ call, types }) => {
      const { results, diff } = traceOne(ctx, { ...base, view }, call, types)
      view.apply(diff)
      return results
    })
  },

  /** On the latest state unless a block is given (OpenEthereum's and reth's optional third argument). */
  trace_rawTransaction(ctx, p) {
    const a = args(p, 3, 2)
    const raw = data(a[0], 0)
    const types = parseTraceTypes(a[1], 1)
    const at = optionalBlock(a[2], 2)
    // the arguments are checked (-32602) before the transaction is decoded (-32000)
    return traceOne(ctx, callBase(ctx, at), txCall(decodeRaw(raw).tx), types).results
  },
}
