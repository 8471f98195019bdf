/**
 * Records the addresses and storage slots a run touches (eth_createAccessList): SLOAD/SSTORE
 * slots of the executing account, the targets of BALANCE, EXTCODE*, SELFDESTRUCT and the CALL
 * family. The sender, the recipient and the precompiles are left out (always warm), as in geth.
 */
import type { Tracer } from '../../evm/index.ts'
import { bigintToWord, bytesToHex, hexToBytes, type Address } from '../../primitives/index.ts'
import type { AccessList } from '../../types/index.ts'

const SLOAD = 0x54, SSTORE = 0x55
const ADDRESS_TOP = new Set([0x31, 0x3b, 0x3c, 0x3f, 0xff]) // BALANCE, EXTCODESIZE, EXTCODECOPY, EXTCODEHASH, SELFDESTRUCT
const ADDRESS_SECOND = new Set([0xf1, 0xf2, 0xf4, 0xfa]) // CALL, CALLCODE, DELEGATECALL, STATICCALL

export class AccessListTracer implements Tracer {
  /** address hex → slot hex set, in first-seen order. */
  private readonly list = new Map<string, Set<string>>()
  private readonly excluded: Set<string>
  private readonly frames: Address[] = []

  constructor(initial: AccessList, excluded: readonly Address[]) {
    this.excluded = new Set(excluded.map(bytesToHex))
    for (const item of initial) {
      const slots = this.entry(item.address)
      for (const k of item.storageKeys) slots?.add(bytesToHex(k))
    }
  }

  private entry(a: Address): Set<string> | undefined {
    const k = bytesToHex(a)
    if (this.excluded.has(k)) return undefined
    let s = this.list.get(k)
    if (!s) this.list.set(k, (s = new Set()))
    return s
  }

  onEnter(msg: { to: Address; depth?: number }): void {
    this.frames[msg.depth ?? 0] = msg.to
  }

  onStep(_pc: number, op: number, _gas: number, _cost: number, stack: bigint[], _mem: Uint8Array, depth: number): void {
    const n = stack.length
    if ((op === SLOAD || op === SSTORE) && n >= 1) {
      const me = this.frames[depth]
      if (me) this.entry(me)?.add(bytesToHex(bigintToWord(stack[n - 1]!)))
    } else if (ADDRESS_TOP.has(op) && n >= 1) this.entry(toAddress(stack[n - 1]!))
    else if (ADDRESS_SECOND.has(op) && n >= 2) this.entry(toAddress(stack[n - 2]!))
  }

  accessList(): AccessList {
    return [...this.list].map(([a, slots]) => ({ address: hexToBytes(a), storageKeys: [...slots].map((k) => hexToBytes(k)) }))
  }

  /** Same addresses and slots. */
  equals(other: AccessListTracer): boolean {
    if (other.list.size !== this.list.size) return false
    for (const [a, s] of this.list) {
      const o = other.list.get(a)
      if (!o || o.size !== s.size) return false
      for (const k of s) if (!o.has(k)) return false
    }
    return true
  }
}

function toAddress(w: bigint): Address {
  return bigintToWord(w & ((1n << 160n) - 1n), 20)
}
