/**
 * Dev-mode state edits (anvil_setBalance and friends, anvil_setChainId): held here until the
 * next block is mined, where they are applied before the first transaction and so become part
 * of the block's state change (and are stored beside it: src/blockchain/block-edits.ts).
 * Meanwhile `reader(base)` shows them on top of the head's state, so reads at `latest`,
 * eth_call and the pool see them at once.
 */
import type { AccountEdit, BlockEdits } from '../blockchain/index.ts'
import { keccak256 } from '../crypto/index.ts'
import type { Address } from '../primitives/index.ts'
import { addressKey, EMPTY_CODE_HASH, type CodeSource, type AccountInfo, type FlatAccount, type FlatReader } from '../state/index.ts'

type Edit = AccountEdit

export class DevEdits {
  private edits = new Map<string, Edit>()
  private chainId: bigint | undefined
  /** Called after every change (the store that keeps the edits durable). */
  onChange?: () => void
  /** Counts changes (readers that cache what they read at the head, src/rpc/workers). */
  private changes = 0

  get version(): number {
    return this.changes
  }

  private changed(): void {
    this.changes++
    this.onChange?.()
  }

  /** Accounts edited. */
  get size(): number {
    return this.edits.size
  }

  /** Nothing to mine: no account edited, no chain id change. */
  get empty(): boolean {
    return this.edits.size === 0 && this.chainId === undefined
  }

  /** The next block carries a chain id change (anvil_setChainId). */
  setChainId(chainId: bigint): void {
    this.chainId = chainId
    this.changed()
  }

  private edit(address: Address): Edit {
    const k = addressKey(address)
    let e = this.edits.get(k)
    if (!e) this.edits.set(k, (e = { address, storage: new Map() }))
    return e
  }

  setBalance(address: Address, balance: bigint): void {
    this.edit(address).balance = balance
    this.changed()
  }
  setNonce(address: Address, nonce: bigint): void {
    this.edit(address).nonce = nonce
    this.changed()
  }
  setCode(address: Address, code: Uint8Array): void {
    this.edit(address).code = code
    this.changed()
  }
  setStorage(address: Address, slot: bigint, value: bigint): void {
    this.edit(address).storage.set(slot, value)
    this.changed()
  }

  /** Runs `fn` with one change notification at its end instead of one per edit (a loaded state file). */
  batch(fn: () => void): void {
    const notify = this.onChange
    this.onChange = undefined
    try {
      fn()
    } finally {
      this.onChange = notify
      this.changed()
    }
  }

  /** The edits, account edits in the order first made: what the next block applies and stores. */
  list(): BlockEdits {
    const accounts = [...this.edits.values()].map((e) => ({ ...e, storage: new Map(e.storage) }))
    return { ...(this.chainId === undefined ? {} : { chainId: this.chainId }), accounts }
  }

  /** Replaces the edits with `list` (a restart's durable copy). */
  load(list: BlockEdits): void {
    this.edits = new Map(list.accounts.map((e) => [addressKey(e.address), { ...e, storage: new Map(e.storage) }]))
    this.chainId = list.chainId
  }

  clear(): void {
    this.edits = new Map()
    this.chainId = undefined
    this.changed()
  }

  /** Replaces the edits with a copy of `other`'s (snapshot revert). */
  restore(other: DevEdits): void {
    this.load(other.list())
    this.changed()
  }

  clone(): DevEdits {
    const c = new DevEdits()
    c.load(this.list())
    return c
  }

  /** `base` with the edits on top. */
  reader(base: FlatReader): FlatReader {
    if (this.edits.size === 0) return base
    const edits = this.edits
    const codes = new Map<string, Uint8Array>()
    const flat = (address: Address): FlatAccount | undefined => {
      const b = base.getFlatAccount(address)
      const e = edits.get(addressKey(address))
      if (!e || (e.balance === undefined && e.nonce === undefined && e.code === undefined && e.storage.size === 0)) return b
      let codeHash = b?.codeHash ?? EMPTY_CODE_HASH
      if (e.code !== undefined) {
        codeHash = e.code.length ? keccak256(e.code) : EMPTY_CODE_HASH
        codes.set(Buffer.from(codeHash).toString('hex'), e.code)
      }
      return { nonce: e.nonce ?? b?.nonce ?? 0n, balance: e.balance ?? b?.balance ?? 0n, codeHash }
    }
    const code: CodeSource = { get: (h) => codes.get(Buffer.from(h).toString('hex')) ?? base.code.get(h) }
    return {
      code,
      getFlatAccount: flat,
      getAccount(address: Address): AccountInfo | undefined {
        const e = edits.get(addressKey(address))
        if (!e) return base.getAccount(address)
        const a = flat(address)
        if (!a) return undefined
        return { nonce: a.nonce, balance: a.balance, code: e.code ?? base.getAccount(address)?.code ?? new Uint8Array(0) }
      },
      getStorage(address: Address, key: bigint): bigint {
        return edits.get(addressKey(address))?.storage.get(key) ?? base.getStorage(address, key)
      },
      hasStorage(address: Address): boolean {
        for (const _ of this.storageEntries(address)) return true
        return false
      },
      *storageEntries(address: Address): Iterable<[bigint, bigint]> {
        const m = edits.get(addressKey(address))?.storage
        for (const [s, v] of base.storageEntries(address)) if (!m?.has(s)) yield [s, v]
        if (m) for (const [s, v] of m) if (v !== 0n) yield [s, v]
      },
    }
  }
}
