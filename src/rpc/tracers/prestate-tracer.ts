/**
 * geth's `prestateTracer`: the accounts (and storage slots) a transaction touched, as they were
 * before it — sender, recipient, coinbase, every account reached by a call, create, BALANCE,
 * EXTCODE* or SELFDESTRUCT, every slot read or written. Accounts that did not exist are
 * kept with balance 0, except those the transaction created. With `diffMode`, `{pre, post}` of
 * the accounts it changed: `pre` with the changed non-zero slots, `post` with only what changed
 * (zeroed slots left out). Pre values come from the transaction's state diff; what it did not
 * change reads the same after.
 */
import type { Message, Tracer } from '../../evm/index.ts'
import { keccak256 } from '../../crypto/index.ts'
import { bigintToWord, bytesToHex, hexToBytes, type Address } from '../../primitives/index.ts'
import { addressKey, type AccountInfo, type StateDiff } from '../../state/index.ts'
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
  /** Accounts created by the transaction (its create target, CREATE and CREATE2 results). */
  private readonly created = new Set<string>()

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
    if (msg.kind === 'create' || msg.kind === 'create2') this.created.add(bytesToHex(msg.to))
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

  private account(info: AccountInfo, slots: Iterable<[bigint, bigint]>): Record<string, unknown> {
    const o: Record<string, unknown> = { balance: qty(info.balance) }
    if (!this.opts.disableCode && info.code.length > 0) {
      o.code = bytesToHex(info.code)
      o.codeHash = bytesToHex(keccak256(info.code))
    }
    if (info.nonce > 0n) o.nonce = Number(info.nonce)
    const list = [...slots]
    if (!this.opts.disableStorage && list.length > 0) o.storage = Object.fromEntries(list.map(([k, v]) => [hexWord(k), hexWord(v)]))
    return o
  }

  result(post: PostState, diff: StateDiff): Record<string, unknown> {
    for (const d of diff.values()) this.touch(d.address)
    const pre = new Map<string, { address: Address; info: AccountInfo; existed: boolean; slots: Map<bigint, bigint> }>()
    for (const [k, touchedSlots] of this.touched) {
      const a = hexToBytes(k)
      const d = diff.get(addressKey(a))
      const before = d ? d.before : post.exists(a) ? { balance: post.getBalance(a), nonce: post.getNonce(a), code: post.getCode(a) } : undefined
      const slots = new Map<bigint, bigint>()
      for (const s of touchedSlots) slots.set(s, d?.storage.get(s)?.[0] ?? (d?.storageCleared ? 0n : post.getStorage(a, s)))
      pre.set(k, { address: a, info: before ?? { balance: 0n, nonce: 0n, code: new Uint8Array(0) }, existed: before !== undefined, slots })
    }
    // as geth: accounts created by the transaction had no prestate
    const createdEmpty = (k: string) => this.created.has(k) && !pre.get(k)!.existed
    if (!this.opts.diffMode) {
      const out: Record<string, unknown> = {}
      for (const [k, p] of pre) if (!createdEmpty(k)) out[k] = this.account(p.info, p.slots)
      return out
    }
    const preOut: Record<string, unknown> = {}
    const postOut: Record<string, unknown> = {}
    for (const [k, p] of pre) {
      const d = diff.get(addressKey(p.address))
      if (d && d.before && !d.after) {
        preOut[k] = this.account(p.info, p.slots) // destroyed: kept in pre, absent from post
        continue
      }
      const q: Record<string, unknown> = {}
      let modified = false
      const balance = post.getBalance(p.address), nonce = post.getNonce(p.address), code = post.getCode(p.address)
      if (balance !== p.info.balance) (modified = true), (q.balance = qty(balance))
      if (nonce !== p.info.nonce) (modified = true), (q.nonce = Number(nonce))
      if (!this.opts.disableCode && bytesToHex(code) !== bytesToHex(p.info.code)) {
        modified = true
        q.code = bytesToHex(code)
        if (code.length > 0) q.codeHash = bytesToHex(keccak256(code))
      }
      const preSlots = new Map<bigint, bigint>()
      const postSlots = new Map<bigint, bigint>()
      if (!this.opts.disableStorage)
        for (const [s, v] of p.slots) {
          const now = post.getStorage(p.address, s)
          if (now === v) continue
          modified = true
          if (v !== 0n) preSlots.set(s, v)
          if (now !== 0n) postSlots.set(s, now)
        }
      if (!modified) continue
      if (postSlots.size > 0) q.storage = Object.fromEntries([...postSlots].map(([s, v]) => [hexWord(s), hexWord(v)]))
      postOut[k] = q
      if (!createdEmpty(k)) preOut[k] = this.account(p.info, preSlots)
    }
    return { post: postOut, pre: preOut }
  }
}
