/**
 * An `AccountReader` that accumulates state diffs (and direct edits) over a base: the state a
 * sequence of simulated calls and blocks builds up (eth_simulateV1), leaving the base untouched.
 */
import { EMPTY_BYTES, type Address } from '../../primitives/index.ts'
import { addressKey, type AccountInfo, type AccountReader, type StateDiff } from '../../state/index.ts'
import type { AccountOverride } from './overrides.ts'

interface Changed {
  info: AccountInfo | undefined
  storage: Map<bigint, bigint>
  /** Base slots no longer count. */
  cleared: boolean
}

export class DiffOverlay implements AccountReader {
  private readonly changed = new Map<string, Changed>()
  constructor(private readonly base: AccountReader) {}

  private entry(a: Address): Changed {
    const k = addressKey(a)
    let c = this.changed.get(k)
    if (!c) this.changed.set(k, (c = { info: this.base.getAccount(a), storage: new Map(), cleared: false }))
    return c
  }

  getAccount(a: Address): AccountInfo | undefined {
    const c = this.changed.get(addressKey(a))
    return c ? c.info : this.base.getAccount(a)
  }
  getStorage(a: Address, key: bigint): bigint {
    const c = this.changed.get(addressKey(a))
    if (!c) return this.base.getStorage(a, key)
    const v = c.storage.get(key)
    if (v !== undefined) return v
    return c.cleared || !c.info ? 0n : this.base.getStorage(a, key)
  }
  hasStorage(a: Address): boolean {
    const c = this.changed.get(addressKey(a))
    if (!c) return this.base.hasStorage(a)
    for (const v of c.storage.values()) if (v !== 0n) return true
    return !c.cleared && !!c.info && this.base.hasStorage(a)
  }

  apply(diff: StateDiff): void {
    for (const d of diff.values()) {
      const c = this.entry(d.address)
      c.info = d.after
      if (d.storageCleared || !d.after) {
        c.storage = new Map()
        c.cleared = true
      }
      for (const [slot, [, v]] of d.storage) c.storage.set(slot, v)
    }
  }

  /** A state override (eth_simulateV1 stateOverrides): fields replaced, storage replaced or patched. */
  override(a: Address, o: AccountOverride): void {
    const c = this.entry(a)
    const info = c.info ?? { nonce: 0n, balance: 0n, code: EMPTY_BYTES }
    c.info = { nonce: o.nonce ?? info.nonce, balance: o.balance ?? info.balance, code: o.code ?? info.code }
    if (o.state) {
      c.storage = new Map(o.state)
      c.cleared = true
    }
    if (o.stateDiff) for (const [k, v] of o.stateDiff) c.storage.set(k, v)
  }
}
