/**
 * Turning the chain's per-block change set (src/state/changeset.ts) into the stream's
 * `BlockDiff`, and a diff into its inverse. The change set lists a wiped account's old slots
 * apart (`wiped`) from the slots the block wrote; the diff folds them into one list with true
 * before and after values, so that applying it needs no read of the old storage.
 */
import { equalBytes, type Hash } from '../primitives/index.ts'
import { EMPTY_CODE_HASH, type ChangeSet } from '../state/index.ts'
import type { AccountDiff, AccountState, BlockDiff, CodeEntry, SlotChange } from './types.ts'

/** The block a change set belongs to. */
export interface DiffBlock {
  number: bigint
  hash: Hash
  parentHash: Hash
}

const copyAccount = (a: { nonce: bigint; balance: bigint; codeHash: Hash } | undefined): AccountState | undefined =>
  a && { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash }

/**
 * The commit diff of a block from its change set. `code` looks up code by hash (the chain's
 * code table); code an account gained in the block is included once per hash.
 */
export function blockDiffOf(block: DiffBlock, changes: ChangeSet, code: (hash: Hash) => Uint8Array | undefined): BlockDiff {
  const accounts: AccountDiff[] = []
  const codes: CodeEntry[] = []
  const seen = new Set<string>()
  for (const c of changes) {
    if (!c.before && !c.after && c.slots.length === 0) continue
    let slots: SlotChange[]
    const wiped = c.cleared
    if (wiped) {
      const bySlot = new Map<bigint, SlotChange>()
      for (const [s, v] of c.wiped) bySlot.set(s, [s, v, 0n])
      for (const [s, b, a] of c.slots) {
        const old = bySlot.get(s)
        bySlot.set(s, [s, old ? old[1] : b, a])
      }
      slots = [...bySlot.values()]
    } else {
      slots = c.slots.map(([s, b, a]) => [s, b, a])
    }
    accounts.push({ address: c.address, before: copyAccount(c.before), after: copyAccount(c.after), wiped, slots })
    const h = c.after?.codeHash
    if (h && !equalBytes(h, EMPTY_CODE_HASH) && !(c.before && equalBytes(c.before.codeHash, h))) {
      const k = h.toHex()
      if (seen.has(k)) continue
      seen.add(k)
      const bytes = code(h)
      if (bytes) codes.push({ hash: h, code: bytes })
    }
  }
  return { direction: 'commit', number: block.number, hash: block.hash, parentHash: block.parentHash, accounts, codes }
}

/** The revert diff of a commit diff (and back): before and after swapped everywhere, no code. */
export function invertDiff(d: BlockDiff): BlockDiff {
  return {
    direction: d.direction === 'commit' ? 'revert' : 'commit',
    number: d.number,
    hash: d.hash,
    parentHash: d.parentHash,
    accounts: d.accounts.map((a) => ({ address: a.address, before: a.after, after: a.before, wiped: a.wiped, slots: a.slots.map(([s, b, x]) => [s, x, b]) })),
    codes: [],
  }
}

/** Entries a diff writes: one per account, slot and code. */
export function diffEntries(d: BlockDiff): number {
  let n = d.codes.length
  for (const a of d.accounts) n += 1 + a.slots.length
  return n
}

/** Accounts a diff destructs (they existed before and not after). */
export function destructedAccounts(d: BlockDiff): AccountDiff[] {
  return d.accounts.filter((a) => a.before && !a.after)
}

/** How a diff changes the number of accounts and of non-zero slots. */
export function entryDelta(d: BlockDiff): { accounts: number; slots: number } {
  let accounts = 0
  let slots = 0
  for (const a of d.accounts) {
    accounts += (a.after ? 1 : 0) - (a.before ? 1 : 0)
    for (const [, b, x] of a.slots) slots += (x !== 0n ? 1 : 0) - (b !== 0n ? 1 : 0)
  }
  return { accounts, slots }
}
