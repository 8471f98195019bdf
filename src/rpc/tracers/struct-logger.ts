/**
 * geth's default tracer (the struct logger): one entry per executed instruction — pc, op, gas
 * before it, its cost, depth (from 1), the stack (unless `disableStack`), memory in 32-byte
 * words (with `enableMemory`), and on SLOAD/SSTORE the storage seen so far for the executing
 * account (unless `disableStorage`). `limit` caps the entries (geth's option: the trace ends
 * there, silently). Each entry is serialized to JSON as it is taken, so a trace of millions of
 * steps is held as text, not as objects; past `maxBytes` of text the run is aborted with
 * -32003 (the response could not be sent whole anyway).
 */
import type { Message, Tracer } from '../../evm/index.ts'
import type { Address } from '../../primitives/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { ResponseTooLargeError } from '../errors.ts'
import { RawJson } from '../raw-json.ts'
import { OP, opName } from './opcodes.ts'

export interface StructLoggerOptions {
  disableStack?: boolean
  enableMemory?: boolean
  disableStorage?: boolean
  enableReturnData?: boolean
  /** 0 or absent: no limit. */
  limit?: number
}

const w64 = (n: bigint) => n.toString(16).padStart(64, '0')

export class StructLogger implements Tracer {
  /** The entries, each as JSON text. */
  private readonly entries: string[] = []
  private bytes = 0
  private readonly frames: Address[] = []
  /** Per account (hex), slot → value as geth accumulates them. */
  private readonly storage = new Map<string, Map<string, string>>()

  /** `read` gives a slot's current value (SLOAD results are read back after the step). */
  constructor(
    private readonly opts: StructLoggerOptions,
    private readonly read: (a: Address, slot: bigint) => bigint,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** The entries as a JSON array. */
  logs(): RawJson {
    return new RawJson(`[${this.entries.join(',')}]`)
  }

  onEnter(msg: Message): void {
    this.frames[msg.depth ?? 0] = msg.to
  }

  onStep(pc: number, op: number, gas: number, cost: number, stack: bigint[], memory: Uint8Array, depth: number): void {
    if (this.opts.limit && this.entries.length >= this.opts.limit) return
    const e: Record<string, unknown> = { pc, op: opName(op), gas, gasCost: cost, depth: depth + 1 }
    if (!this.opts.disableStack) e.stack = stack.map((v) => `0x${v.toString(16)}`)
    if (this.opts.enableMemory && memory.length > 0) {
      const words: string[] = []
      for (let i = 0; i < memory.length; i += 32) words.push(bytesToHex(memory.subarray(i, i + 32)).slice(2))
      e.memory = words
    }
    if (!this.opts.disableStorage && (op === OP.SLOAD || op === OP.SSTORE) && stack.length >= (op === OP.SSTORE ? 2 : 1)) {
      const me = this.frames[depth]!
      const k = bytesToHex(me)
      let s = this.storage.get(k)
      if (!s) this.storage.set(k, (s = new Map()))
      const slot = stack[stack.length - 1]!
      const value = op === OP.SSTORE ? stack[stack.length - 2]! : this.read(me, slot)
      s.set(w64(slot), w64(value))
      e.storage = Object.fromEntries(s)
    }
    const text = JSON.stringify(e)
    this.bytes += text.length + 1
    if (this.bytes > this.maxBytes)
      throw new ResponseTooLargeError(`trace larger than ${this.maxBytes} bytes (--rpc.response-max-size): set "limit", or "disableStack"/"disableStorage", or trace less`)
    this.entries.push(text)
  }
}
