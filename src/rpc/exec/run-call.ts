/**
 * One RPC call from arguments to result: state at the selected block with overrides, the block
 * environment with overrides, geth's zero-fee rule (a call without fees sees base fee 0, and
 * blob base fee 0 when it gives blob hashes without a blob fee cap), the deadline.
 */
import type { SignatureOverrides, Tracer } from '../../evm/index.ts'
import { JournaledState, type AccountReader } from '../../state/index.ts'
import type { Header } from '../../types/index.ts'
import { executionHeader, requireState } from '../blocks.ts'
import type { RpcContext } from '../context.ts'
import type { BlockSelector } from '../params.ts'
import type { TransactResult } from '../../executor/index.ts'
import { applyMessage, CALL_POLICY, RUN_POLICY } from './apply.ts'
import type { CallArgs } from './call-args.ts'
import { blockContext, execEnv, type BlockOverrides, type ExecEnv } from './env.ts'
import { toMessage, type CallMessage } from './message.ts'
import { overlay, type StateOverrides } from './overrides.ts'
import { withDeadline } from './timeout.ts'

export interface CallBase {
  /** The block whose state the call runs on. */
  header: Header
  view: AccountReader
  x: ExecEnv
  /** The node's ecrecover overrides (a dev node's anvil_impersonateSignature). */
  signatures?: SignatureOverrides
}

export function callBase(ctx: RpcContext, sel: BlockSelector, state?: StateOverrides, block?: BlockOverrides): CallBase {
  const { header, state: view } = requireState(ctx, sel)
  return { header, view: overlay(view, state), x: execEnv(ctx.chain, executionHeader(ctx, sel, header), block), signatures: ctx.signatures }
}

/** A journaled state for `msg` on `base`, with the zero-fee view of the block. */
export function callState(base: CallBase, msg: CallMessage, view: AccountReader = base.view): JournaledState {
  const block = blockContext(base.x.env)
  if (msg.zeroFees) block.baseFee = 0n
  if (msg.blobHashes.length > 0 && msg.blobFeeCap === 0n) block.blobBaseFee = 0n
  return new JournaledState(view, { block, blockHash: base.x.blockHash, signatures: base.signatures })
}

export interface RunOptions {
  gas?: bigint
  tracer?: Tracer
  /** Only the outcome is read (eth_call: CALL_POLICY); else the state changes too (RUN_POLICY). */
  outputOnly?: boolean
  timeoutMs?: number
  /** Gets the run's state before it starts and may return the tracer (tracers that read state). */
  onState?: (state: JournaledState) => Tracer | undefined
}

const NO_OPTIONS: RunOptions = {}

export function runCall(ctx: RpcContext, base: CallBase, args: CallArgs, opts: RunOptions = NO_OPTIONS): { msg: CallMessage; result: TransactResult } {
  const msg = toMessage(opts.gas !== undefined ? { ...args, gas: opts.gas } : args, base.x, ctx.limits.gasCap)
  const state = callState(base, msg)
  const tracer: Tracer | undefined = withDeadline(opts.onState?.(state) ?? opts.tracer, opts.timeoutMs ?? ctx.limits.evmTimeoutMs, undefined, ctx.batch?.end)
  const x = state.block.baseFee === base.x.env.baseFee && state.block.blobBaseFee === base.x.env.blobBaseFee ? base.x : { ...base.x, env: { ...base.x.env, baseFee: state.block.baseFee, blobBaseFee: state.block.blobBaseFee } }
  const result = applyMessage(state, msg, x, opts.outputOnly ? CALL_POLICY : RUN_POLICY, tracer)
  if (ctx.batch) ctx.batch.gasUsed += result.gasUsed
  return { msg, result }
}
