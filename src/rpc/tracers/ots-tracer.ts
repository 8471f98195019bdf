/**
 * Otterscan's tracer: every call frame of a transaction in the order it was entered — the
 * entries of ots_traceTransaction (type, depth, from, to, value, input, output), the internal
 * operations of ots_getInternalOperations (value transfers, creations, self-destructs below the
 * top frame), and the addresses the transaction touched with the contracts it created (the
 * address-appearance index). Erigon's shapes: calls to precompiles are left out of the trace, a
 * DELEGATECALL goes from the delegating contract to the code's address, STATICCALL and
 * DELEGATECALL carry no value, a SELFDESTRUCT is an entry one level below its frame with the
 * balance it moves.
 */
import type { TxAppearances } from '../../appearances/index.ts'
import type { ExecutionResult, Message, Tracer } from '../../evm/index.ts'
import type { Address } from '../../primitives/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { qty } from '../format/hex.ts'

/** One entry of ots_traceTransaction. */
interface Entry {
  type: string
  depth: number
  from: Address
  to: Address
  value: bigint | null
  input: Uint8Array
  output: Uint8Array
  /** Index of the enclosing frame's entry (-1 for the top frame). */
  parent: number
  failed: boolean
  precompile: boolean
}

/** Operation types of ots_getInternalOperations. */
export const OperationType = { transfer: 0, selfDestruct: 1, create: 2, create2: 3 } as const

interface Operation {
  type: number
  from: Address
  to: Address
  value: bigint
}

export interface OtsTracerDeps {
  isPrecompile(a: Address): boolean
}

const EMPTY = new Uint8Array(0)

export class OtsTracer implements Tracer {
  private readonly entries: Entry[] = []
  private readonly ops: Operation[] = []
  /** Entry indices of the open frames. */
  private readonly open: number[] = []

  constructor(private readonly deps: OtsTracerDeps) {}

  onEnter(msg: Message): void {
    const depth = msg.depth ?? 0
    const viaCode = msg.kind === 'delegatecall' || msg.kind === 'callcode'
    const from = msg.kind === 'delegatecall' ? msg.to : msg.caller
    const to = viaCode ? (msg.codeAddress ?? msg.to) : msg.to
    const noValue = msg.kind === 'staticcall' || msg.kind === 'delegatecall'
    this.entries.push({
      type: msg.kind.toUpperCase(),
      depth,
      from,
      to,
      value: noValue ? null : msg.value,
      input: msg.input,
      output: EMPTY,
      parent: this.open.at(-1) ?? -1,
      failed: false,
      precompile: msg.kind !== 'create' && msg.kind !== 'create2' && this.deps.isPrecompile(to),
    })
    this.open.push(this.entries.length - 1)
    if (depth === 0) return
    if (msg.kind === 'call' && msg.value !== 0n) this.ops.push({ type: OperationType.transfer, from, to, value: msg.value })
    else if (msg.kind === 'create') this.ops.push({ type: OperationType.create, from, to, value: msg.value })
    else if (msg.kind === 'create2') this.ops.push({ type: OperationType.create2, from, to, value: msg.value })
  }

  onExit(r: ExecutionResult): void {
    const i = this.open.pop()
    if (i === undefined) return
    const e = this.entries[i]!
    e.failed = r.status !== 'success'
    // a create's output is its runtime code: Erigon reports the returned bytes as they are
    if (r.status === 'success' || r.status === 'revert') e.output = r.output
  }

  onSelfDestruct(self: Address, beneficiary: Address, value: bigint): void {
    const i = this.open.at(-1)
    if (i === undefined) return
    this.entries.push({ type: 'SELFDESTRUCT', depth: this.entries[i]!.depth + 1, from: self, to: beneficiary, value, input: EMPTY, output: EMPTY, parent: i, failed: false, precompile: false })
    this.ops.push({ type: OperationType.selfDestruct, from: self, to: beneficiary, value })
  }

  /** ots_traceTransaction's entries. */
  trace(): Record<string, unknown>[] {
    return this.entries
      .filter((e) => !e.precompile)
      .map((e) => ({ type: e.type, depth: e.depth, from: bytesToHex(e.from), to: bytesToHex(e.to), value: e.value === null ? null : qty(e.value), input: bytesToHex(e.input), output: bytesToHex(e.output) }))
  }

  /** ots_getInternalOperations' operations. */
  operations(): Record<string, unknown>[] {
    return this.ops.map((o) => ({ type: o.type, from: bytesToHex(o.from), to: bytesToHex(o.to), value: qty(o.value) }))
  }

  /** The addresses the transaction touched and the contracts it created. */
  appearances(): TxAppearances {
    const touched: Address[] = []
    const created: TxAppearances['created'] = []
    const kept = (i: number): boolean => i < 0 || (!this.entries[i]!.failed && kept(this.entries[i]!.parent))
    for (const [i, e] of this.entries.entries()) {
      touched.push(e.from, e.to)
      if ((e.type === 'CREATE' || e.type === 'CREATE2') && kept(i)) created.push({ address: e.to, creator: e.from })
    }
    return { touched, created }
  }
}
