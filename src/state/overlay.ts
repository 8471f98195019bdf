/**
 * The state at another block, seen through change sets stacked on a flat base: `undo` a
 * block's set to step back to its parent, `redo` one to step forward onto a child (a side
 * branch). Reads hit the composed maps first and fall through to the base. Consumers: RPC reads
 * at recent blocks, import of blocks whose parent is not the head.
 */
import { type Address } from '../primitives/index.ts'
import type { ChangeSet } from './changeset.ts'
import type { CodeSource, FlatAccount, FlatReader } from './flat-state.ts'
import { addressKey } from './key.ts'
import type { AccountInfo } from './types.ts'

export class StateOverlay implements FlatReader {
  /** null: the account does not exist here. */
  private readonly accounts = new Map<string, FlatAccount | null>()
  private readonly slots = new Map<string, Map<bigint, bigint>>()
  /** Accounts whose storage is fully described by `slots` (the base's is not visible). */
  private readonly wiped = new Set<string>()

  constructor(private readonly base: FlatReader) {}

  get code(): CodeSource {
    return this.base.code
  }

  /** Steps back over a block: its changes are undone (apply newest first). */
  undo(cs: ChangeSet): this {
    for (const c of cs) {
      const k = addressKey(c.address)
      this.accounts.set(k, c.before ?? null)
      if (c.cleared) {
        this.wiped.add(k)
        this.slots.set(k, new Map(c.wiped))
      }
      const m = this.slotMap(k)
      for (const [slot, before] of c.slots) m.set(slot, before)
    }
    return this
  }

  /** Steps forward over a block (apply oldest first). */
  redo(cs: ChangeSet): this {
    for (const c of cs) {
      const k = addressKey(c.address)
      this.accounts.set(k, c.after ?? null)
      if (c.cleared || !c.after) {
        this.wiped.add(k)
        this.slots.set(k, new Map())
      }
      const m = this.slotMap(k)
      for (const [slot, , after] of c.slots) m.set(slot, after)
    }
    return this
  }

  private slotMap(k: string): Map<bigint, bigint> {
    let m = this.slots.get(k)
    if (!m) this.slots.set(k, (m = new Map()))
    return m
  }

  getFlatAccount(address: Address): FlatAccount | undefined {
    const k = addressKey(address)
    const a = this.accounts.get(k)
    if (a !== undefined) return a ?? undefined
    return this.base.getFlatAccount(address)
  }

  getAccount(address: Address): AccountInfo | undefined {
    const k = addressKey(address)
    const a = this.accounts.get(k)
    if (a === undefined) return this.base.getAccount(address)
    return a ? { nonce: a.nonce, balance: a.balance, code: this.base.code.get(a.codeHash) } : undefined
  }

  getStorage(address: Address, key: bigint): bigint {
    const k = addressKey(address)
    const v = this.slots.get(k)?.get(key)
    if (v !== undefined) return v
    return this.wiped.has(k) ? 0n : this.base.getStorage(address, key)
  }

  hasStorage(address: Address): boolean {
    for (const _ of this.storageEntries(address)) return true
    return false
  }

  *storageEntries(address: Address): Iterable<[bigint, bigint]> {
    const k = addressKey(address)
    const m = this.slots.get(k)
    if (!this.wiped.has(k)) for (const [s, v] of this.base.storageEntries(address)) if (!m?.has(s)) yield [s, v]
    if (m) for (const [s, v] of m) if (v !== 0n) yield [s, v]
  }
}
