/**
 * The dev chain's latest state as plain accounts, pending edits included: what anvil_dumpState
 * writes (the RPC layer gives it anvil's JSON form) and anvil_loadState reads back as edits.
 */
import type { Address } from '../primitives/index.ts'
import { addressKey, type FlatAccount, type FlatReader } from '../state/index.ts'
import type { DevEdits } from './dev-edits.ts'

export interface DumpedAccount {
  address: Address
  nonce: bigint
  balance: bigint
  code: Uint8Array
  /** Non-zero slots. */
  storage: [bigint, bigint][]
}

/** A flat state that can list its accounts (the chain's own; a fork's lists only what it holds locally). */
export type ListableState = FlatReader & { allAccounts?(): Iterable<[Address, FlatAccount]> }

/** Every account of `base` with `edits` on top, in address order. */
export function dumpLatestState(base: ListableState, edits: DevEdits): DumpedAccount[] {
  if (!base.allAccounts) throw new Error('this state cannot list its accounts')
  const view = edits.reader(base)
  const addresses = new Map<string, Address>()
  for (const [a] of base.allAccounts()) addresses.set(addressKey(a), a)
  for (const e of edits.list().accounts) addresses.set(addressKey(e.address), e.address)
  const out: DumpedAccount[] = []
  for (const k of [...addresses.keys()].sort()) {
    const address = addresses.get(k)!
    const a = view.getAccount(address)
    if (!a) continue
    out.push({ address, nonce: a.nonce, balance: a.balance, code: a.code, storage: [...view.storageEntries(address)].filter(([, v]) => v !== 0n).sort((x, y) => (x[0] < y[0] ? -1 : 1)) })
  }
  return out
}
