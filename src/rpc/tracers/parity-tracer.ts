/**
 * Parity-style call traces (OpenEthereum's `trace`, as Erigon and reth serve it): the frames of a
 * transaction flattened depth first, each with its action (call: from, callType, gas, input, to,
 * value; create: from, gas, init, value, creationMethod), its result (call: gasUsed, output;
 * create: address, code, gasUsed; null when the frame halted), Parity's error text, the number
 * of its subtraces and its traceAddress. A SELFDESTRUCT adds a `suicide` trace (address,
 * refundAddress, balance) as the last child of its frame. `gas` is what the frame was given (the
 * top frame: the transaction's gas after intrinsic gas), `gasUsed` what it spent before refunds.
 * Calls to precompiles are left out unless they are the top frame or carry value (OpenEthereum's
 * rule, kept by Erigon and reth).
 */
import type { CallKind, ExecutionResult, ExecutionStatus, Message, Tracer } from '../../evm/index.ts'
import { bytesToHex, type Address } from '../../primitives/index.ts'
import { qty } from '../format/hex.ts'

/** OpenEthereum's error texts (its TraceError), as Erigon and reth print them. */
const PARITY_ERRORS: Record<Exclude<ExecutionStatus, 'success'>, string> = {
  revert: 'Reverted',
  outOfGas: 'Out of gas',
  invalidOpcode: 'Bad instruction',
  stackUnderflow: 'Stack underflow',
  stackOverflow: 'Out of stack',
  invalidJump: 'Bad jump destination',
  staticStateChange: 'Mutable Call In Static Context',
  returnDataOutOfBounds: 'Out of bounds',
  invalidContractPrefix: 'Bad instruction',
  codeSizeLimit: 'Out of gas',
  precompileError: 'Built-in failed',
  createCollision: 'Contract address collision',
}

/** One trace of the flat list (the `trace` of trace_replay*, without block and transaction). */
export interface ParityTrace {
  type: 'call' | 'create' | 'suicide'
  action: Record<string, unknown>
  error?: string
  result: Record<string, unknown> | null
  subtraces: number
  traceAddress: number[]
}

interface Frame {
  kind: CallKind
  from: Address
  to: Address
  /** The account the code acts on (destroyed by SELFDESTRUCT). */
  self: Address
  value: bigint
  gas: bigint
  input: Uint8Array
  status?: ExecutionStatus
  gasUsed: bigint
  output: Uint8Array
  /** Left out of the traces (a call to a precompile). */
  hidden: boolean
  children: Frame[]
  selfdestruct?: { refund: Address; balance: bigint }
}

const isCreate = (k: CallKind) => k === 'create' || k === 'create2'

export class ParityTracer implements Tracer {
  private readonly stack: Frame[] = []
  private root?: Frame

  /** `precompiles`: the fork's precompile addresses (lower-case hex). */
  constructor(private readonly precompiles: ReadonlySet<string>) {}


  onEnter(msg: Message): void {
    const depth = msg.depth ?? 0
    const code = msg.codeAddress ?? msg.to
    // a DELEGATECALL or CALLCODE comes from the contract that makes it and goes to the code it runs
    const viaCode = msg.kind === 'delegatecall' || msg.kind === 'callcode'
    const f: Frame = {
      kind: msg.kind,
      from: viaCode ? msg.to : msg.caller,
      to: viaCode ? code : msg.to,
      self: msg.to,
      value: msg.value,
      gas: BigInt(msg.gas),
      input: msg.input,
      gasUsed: 0n,
      output: new Uint8Array(0),
      hidden: depth > 0 && msg.value === 0n && !isCreate(msg.kind) && this.precompiles.has(bytesToHex(code)),
      children: [],
    }
    if (depth === 0) this.root = f
    this.stack.push(f)
  }

  onSelfDestruct(_address: Address, beneficiary: Address, balance: bigint): void {
    const f = this.stack.at(-1)
    if (f) f.selfdestruct = { refund: beneficiary, balance }
  }

  onExit(r: ExecutionResult): void {
    const f = this.stack.pop()
    if (!f) return
    f.status = r.status
    f.gasUsed = f.gas - (r.gasLeftWide ?? BigInt(r.gasLeft))
    f.output = r.output
    // a SELFDESTRUCT that ran out of gas (or hit a static frame) destroyed nothing
    if (r.status !== 'success') f.selfdestruct = undefined
    const parent = this.stack.at(-1)
    if (parent && !f.hidden) parent.children.push(f)
  }

  /**
   * The flat list. `fallback` stands in for a top frame the EVM never entered (a transaction
   * creating onto an occupied address).
   */
  traces(fallback: { msg: Message; status: ExecutionStatus }): ParityTrace[] {
    if (!this.root) {
      this.onEnter(fallback.msg)
      this.onExit({ status: fallback.status, gasLeft: 0, gasRefund: 0, output: new Uint8Array(0), logs: [] })
    }
    const out: ParityTrace[] = []
    flatten(this.root!, [], out)
    return out
  }
}

function flatten(f: Frame, traceAddress: number[], out: ParityTrace[]): void {
  const status = f.status ?? 'success'
  const create = isCreate(f.kind)
  const action: Record<string, unknown> = create
    ? { from: bytesToHex(f.from), gas: qty(f.gas), init: bytesToHex(f.input), value: qty(f.value), creationMethod: f.kind }
    : { from: bytesToHex(f.from), callType: f.kind, gas: qty(f.gas), input: bytesToHex(f.input), to: bytesToHex(f.to), value: qty(f.value) }
  const t: ParityTrace = { type: create ? 'create' : 'call', action, result: null, subtraces: f.children.length + (f.selfdestruct ? 1 : 0), traceAddress }
  if (status !== 'success') t.error = PARITY_ERRORS[status]
  if (status === 'success' || status === 'revert')
    t.result = create ? { address: bytesToHex(f.to), code: bytesToHex(f.output), gasUsed: qty(f.gasUsed) } : { gasUsed: qty(f.gasUsed), output: bytesToHex(f.output) }
  // key order as the other clients print it
  out.push(t.error === undefined ? { type: t.type, action, result: t.result, subtraces: t.subtraces, traceAddress } : { type: t.type, action, error: t.error, result: t.result, subtraces: t.subtraces, traceAddress })
  f.children.forEach((c, i) => flatten(c, [...traceAddress, i], out))
  if (f.selfdestruct)
    out.push({
      type: 'suicide',
      action: { address: bytesToHex(f.self), refundAddress: bytesToHex(f.selfdestruct.refund), balance: qty(f.selfdestruct.balance) },
      result: null,
      subtraces: 0,
      traceAddress: [...traceAddress, f.children.length],
    })
}
