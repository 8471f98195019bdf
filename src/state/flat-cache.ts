/**
 * The head's flat state with a bounded read cache of accounts and slots. Block import reads the
 * same accounts block after block (senders, the coinbase, a token contract and its balances), and
 * each point read on disk is a native call plus a decode. The cache holds exact values only (a
 * missing entry means "not known", never "zero"), and the owner keeps it in step with the store
 * by calling `apply` with every change set it has written, after the batch is on disk.
 *
 * Consumer: the chain (src/blockchain), which owns every write to the flat tables.
 */
import type { Address } from '../primitives/index.ts'
import type { KeyValueReader } from '../storage/index.ts'
import type { ChangeSet } from './changeset.ts'
import { FlatState, type CodeReader, type FlatAccount } from './flat-state.ts'
import { addressKey } from './key.ts'

export class CachedFlatState extends FlatState {
  /** null: known not to exist. */
  private readonly accounts = new Map<string, FlatAccount | null>()
  private readonly slots = new Map<string, Map<bigint, bigint>>()
  private slotCount = 0

  /** `maxEntries` bounds accounts and slots each (a few hundred bytes per entry). */
  constructor(db: KeyValueReader, code?: CodeReader, private readonly maxEntries = 200_000) {
    super(db, code)
  }

  override getFlatAccount(address: Address): FlatAccount | undefined {
    const k = addressKey(address)
    const hit = this.accounts.get(k)
    if (hit !== undefined) return hit ?? undefined
    const a = super.getFlatAccount(address)
    this.setAccount(k, a)
    return a
  }

  override getStorage(address: Address, key: bigint): bigint {
    const k = addressKey(address)
    const hit = this.slots.get(k)?.get(key)
    if (hit !== undefined) return hit
    const v = super.getStorage(address, key)
    this.setSlot(k, key, v)
    return v
  }

  /** Mirrors `writeChangeSet(batch, cs, dir)` once that batch is written. */
  apply(cs: ChangeSet, dir: 'redo' | 'undo'): void {
    for (const c of cs) {
      const k = addressKey(c.address)
      this.setAccount(k, dir === 'redo' ? c.after : c.before)
      // A wipe (or its undo) changes slots the change set lists only in `wiped`: forget them all.
      if (c.cleared || !c.after) this.dropSlots(k)
      for (const [slot, before, after] of c.slots) this.setSlot(k, slot, dir === 'redo' ? after : before)
    }
  }

  private setAccount(k: string, a: FlatAccount | undefined): void {
    // Dropped whole when full: evicting one at a time through `Map.keys()` gets slow on
    // JavaScriptCore after many deletes, and a cold start costs one read per account.
    if (this.accounts.size >= this.maxEntries && !this.accounts.has(k)) this.accounts.clear()
    this.accounts.set(k, a ?? null)
  }

  private setSlot(k: string, slot: bigint, v: bigint): void {
    if (this.slotCount >= this.maxEntries) {
      this.slots.clear()
      this.slotCount = 0
    }
    let m = this.slots.get(k)
    if (!m) this.slots.set(k, (m = new Map()))
    if (!m.has(slot)) this.slotCount++
    m.set(slot, v)
  }

  private dropSlots(k: string): void {
    const m = this.slots.get(k)
    if (!m) return
    this.slotCount -= m.size
    this.slots.delete(k)
  }
}
