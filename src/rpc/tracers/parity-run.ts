/**
 * One Parity-style traced run (a replayed transaction or a trace_call): the trace types asked
 * for (`trace`, `vmTrace`, `stateDiff`), the tracers they need on one run, and the run's
 * TraceResults — `output`, `stateDiff` (null unless asked), `trace` (empty unless asked) and
 * `vmTrace` (null unless asked), in the order the other clients print them.
 */
import { getFork, isForkName, precompileAddresses, type ExecutionStatus, type Message, type Tracer } from '../../evm/index.ts'
import { bytesToHex, type Address } from '../../primitives/index.ts'
import type { JournaledState, StateDiff } from '../../state/index.ts'
import { InvalidParamsError } from '../errors.ts'
import { array, field, type At } from '../params.ts'
import { parityStateDiff } from './parity-state-diff.ts'
import { ParityTracer, type ParityTrace } from './parity-tracer.ts'
import { VmTracer } from './vm-tracer.ts'

export type TraceType = 'trace' | 'vmTrace' | 'stateDiff'
const TRACE_TYPES: readonly string[] = ['trace', 'vmTrace', 'stateDiff']

/** The trace types argument: a list of "trace", "vmTrace", "stateDiff" (possibly empty). */
export function parseTraceTypes(v: unknown, at: At): Set<TraceType> {
  const list = array(v, at, 3 * 4)
  return new Set(
    list.map((t, i) => {
      if (typeof t !== 'string' || !TRACE_TYPES.includes(t)) throw new InvalidParamsError(`invalid argument ${field(at, i)}: unknown trace type ${JSON.stringify(t)}, expected "trace", "vmTrace" or "stateDiff"`)
      return t as TraceType
    }),
  )
}

/** What the run's first message was, for a top frame the EVM never entered. */
export interface TopCall {
  kind: 'call' | 'create'
  from: Address
  to: Address
  value: bigint
  input: Uint8Array
  gas: bigint
}

export interface RunOutcome {
  status: ExecutionStatus
  output: Uint8Array
  diff: StateDiff
}

export interface ParityRun {
  tracer: Tracer
  /** The flat call traces alone (trace_block, trace_transaction). */
  traces(o: RunOutcome): ParityTrace[]
  results(o: RunOutcome): Record<string, unknown>
}

const precompileSets = new Map<string, ReadonlySet<string>>()
function precompilesOf(fork: string): ReadonlySet<string> {
  let s = precompileSets.get(fork)
  if (!s) precompileSets.set(fork, (s = new Set(isForkName(fork) ? precompileAddresses(getFork(fork)).map((a) => bytesToHex(a)) : [])))
  return s
}

/** Forwards every hook to each tracer in turn (no step hook unless one steps: the EVM's fast loop stays on). */
function fanOut(list: Tracer[]): Tracer {
  if (list.length === 1) return list[0]!
  const out: Tracer = {
    onEnter: (m) => list.forEach((t) => t.onEnter?.(m)),
    onExit: (r, d) => list.forEach((t) => t.onExit?.(r, d)),
    onSelfDestruct: (a, b, v, depth) => list.forEach((t) => t.onSelfDestruct?.(a, b, v, depth)),
  }
  if (list.some((t) => t.onStep)) out.onStep = (pc, op, gas, cost, stack, memory, depth) => list.forEach((t) => t.onStep?.(pc, op, gas, cost, stack, memory, depth))
  return out
}

/** `fork` names the precompiles. */
export function startParityRun(types: ReadonlySet<TraceType>, state: JournaledState, fork: string, top: TopCall): ParityRun {
  const calls = new ParityTracer(precompilesOf(fork))
  const vm = types.has('vmTrace') ? new VmTracer((a) => state.getCode(a)) : undefined
  const fallback = (status: ExecutionStatus): { msg: Message; status: ExecutionStatus } => ({
    msg: { kind: top.kind, caller: top.from, to: top.to, value: top.value, input: top.input, gas: top.gas },
    status,
  })
  return {
    tracer: fanOut(vm ? [calls, vm] : [calls]),
    traces: (o) => calls.traces(fallback(o.status)),
    results: (o) => ({
      output: bytesToHex(o.output),
      stateDiff: types.has('stateDiff') ? parityStateDiff(o.diff) : null,
      trace: types.has('trace') ? calls.traces(fallback(o.status)) : [],
      vmTrace: vm ? vm.result() : null,
    }),
  }
}
