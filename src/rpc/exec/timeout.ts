/**
 * Wall-clock limits for RPC execution (geth's RPCEVMTimeout). The EVM runs synchronously, so the
 * limit is a tracer hook that checks the clock and aborts by throwing `ExecutionTimeout` (the
 * caller reports geth's "execution aborted (timeout = 5s)"). Without a stepping tracer the
 * clock is read at every frame entry only, since a step hook puts the EVM on its slower traced
 * loop; a single frame's run time is then bounded by the gas cap. Inside a batch, the batch's
 * end (`RpcContext.batch`) bounds every call too: past it a call stops with -32000 "execution
 * timeout", the answer of calls not started in time.
 */
import type { Tracer } from '../../evm/index.ts'
import { ServerError } from '../errors.ts'

const CHECK_EVERY = 1024

export class ExecutionTimeout extends ServerError {
  override name = 'ExecutionTimeout'
}

export function timeoutMessage(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/** The batch's answer to a call past its time or gas budget (src/rpc/dispatch.ts). */
export const BATCH_TIMEOUT_MESSAGE = 'execution timeout'

/** `inner` plus clock checks; `ms` <= 0 means no limit; `batchEnd` (performance.now() time) is the batch's end. */
export function withDeadline(inner: Tracer | undefined, ms: number, what = 'execution aborted', batchEnd?: number): Tracer | undefined {
  const end = batchEnd ?? Infinity
  if (ms <= 0 && end === Infinity) return inner
  const deadline = ms <= 0 ? Infinity : performance.now() + ms
  const check = () => {
    const now = performance.now()
    if (now > end && end < deadline) throw new ExecutionTimeout(BATCH_TIMEOUT_MESSAGE)
    if (now > deadline) throw new ExecutionTimeout(`${what} (timeout = ${timeoutMessage(ms)})`)
  }
  const out: Tracer = {
    onEnter(msg) {
      check()
      inner?.onEnter?.(msg)
    },
  }
  if (inner?.onExit) out.onExit = inner.onExit.bind(inner)
  if (inner?.onSelfDestruct) out.onSelfDestruct = inner.onSelfDestruct.bind(inner)
  const step = inner?.onStep
  if (step) {
    let steps = 0
    out.onStep = (pc, op, gas, cost, stack, memory, depth) => {
      if (++steps % CHECK_EVERY === 0) check()
      step.call(inner, pc, op, gas, cost, stack, memory, depth)
    }
  }
  return out
}
