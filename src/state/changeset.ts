/**
 * A block's change set: for every account it changed, the flat record before and after, the
 * slots before and after, and — when the block wiped the account's storage — every slot it had
 * before. Stored per block, it lets the chain rewind the flat state (reorgs), replay a side
 * branch, and read the state at recent blocks (./overlay.ts) without keeping old flat copies.
 */
import { keccak256 } from '../crypto/index.ts'
import { decodeRlp, encodeRlp, equalBytes, rlpBytes, rlpList, rlpUint, type Address, type RlpInput, type RlpItem } from '../primitives/index.ts'
import { decodeFlatAccount, EMPTY_CODE_HASH, type FlatAccount, type FlatReader } from './flat-state.ts'
import type { StateDiff } from './types.ts'

export interface AccountChange {
  address: Address
  /** Undefined: did not exist. */
  before?: FlatAccount
  after?: FlatAccount
  /** The block wiped the account's storage (self-destruct, or re-creation over it). */
  cleared: boolean
  /** With `cleared`: every non-zero slot the account had before the block. */
  wiped: [slot: bigint, value: bigint][]
  slots: [slot: bigint, before: bigint, after: bigint][]
}

export type ChangeSet = AccountChange[]

/** New code that a change set's accounts refer to, to store by hash. */
export interface ChangeSetCode {
  hash: Uint8Array
  code: Uint8Array
}

/** Turns a block's `StateDiff` (against `base`) into a change set, and lists the code it introduced. */
export function changeSetOf(diff: StateDiff, base: FlatReader): { changes: ChangeSet; codes: ChangeSetCode[] } {
  const changes: ChangeSet = []
  const codes: ChangeSetCode[] = []
  for (const d of diff.values()) {
    const before = base.getFlatAccount(d.address)
    let after: FlatAccount | undefined
    if (d.after) {
      let codeHash = EMPTY_CODE_HASH
      if (d.after.code.length > 0) {
        const prev = d.before?.code
        if (before && prev && (prev === d.after.code || equalBytes(prev, d.after.code))) codeHash = before.codeHash
        else {
          codeHash = keccak256(d.after.code)
          codes.push({ hash: codeHash, code: d.after.code })
        }
      }
      after = { nonce: d.after.nonce, balance: d.after.balance, codeHash }
    }
    const wiped: [bigint, bigint][] = d.storageCleared ? [...base.storageEntries(d.address)] : []
    const slots: [bigint, bigint, bigint][] = []
    for (const [slot, [b, a]] of d.storage) slots.push([slot, b, a])
    changes.push({ address: d.address, before, after, cleared: d.storageCleared, wiped, slots })
  }
  return { changes, codes }
}

const optAccount = (a: FlatAccount | undefined): RlpInput => (a ? [a.nonce, a.balance, a.codeHash] : [])

export function encodeChangeSet(cs: ChangeSet): Uint8Array {
  return encodeRlp(
    cs.map((c) => [
      c.address,
      optAccount(c.before),
      optAccount(c.after),
      c.cleared ? 1 : 0,
      c.wiped.map(([s, v]) => [s, v]),
      c.slots.map(([s, b, a]) => [s, b, a]),
    ]),
  )
}

function accountOf(item: RlpItem | undefined): FlatAccount | undefined {
  const f = rlpList(item, 'change set account')
  if (f.length === 0) return undefined
  return decodeFlatAccount(encodeRlp(f))
}

export function decodeChangeSet(bytes: Uint8Array): ChangeSet {
  return rlpList(decodeRlp(bytes), 'change set').map((item) => {
    const f = rlpList(item, 'account change')
    return {
      address: rlpBytes(f[0], 'address'),
      before: accountOf(f[1]),
      after: accountOf(f[2]),
      cleared: rlpUint(f[3], 'cleared', 1) === 1n,
      wiped: rlpList(f[4], 'wiped').map((p) => {
        const [s, v] = rlpList(p, 'wiped slot')
        return [rlpUint(s, 'slot'), rlpUint(v, 'value')] as [bigint, bigint]
      }),
      slots: rlpList(f[5], 'slots').map((p) => {
        const [s, b, a] = rlpList(p, 'slot change')
        return [rlpUint(s, 'slot'), rlpUint(b, 'before'), rlpUint(a, 'after')] as [bigint, bigint, bigint]
      }),
    }
  })
}
