/**
 * The plain data of the state-diff stream: a block's diff (accounts before and after, slots
 * before and after, new code by hash) and the notifications that carry diffs, with reth ExEx's
 * semantics. Everything here is bytes, bigints and plain objects, so it crosses a process
 * boundary as it is (./codec-json.ts, ./codec-rlp.ts).
 */
import type { Address, Hash } from '../primitives/index.ts'

/** A block by number and hash (ExEx's `BlockNumHash`); a store's head. */
export interface BlockRef {
  number: bigint
  hash: Hash
}

/** An account's flat record: code by hash; storage is by slot. */
export interface AccountState {
  nonce: bigint
  balance: bigint
  codeHash: Hash
}

/** One slot's change: `[slot, before, after]`, each a 256-bit word (zero: unset). */
export type SlotChange = [slot: bigint, before: bigint, after: bigint]

/**
 * What one block did to one account.
 *
 * Applying it: set the account to `after` (delete it when `after` is undefined: a destructed
 * account), then set every slot of `slots` to its after value (zero deletes). When `wiped` the
 * account's storage was wiped (self-destruct, or re-creation over an old account), and `slots`
 * then lists every slot the account had before the block and every slot it has after it, so a
 * store may delete the whole storage first (one range delete) or just write the list: both end
 * the same.
 */
export interface AccountDiff {
  address: Address
  /** Undefined: the account did not exist before. */
  before?: AccountState
  /** Undefined: the account does not exist after (destructed, or an empty account removed). */
  after?: AccountState
  wiped: boolean
  slots: SlotChange[]
}

/** Code that a diff's accounts refer to and that is new in it, by hash. */
export interface CodeEntry {
  hash: Hash
  code: Uint8Array
}

/**
 * A block's state diff. A `commit` moves the state from the parent's to the block's; a `revert`
 * is the inverse, from the block's back to its parent's (`before` and `after` swapped in every
 * account and slot), with the same number, hash and parent hash. Reverts carry no code: code
 * is content-addressed and stays.
 */
export interface BlockDiff {
  direction: 'commit' | 'revert'
  number: bigint
  hash: Hash
  parentHash: Hash
  accounts: AccountDiff[]
  codes: CodeEntry[]
}

/**
 * A notification of the stream (reth ExEx's `ExExNotification`):
 * - `committed`: `new` blocks joined the canonical chain, oldest first;
 * - `reorged`: `old` blocks left it (their revert diffs, newest first), then `new` joined;
 * - `reverted`: `old` blocks left it and none joined (the head moved back).
 */
export type Notification =
  | { kind: 'committed'; old: []; new: BlockDiff[] }
  | { kind: 'reorged'; old: BlockDiff[]; new: BlockDiff[] }
  | { kind: 'reverted'; old: BlockDiff[]; new: [] }

export type NotificationKind = Notification['kind']

/** The state after a notification: its last new block, else the parent of its last reverted one. */
export function notificationTip(n: Notification): BlockRef {
  const last = n.new[n.new.length - 1]
  if (last) return { number: last.number, hash: last.hash }
  const r = n.old[n.old.length - 1]!
  return { number: r.number - 1n, hash: r.parentHash }
}
