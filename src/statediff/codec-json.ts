/**
 * The JSON lines form of the stream: one notification per line, numbers as `0x` quantities
 * (JSON-RPC's), bytes as `0x` hex.
 *
 *   {"kind":"committed","old":[],"new":[DIFF, ...]}
 *   {"kind":"reorged","old":[DIFF, ...],"new":[DIFF, ...]}      old: revert diffs, newest first
 *   {"kind":"reverted","old":[DIFF, ...],"new":[]}
 *
 *   DIFF    = {"number":Q,"hash":H,"parentHash":H,"accounts":[ACCOUNT, ...],"codes":[{"hash":H,"code":B}, ...]}
 *   ACCOUNT = {"address":A,"before":STATE|null,"after":STATE|null,"wiped":BOOL,"slots":[[SLOT,BEFORE,AFTER], ...]}
 *   STATE   = {"nonce":Q,"balance":Q,"codeHash":H}
 *
 * A diff in `old` is a revert (before and after as they are applied: from the block's state
 * back to its parent's); a diff in `new` a commit. Slots and values are quantities ("0x0": unset).
 */
import { bigintToHex, bytesToHex, hexToBigint, hexToBytes, isHex } from '../primitives/index.ts'
import { StateDiffError } from './errors.ts'
import type { AccountDiff, AccountState, BlockDiff, Notification } from './types.ts'

const stateJson = (a: AccountState | undefined) => (a ? { nonce: bigintToHex(a.nonce), balance: bigintToHex(a.balance), codeHash: bytesToHex(a.codeHash) } : null)

/** A diff as the JSON form's plain object (DIFF above); mosaic_getStateDiff answers with one. */
export function diffJson(d: BlockDiff) {
  return {
    number: bigintToHex(d.number),
    hash: bytesToHex(d.hash),
    parentHash: bytesToHex(d.parentHash),
    accounts: d.accounts.map((a) => ({
      address: bytesToHex(a.address),
      before: stateJson(a.before),
      after: stateJson(a.after),
      wiped: a.wiped,
      slots: a.slots.map(([s, b, x]) => [bigintToHex(s), bigintToHex(b), bigintToHex(x)]),
    })),
    codes: d.codes.map((c) => ({ hash: bytesToHex(c.hash), code: bytesToHex(c.code) })),
  }
}

/** A notification as the JSON form's plain object (an `eth_subscription` result of `mosaic_stateDiffs`). */
export function notificationJson(n: Notification) {
  return { kind: n.kind, old: n.old.map(diffJson), new: n.new.map(diffJson) }
}

/** A notification as one JSON line (without the newline). */
export function encodeNotificationJson(n: Notification): string {
  return JSON.stringify(notificationJson(n))
}

const bad = (what: string): never => {
  throw new StateDiffError('MALFORMED', `not a state-diff notification: ${what}`)
}
const obj = (v: unknown, what: string): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(`${what} is not an object`))
const arr = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : bad(`${what} is not an array`))
const qty = (v: unknown, what: string): bigint => (typeof v === 'string' && isHex(v) && v.length > 2 && v.length <= 66 ? hexToBigint(v) : bad(`${what} is not a quantity`))
const bytes = (v: unknown, what: string, len?: number): Uint8Array => {
  if (typeof v !== 'string' || !isHex(v, { strict: true })) return bad(`${what} is not hex bytes`)
  const b = hexToBytes(v)
  return len === undefined || b.length === len ? b : bad(`${what} is not ${len} bytes`)
}

function stateOf(v: unknown, what: string): AccountState | undefined {
  if (v === null) return undefined
  const o = obj(v, what)
  return { nonce: qty(o.nonce, `${what}.nonce`), balance: qty(o.balance, `${what}.balance`), codeHash: bytes(o.codeHash, `${what}.codeHash`, 32) }
}

function accountOf(v: unknown, what: string): AccountDiff {
  const o = obj(v, what)
  if (typeof o.wiped !== 'boolean') bad(`${what}.wiped is not a boolean`)
  const a: AccountDiff = {
    address: bytes(o.address, `${what}.address`, 20),
    wiped: o.wiped as boolean,
    slots: arr(o.slots, `${what}.slots`).map((s, i) => {
      const t = arr(s, `${what}.slots[${i}]`)
      if (t.length !== 3) bad(`${what}.slots[${i}] is not [slot, before, after]`)
      return [qty(t[0], 'slot'), qty(t[1], 'slot before'), qty(t[2], 'slot after')]
    }),
  }
  const before = stateOf(o.before, `${what}.before`)
  const after = stateOf(o.after, `${what}.after`)
  if (before) a.before = before
  if (after) a.after = after
  return a
}

function diffOf(v: unknown, direction: BlockDiff['direction'], what: string): BlockDiff {
  const o = obj(v, what)
  return {
    direction,
    number: qty(o.number, `${what}.number`),
    hash: bytes(o.hash, `${what}.hash`, 32),
    parentHash: bytes(o.parentHash, `${what}.parentHash`, 32),
    accounts: arr(o.accounts, `${what}.accounts`).map((a, i) => accountOf(a, `${what}.accounts[${i}]`)),
    codes: arr(o.codes, `${what}.codes`).map((c, i) => {
      const x = obj(c, `${what}.codes[${i}]`)
      return { hash: bytes(x.hash, `${what}.codes[${i}].hash`, 32), code: bytes(x.code, `${what}.codes[${i}].code`) }
    }),
  }
}

/** Parses one JSON line; throws StateDiffError MALFORMED naming what is wrong. */
export function decodeNotificationJson(line: string): Notification {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch (e) {
    return bad(`invalid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  const o = obj(v, 'the line')
  const old = arr(o.old, 'old').map((d, i) => diffOf(d, 'revert', `old[${i}]`))
  const next = arr(o.new, 'new').map((d, i) => diffOf(d, 'commit', `new[${i}]`))
  return checkShape(o.kind, old, next)
}

/** A notification from its kind and lists, checked to agree (shared with the RLP codec). */
export function checkShape(kind: unknown, old: BlockDiff[], next: BlockDiff[]): Notification {
  if (kind === 'committed' && old.length === 0 && next.length > 0) return { kind, old: [], new: next }
  if (kind === 'reorged' && old.length > 0 && next.length > 0) return { kind, old, new: next }
  if (kind === 'reverted' && old.length > 0 && next.length === 0) return { kind, old, new: [] }
  return bad(`kind ${JSON.stringify(kind)} with ${old.length} old and ${next.length} new blocks`)
}
