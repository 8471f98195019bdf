/**
 * The compact binary form of the stream: each notification one RLP list, a file of them simply
 * concatenated (self-delimiting, as block files are).
 *
 *   notification = [kind, old, new]          kind: 0 committed, 1 reorged, 2 reverted
 *   old, new     = [diff, ...]               old: revert diffs, newest first
 *   diff         = [number, hash, parentHash, [account, ...], [[codeHash, code], ...]]
 *   account      = [address, state, state, wiped, [[slot, before, after], ...]]
 *   state        = [] (no account) | [nonce, balance, codeHash]
 *
 * Integers are RLP's minimal big-endian; `wiped` is 0 or 1.
 */
import { decodeRlp, encodeRlp, RlpError, rlpBytes, rlpFixed, rlpList, rlpUint, type RlpInput, type RlpItem } from '../primitives/index.ts'
import { checkShape } from './codec-json.ts'
import { StateDiffError } from './errors.ts'
import type { AccountState, BlockDiff, Notification, NotificationKind } from './types.ts'

const KINDS: NotificationKind[] = ['committed', 'reorged', 'reverted']

const stateRlp = (a: AccountState | undefined): RlpInput => (a ? [a.nonce, a.balance, a.codeHash] : [])

const diffRlp = (d: BlockDiff): RlpInput => [
  d.number,
  d.hash,
  d.parentHash,
  d.accounts.map((a) => [a.address, stateRlp(a.before), stateRlp(a.after), a.wiped ? 1 : 0, a.slots.map(([s, b, x]) => [s, b, x])]),
  d.codes.map((c) => [c.hash, c.code]),
]

export function encodeNotificationRlp(n: Notification): Uint8Array {
  return encodeRlp([KINDS.indexOf(n.kind), n.old.map(diffRlp), n.new.map(diffRlp)])
}

function stateOf(item: RlpItem | undefined): AccountState | undefined {
  const f = rlpList(item, 'account state')
  if (f.length === 0) return undefined
  if (f.length !== 3) throw new StateDiffError('MALFORMED', 'an account state is not [nonce, balance, codeHash]')
  return { nonce: rlpUint(f[0], 'nonce', 8), balance: rlpUint(f[1], 'balance'), codeHash: rlpFixed(f[2], 'codeHash', 32) }
}

function diffOf(item: RlpItem, direction: BlockDiff['direction']): BlockDiff {
  const f = rlpList(item, 'diff')
  if (f.length !== 5) throw new StateDiffError('MALFORMED', `a diff has ${f.length} fields, not 5`)
  return {
    direction,
    number: rlpUint(f[0], 'number', 8),
    hash: rlpFixed(f[1], 'hash', 32),
    parentHash: rlpFixed(f[2], 'parentHash', 32),
    accounts: rlpList(f[3], 'accounts').map((x) => {
      const a = rlpList(x, 'account')
      if (a.length !== 5) throw new StateDiffError('MALFORMED', `an account diff has ${a.length} fields, not 5`)
      const wiped = rlpUint(a[3], 'wiped', 1)
      if (wiped > 1n) throw new StateDiffError('MALFORMED', 'wiped is not 0 or 1')
      const before = stateOf(a[1])
      const after = stateOf(a[2])
      return {
        address: rlpFixed(a[0], 'address', 20),
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        wiped: wiped === 1n,
        slots: rlpList(a[4], 'slots').map((s) => {
          const t = rlpList(s, 'slot change')
          if (t.length !== 3) throw new StateDiffError('MALFORMED', 'a slot change is not [slot, before, after]')
          return [rlpUint(t[0], 'slot'), rlpUint(t[1], 'before'), rlpUint(t[2], 'after')] as [bigint, bigint, bigint]
        }),
      }
    }),
    codes: rlpList(f[4], 'codes').map((c) => {
      const [hash, code] = rlpList(c, 'code')
      return { hash: rlpFixed(hash, 'code hash', 32), code: rlpBytes(code, 'code') }
    }),
  }
}

/** Decodes one notification; throws StateDiffError MALFORMED. */
export function decodeNotificationRlp(bytes: Uint8Array): Notification {
  try {
    const f = rlpList(decodeRlp(bytes), 'notification')
    if (f.length !== 3) throw new StateDiffError('MALFORMED', `a notification has ${f.length} fields, not 3`)
    const kind = KINDS[Number(rlpUint(f[0], 'kind', 1))]
    return checkShape(kind, rlpList(f[1], 'old').map((d) => diffOf(d, 'revert')), rlpList(f[2], 'new').map((d) => diffOf(d, 'commit')))
  } catch (e) {
    if (e instanceof StateDiffError) throw e
    if (e instanceof RlpError) throw new StateDiffError('MALFORMED', `not a state-diff notification: ${e.message}`, { cause: e })
    throw e
  }
}
