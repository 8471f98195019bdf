/**
 * geth's `prestateTracer`: the accounts (and storage slots) a transaction touched, as they were
 * before it — sender, recipient, coinbase, every account reached by a call, create, BALANCE,
 * EXTCODE* or SELFDESTRUCT, every slot read or written. Accounts that did not exist are left
 * out. With `diffMode`, `{pre, post}` of the accounts the transaction changed: `pre` with the
 * changed slots only, `post` with only what changed. Pre values come from the transaction's
 * state diff; what it did not change reads the same after.
 */
import type { Message, Tracer } from '../../evm/index.ts'
import { keccak256 } from '../../crypto/index.ts'
import { bigintToWord, bytesToHex, hexToBytes, type Address } from '../../primitives/index.ts'
import type { AccountInfo, StateDiff } from '../../state/index.ts'
import { addressKey } from '../../state/index.ts'
import { qty } from '../format/hex.ts'
import { OP } from './opcodes.ts'

export interface PrestateOptions {
  diffMode?: boolean
  disableCode?: boolean
  disableStorage?: boolean
}

/** Reads of the state after the transaction. */
export interface PostState {
  exists(a: Address): boolean
  getBalance(a: Address): bigint
  getNonce(a: Address): bigint
  getCode(a: Address): Uint8Array
  getStorage(a: Address, slot: bigint): bigint
}

const ADDRESS_TOP = new Set([0x31, 0x3b, 0x3c, 0x3f, 0xff])
const ADDRESS_SECOND = new Set([0xf1, 0xf2, 0xf4, 0xfa])
const hexWord = (n: bigint) => bytesToHex(bigintToWord(n))
const toAddress = (w: bigint): Address => bigintToWord(w & ((1n << 160n) - 1n), 20)

export class PrestateTracer implements Tracer {
  private readonly touched = new Map<string, Set<bigint>>()
  private readonly frames: Address[] = []

  constructor(private readonly opts: PrestateOptions, always: readonly Address[]) {
    for (const a of always) this.touch(a)
  }

  private touch(a: Address): Set<bigint> {
    const k = bytesToHex(a)
    let s = this.touched.get(k)
    if (!s) this.touched.set(k, (s = new Set()))
    return s
  }

  onEnter(msg: Message): void {
    this.frames[msg.depth ?? 0] = msg.to
    this.touch(msg.caller)
    this.touch(msg.to)
    if (msg.codeAddress) this.touch(msg.codeAddress)
  }

  onStep(_pc: number, op: number, _gas: number, _cost: number, stack: bigint[], _mem: Uint8Array, depth: number): void {
    const n = stack.length
    if ((op === OP.SLOAD || op === OP.SSTORE) && n >= 1) this.touch(this.frames[depth]!).add(stack[n - 1]!)
    else if (ADDRESS_TOP.has(op) && n >= 1) this.touch(toAddress(stack[n - 1]!))
    else if (ADDRESS_SECOND.has(op) && n >= 2) this.touch(toAddress(stack[n - 2]!))
  }

  private account(info: AccountInfo, slots: [bigint, bigint][]): Record<string, unknown> {
    const o: Record<string, unknown> = { balance: qty(info.balance) }
    if (!this.opts.disableCode && info.code.length > 0) {
      o.code = bytesToHex(info.code)
      o.codeHash = bytesToHex(keccak256(info.code))
    }
    if (info.nonce > 0n) o.nonce = Number(info.nonce)
    if (!this.opts.disableStorage && slots.length > 0) o.storage = Object.fromEntries(slots.map(([k, v]) => [hexWord(k), hexWord(v)]))
    return o
  }

  result(post: PostState, diff: StateDiff): Record<string, unknown> {
    const preOf = (a: Address): AccountInfo | undefined => {
      const d = diff.get(addressKey(a))
      if (d) return d.before
      return post.exists(a) ? { balance: post.getBalance(a), nonce: post.getNonce(a), code: post.getCode(a) } : undefined
    }
    const preSlot = (a: Address, slot: bigint): bigint => diff.get(addressKey(a))?.storage.get(slot)?.[0] ?? post.getStorage(a, slot)
    if (!this.opts.diffMode) {
      const out: Record<string, unknown> = {}
      for (const [k, slots] of this.touched) {
        const a = hexToBytes(k)
        const info = preOf(a)
        if (!info) continue
        out[k] = this.account(info, [...slots].map((s) => [s, preSlot(a, s)]))
      }
      return out
    }
    const pre: Record<string, unknown> = {}
    const postOut: Record<string, unknown> = {}
    for (const d of diff.values()) {
      const k = bytesToHex(d.address)
      const changed = [...d.storage]
      if (d.before) pre[k] = this.account(d.before, changed.map(([s, [b]]) => [s, b]))
      if (!d.after) continue
      const p: Record<string, unknown> = {}
      if (!d.before || d.before.balance !== d.after.balance) p.balance = qty(d.after.balance)
      if (!this.opts.disableCode && d.after.code.length > 0 && (!d.before || bytesToHex(d.before.code) !== bytesToHex(d.after.code))) {
        p.code = bytesToHex(d.after.code)
        p.codeHash = bytesToHex(keccak256(d.after.code))
      }
      if ((!d.before || d.before.nonce !== d.after.nonce) && d.after.nonce > 0n) p.nonce = Number(d.after.nonce)
      const slots = changed.filter(([, [, a]]) => a !== 0n)
      if (!this.opts.disableStorage && slots.length > 0) p.storage = Object.fromEntries(slots.map(([s, [, a]]) => [hexWord(s), hexWord(a)]))
      postOut[k] = p
    }
    return { post: postOut, pre }
  }
}
