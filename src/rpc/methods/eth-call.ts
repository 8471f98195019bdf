/** eth_call (state and block overrides), eth_estimateGas, eth_createAccessList: message execution on a block's state. */
import { createAddress, precompileAddresses, getFork, isForkName } from '../../evm/index.ts'
import type { Methods } from '../context.ts'
import { ServerError } from '../errors.ts'
import { CallValidationError } from '../exec/apply.ts'
import { parseCallArgs } from '../exec/call-args.ts'
import { estimateGas } from '../exec/estimate.ts'
import { failure, vmError } from '../exec/outcome.ts'
import { parseBlockOverrides, parseStateOverrides } from '../exec/overrides.ts'
import { callBase, runCall } from '../exec/run-call.ts'
import { hex, qty } from '../format/hex.ts'
import { args, optionalBlock, type BlockSelector } from '../params.ts'
import { AccessListTracer } from '../tracers/access-list.ts'
import type { Address } from '../../primitives/index.ts'

const PENDING: BlockSelector = { tag: 'pending' }
const OUTPUT_ONLY = { outputOnly: true }

export const ethCallMethods: Methods = {
  eth_call(ctx, p) {
    const a = args(p, 4, 1)
    const call = parseCallArgs(a[0], 0)
    const base = callBase(ctx, optionalBlock(a[1], 1), parseStateOverrides(a[2], 2), parseBlockOverrides(a[3], 3))
    let out
    try {
      out = runCall(ctx, base, call, OUTPUT_ONLY)
    } catch (e) {
      // geth wraps consensus-level failures of a call this way
      if (e instanceof CallValidationError) throw new ServerError(`err: ${e.message} (supplied gas ${call.gas ?? ctx.limits.gasCap})`)
      throw e
    }
    const { status, output } = out.result.execution
    const err = failure(status, output)
    if (err) throw err
    return hex(output)
  },

  eth_estimateGas(ctx, p) {
    const a = args(p, 4, 1)
    const call = parseCallArgs(a[0], 0)
    const sel = a[1] == null ? PENDING : optionalBlock(a[1], 1)
    const base = callBase(ctx, sel, parseStateOverrides(a[2], 2), parseBlockOverrides(a[3], 3))
    return qty(estimateGas(ctx, base, call))
  },

  eth_createAccessList(ctx, p) {
    const a = args(p, 3, 1)
    const call = parseCallArgs(a[0], 0)
    const sel = a[1] == null ? PENDING : optionalBlock(a[1], 1)
    const base = callBase(ctx, sel, parseStateOverrides(a[2], 2))
    const from = call.from ?? new Uint8Array(20)
    const nonce = call.nonce ?? base.view.getAccount(from)?.nonce ?? 0n
    const to: Address = call.to ?? createAddress(from, nonce)
    const fork = base.x.fork
    const excluded = [from, to, ...(isForkName(fork) ? precompileAddresses(getFork(fork)) : [])]
    let prev = new AccessListTracer(call.accessList ?? [], excluded)
    for (let round = 0; ; round++) {
      const list = prev.accessList()
      const tracer = new AccessListTracer(list, excluded)
      let out
      try {
        out = runCall(ctx, base, { ...call, accessList: list }, { tracer })
      } catch (e) {
        if (e instanceof CallValidationError) throw new ServerError(`failed to apply transaction: err: ${e.message}`)
        throw e
      }
      // the list only grows; it settles within a few rounds (a bound keeps a pathological case finite)
      if (tracer.equals(prev) || round >= 16) {
        const result: Record<string, unknown> = {
          accessList: list.map((i) => ({ address: hex(i.address), storageKeys: i.storageKeys.map(hex) })),
          gasUsed: qty(out.result.gasUsed),
        }
        const err = vmError(out.result.execution.status)
        if (err) result.error = err
        return result
      }
      prev = tracer
    }
  },
}
