/**
 * OpenEthereum's `stateDiff` of a transaction, from its `StateDiff`: per changed account (sorted
 * by address) balance, nonce and code each as `"="` (unchanged), `{"+": v}` (the account was
 * born), `{"-": v}` (it died) or `{"*": {"from", "to"}}`, and the changed slots (born accounts:
 * `+` per non-zero slot; died accounts: `-` per slot the transaction saw; otherwise `*`, also
 * from or to zero). An account created and destroyed by the same transaction, or an empty one
 * removed (EIP-161), shows nothing, as in the other clients.
 */
import { bigintToWord, bytesToHex } from '../../primitives/index.ts'
import type { AccountDiff, AccountInfo, StateDiff } from '../../state/index.ts'
import { qty } from '../format/hex.ts'

type Delta = '=' | { '+': string } | { '-': string } | { '*': { from: string; to: string } }

export interface ParityAccountDiff {
  balance: Delta
  code: Delta
  nonce: Delta
  storage: Record<string, Delta>
}

const w = (n: bigint) => bytesToHex(bigintToWord(n))
const isEmpty = (a: AccountInfo) => a.balance === 0n && a.nonce === 0n && a.code.length === 0

function delta(before: string, after: string): Delta {
  return before === after ? '=' : { '*': { from: before, to: after } }
}

function accountDiff(d: AccountDiff): ParityAccountDiff | undefined {
  const { before, after } = d
  const slots = [...d.storage].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const storage: Record<string, Delta> = {}
  if (!before) {
    if (!after) return undefined
    for (const [k, [, v]] of slots) if (v !== 0n) storage[w(k)] = { '+': w(v) }
    return { balance: { '+': qty(after.balance) }, code: { '+': bytesToHex(after.code) }, nonce: { '+': qty(after.nonce) }, storage }
  }
  if (!after) {
    if (isEmpty(before)) return undefined
    for (const [k, [v]] of slots) if (v !== 0n) storage[w(k)] = { '-': w(v) }
    return { balance: { '-': qty(before.balance) }, code: { '-': bytesToHex(before.code) }, nonce: { '-': qty(before.nonce) }, storage }
  }
  for (const [k, [b, a]] of slots) if (a !== b) storage[w(k)] = { '*': { from: w(b), to: w(a) } }
  const out: ParityAccountDiff = {
    balance: delta(qty(before.balance), qty(after.balance)),
    code: delta(bytesToHex(before.code), bytesToHex(after.code)),
    nonce: delta(qty(before.nonce), qty(after.nonce)),
    storage,
  }
  const unchanged = out.balance === '=' && out.code === '=' && out.nonce === '=' && slots.every(([, [b, a]]) => a === b)
  return unchanged ? undefined : out
}

export function parityStateDiff(diff: StateDiff): Record<string, ParityAccountDiff> {
  const out: Record<string, ParityAccountDiff> = {}
  for (const k of [...diff.keys()].sort()) {
    const d = accountDiff(diff.get(k)!)
    if (d) out[`0x${k}`] = d
  }
  return out
}
