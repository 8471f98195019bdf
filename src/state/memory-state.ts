/**
 * A flat in-memory state: accounts with their full storage. Implements `AccountReader`, takes
 * `StateDiff`s, and computes the state root with the native secure-trie builder.
 */
import type { Address } from '../primitives/index.ts'
import { addressKey, keyToAddress } from './key.ts'
import { stateRoot } from './root.ts'
import type { AccountInfo, AccountReader, StateDiff } from './types.ts'

export interface MemoryAccount extends AccountInfo {
  storage: Map<bigint, bigint>
}

export class MemoryState implements AccountReader {
  readonly accounts = new Map<string, MemoryAccount>()

  setAccount(address: Address, a: Partial<MemoryAccount>): void {
    this.accounts.set(addressKey(address), {
      nonce: a.nonce ?? 0n,
      balance: a.balance ?? 0n,
      code: a.code ?? new Uint8Array(0),
      storage: a.storage ?? new Map(),
    })
  }

  getAccount(address: Address): AccountInfo | undefined {
    return this.accounts.get(addressKey(address))
  }

  getStorage(address: Address, key: bigint): bigint {
    return this.accounts.get(addressKey(address))?.storage.get(key) ?? 0n
  }

  hasStorage(address: Address): boolean {
    return (this.accounts.get(addressKey(address))?.storage.size ?? 0) > 0
  }

  /** Applies a diff (as produced by `JournaledState`). */
  apply(diff: StateDiff): void {
    for (const [k, d] of diff) {
      if (!d.after) {
        this.accounts.delete(k)
        continue
      }
      let a = this.accounts.get(k)
      if (!a || d.storageCleared) {
        a = { ...d.after, storage: new Map() }
        this.accounts.set(k, a)
      } else {
        a.nonce = d.after.nonce
        a.balance = d.after.balance
        a.code = d.after.code
      }
      for (const [slot, [, v]] of d.storage) {
        if (v === 0n) a.storage.delete(slot)
        else a.storage.set(slot, v)
      }
    }
  }

  /** Copies (storage maps included), for running many cases over one pre-state. */
  clone(): MemoryState {
    const c = new MemoryState()
    for (const [k, a] of this.accounts) c.accounts.set(k, { ...a, storage: new Map(a.storage) })
    return c
  }

  /** State root of this state with `diff` applied, leaving this state unchanged. */
  rootAfter(diff: StateDiff): Uint8Array {
    const out = []
    for (const [k, a] of this.accounts) if (!diff.has(k)) out.push({ address: keyToAddress(k), ...a })
    for (const [k, d] of diff) {
      if (!d.after) continue
      const prev = this.accounts.get(k)
      const storage = new Map(d.storageCleared || !prev ? [] : prev.storage)
      for (const [slot, [, v]] of d.storage) {
        if (v === 0n) storage.delete(slot)
        else storage.set(slot, v)
      }
      out.push({ address: keyToAddress(k), ...d.after, storage })
    }
    return stateRoot(out)
  }

  stateRoot(): Uint8Array {
    return stateRoot(
      [...this.accounts].map(([k, a]) => ({ address: keyToAddress(k), ...a })),
    )
  }
}
