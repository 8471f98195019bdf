/**
 * geth's `callTracer`: the tree of call frames — type, from, to, value (not for STATICCALL),
 * gas and gasUsed, input, output, geth's error text, the decoded revert reason (a SELFDESTRUCT is
 * a frame of its own, as in geth: gas 0, the balance it moves as value); with
 * `onlyTopCall` only the transaction's frame, with `withLog` the logs each frame emitted (with
 * their position among its calls; dropped for frames that failed). The top frame's gas and
 * gasUsed are the transaction's, set by `finish`.
 */
import type { ExecutionResult, Message, Tracer } from '../../evm/index.ts'
import { bigintToWord, bytesToHex, type Address } from '../../primitives/index.ts'
import { decodeRevertReason } from '../errors.ts'
import { vmError } from '../exec/outcome.ts'
import { qty } from '../format/hex.ts'
import { OP } from './opcodes.ts'

export interface CallTracerOptions {
  onlyTopCall?: boolean
  withLog?: boolean
}

interface Frame {
  type: string
  from: Address
  to: Address
  /** The account whose storage and logs the code acts on. */
  self: Address
  value?: bigint
  gas: bigint
  gasUsed?: bigint
  input: Uint8Array
  output?: Uint8Array
  error?: string
  revertReason?: string
  calls: Frame[]
  logs: { address: Address; topics: bigint[]; data: Uint8Array; position: number }[]
}

export class CallTracer implements Tracer {
  private readonly stack: Frame[] = []
  private root?: Frame

  constructor(private readonly opts: CallTracerOptions = {}) {}

  onEnter(msg: Message): void {
    const depth = msg.depth ?? 0
    if (depth > 0 && this.opts.onlyTopCall) return
    // geth's view: a DELEGATECALL comes from the delegating contract and goes to the code's address
    const viaCode = msg.kind === 'delegatecall' || msg.kind === 'callcode'
    const f: Frame = {
      type: msg.kind.toUpperCase(),
      from: msg.kind === 'delegatecall' ? msg.to : msg.caller,
      to: viaCode ? (msg.codeAddress ?? msg.to) : msg.to,
      self: msg.to,
      value: msg.kind === 'staticcall' ? undefined : msg.value,
      gas: BigInt(msg.gas),
      input: msg.input,
      calls: [],
      logs: [],
    }
    if (depth === 0) this.root = f
    this.stack.push(f)
  }

  onExit(r: ExecutionResult, depth: number): void {
    if (depth > 0 && this.opts.onlyTopCall) return
    const f = this.stack.pop()
    if (!f) return
    f.gasUsed = f.gas - (r.gasLeftWide ?? BigInt(r.gasLeft))
    if (r.status === 'success') f.output = r.output
    else {
      f.error = vmError(r.status)
      if (r.status === 'revert' && r.output.length > 0) {
        f.output = r.output
        f.revertReason = decodeRevertReason(r.output)
      }
    }
    const parent = this.stack.at(-1)
    if (parent && depth > 0) parent.calls.push(f)
  }

  /** geth's SELFDESTRUCT frame: from the destroyed account to the beneficiary, with the balance it moves. */
  onSelfDestruct(self: Address, beneficiary: Address, balance: bigint, depth: number): void {
    if (this.opts.onlyTopCall) return
    const parent = this.stack.at(-1)
    if (!parent || depth !== this.stack.length - 1) return
    parent.calls.push({ type: 'SELFDESTRUCT', from: self, to: beneficiary, self, value: balance, gas: 0n, gasUsed: 0n, input: new Uint8Array(0), calls: [], logs: [] })
  }

  onStep(_pc: number, op: number, _gas: number, _cost: number, stack: bigint[], memory: Uint8Array, depth: number): void {
    if (!this.opts.withLog || op < OP.LOG0 || op > OP.LOG4) return
    if (depth > 0 && this.opts.onlyTopCall) return
    const f = this.stack.at(-1)
    const n = stack.length
    const topics = op - OP.LOG0
    if (!f || n < 2 + topics) return
    const offset = Number(stack[n - 1]!), size = Number(stack[n - 2]!)
    f.logs.push({
      address: f.self,
      topics: Array.from({ length: topics }, (_, i) => stack[n - 3 - i]!),
      data: memory.slice(offset, offset + size),
      position: f.calls.length,
    })
  }

  /**
   * The result. `tx` carries what the top frame reports for the whole transaction (gas limit
   * and gas used); `msg` stands in for a top frame the EVM never entered (a create collision).
   */
  result(tx: { gas: bigint; gasUsed: bigint }, fallback: { msg: Message; result: ExecutionResult }): Record<string, unknown> {
    if (!this.root) {
      this.onEnter(fallback.msg)
      this.onExit(fallback.result, 0)
    }
    const root = this.root!
    if (this.opts.withLog) clearFailedLogs(root, false)
    return json(root, tx)
  }
}

function clearFailedLogs(f: Frame, parentFailed: boolean): void {
  const failed = parentFailed || f.error !== undefined
  if (failed) f.logs = []
  for (const c of f.calls) clearFailedLogs(c, failed)
}

function json(f: Frame, top?: { gas: bigint; gasUsed: bigint }): Record<string, unknown> {
  const o: Record<string, unknown> = {
    type: f.type,
    from: bytesToHex(f.from),
    gas: qty(top ? top.gas : f.gas),
    gasUsed: qty(top ? top.gasUsed : f.gasUsed ?? 0n),
  }
  const failedCreate = f.error !== undefined && (f.type === 'CREATE' || f.type === 'CREATE2')
  if (!failedCreate) o.to = bytesToHex(f.to)
  o.input = bytesToHex(f.input)
  if (f.output && f.output.length > 0) o.output = bytesToHex(f.output)
  if (f.error) o.error = f.error
  if (f.revertReason) o.revertReason = f.revertReason
  if (f.calls.length) o.calls = f.calls.map((c) => json(c))
  if (f.logs.length)
    o.logs = f.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(bigintToWord(t))), data: bytesToHex(l.data), position: qty(l.position) }))
  if (f.value !== undefined) o.value = qty(f.value)
  return o
}
