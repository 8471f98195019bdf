/**
 * eth_estimateGas as geth does it (internal/ethapi gasestimator): the upper bound is the given
 * gas, else the block gas limit, lowered to what the sender's balance can pay at its fee cap
 * and to the RPC gas cap; a plain transfer to a codeless account is tried at 21000 first; one
 * run at the upper bound must succeed (a revert is reported with its data, anything else as
 * "gas required exceeds allowance"); then an optimistic try at (used + refund + 2300)·64/63 and
 * a binary search down to a 1.5% error ratio. Intrinsic-gas and floor failures count as "too low".
 */
import { TX_BASE_GAS } from '../../types/index.ts'
import type { RpcContext } from '../context.ts'
import { ServerError } from '../errors.ts'
import type { TransactResult } from '../../executor/index.ts'
import { CallValidationError } from './apply.ts'
import type { CallArgs } from './call-args.ts'
import { toMessage } from './message.ts'
import { failure } from './outcome.ts'
import { runCall, type CallBase } from './run-call.ts'

const ERROR_RATIO = 0.015
const CALL_STIPEND = 2300n

export function estimateGas(ctx: RpcContext, base: CallBase, args: CallArgs): bigint {
  let hi = args.gas !== undefined && args.gas >= BigInt(TX_BASE_GAS) ? args.gas : base.x.env.gasLimit
  const probe = toMessage({ ...args, gas: hi }, base.x, 0n)
  const feeCap = probe.zeroFees ? 0n : probe.feeCap
  if (feeCap > 0n) {
    const balance = base.view.getAccount(probe.from)?.balance ?? 0n
    if (probe.value > balance) throw new ServerError('insufficient funds for transfer')
    const allowance = (balance - probe.value) / feeCap
    if (hi > allowance) hi = allowance
  }
  const cap = ctx.limits.gasCap
  if (cap > 0n && hi > cap) hi = cap

  const run = (gas: bigint): { failed: boolean; result?: TransactResult } => {
    try {
      const { result } = runCall(ctx, base, args, { gas })
      return { failed: result.execution.status !== 'success', result }
    } catch (e) {
      if (e instanceof CallValidationError && (e.kind === 'intrinsic-gas' || e.kind === 'floor-gas')) return { failed: true }
      throw e
    }
  }

  // a plain transfer to an account without code needs exactly 21000
  if (args.to && (args.input?.length ?? 0) === 0 && (base.view.getAccount(args.to)?.code.length ?? 0) === 0 && !args.authorizationList && !args.blobVersionedHashes) {
    const t = BigInt(TX_BASE_GAS)
    if (hi >= t && !run(t).failed) return t
  }

  const top = run(hi)
  if (top.failed) {
    const r = top.result
    if (r && r.execution.status !== 'outOfGas') throw failure(r.execution.status, r.execution.output)!
    throw new ServerError(`gas required exceeds allowance (${hi})`)
  }
  const used = top.result!.gasUsed
  let lo = used - 1n
  const optimistic = ((used + top.result!.refund + CALL_STIPEND) * 64n) / 63n
  if (optimistic < hi) {
    if (run(optimistic).failed) lo = optimistic
    else hi = optimistic
  }
  while (lo + 1n < hi) {
    if (Number(hi - lo) / Number(hi) < ERROR_RATIO) break
    let mid = (hi + lo) / 2n
    if (mid > lo * 2n) mid = lo * 2n
    if (run(mid).failed) lo = mid
    else hi = mid
  }
  return hi
}
