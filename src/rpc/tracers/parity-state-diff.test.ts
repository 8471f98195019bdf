/**
 * The stateDiff shape rules on hand-made diffs: "=" for an unchanged field, {"+": v} for a born
 * account (every field, non-zero slots only), {"-": v} for a died one (every field, the non-zero
 * slots it had), {"*": {from, to}} for a change (slots also from and to zero); accounts with
 * nothing changed, created-and-destroyed ones and removed empty ones left out; sorted output.
 */
import { expect, test } from 'bun:test'
import { bigintToWord, bytesToHex, hexToBytes } from '../../primitives/index.ts'
import type { AccountDiff, AccountInfo, StateDiff } from '../../state/index.ts'
import { parityStateDiff } from './parity-state-diff.ts'

const addr = (n: number) => hexToBytes(`0x${n.toString(16).padStart(40, '0')}`)
const w = (n: bigint) => bytesToHex(bigintToWord(n))
const acct = (balance: bigint, nonce = 0n, code = '0x'): AccountInfo => ({ balance, nonce, code: hexToBytes(code) })

function diffOf(entries: { a: number; before?: AccountInfo; after?: AccountInfo; storage?: [bigint, bigint, bigint][] }[]): StateDiff {
  const m: StateDiff = new Map()
  for (const e of entries) {
    const address = addr(e.a)
    const d: AccountDiff = { address, before: e.before, after: e.after, storage: new Map((e.storage ?? []).map(([k, b, x]) => [k, [b, x]])), storageCleared: false }
    m.set(bytesToHex(address).slice(2), d)
  }
  return m
}

test('a changed account: "=" for what stayed, "*" for what changed, slots from and to zero as "*"', () => {
  const out = parityStateDiff(diffOf([{ a: 1, before: acct(10n, 1n, '0x60'), after: acct(7n, 1n, '0x60'), storage: [[1n, 0n, 5n], [2n, 3n, 0n], [3n, 4n, 4n]] }]))
  expect(out).toEqual({
    [bytesToHex(addr(1))]: {
      balance: { '*': { from: '0xa', to: '0x7' } },
      code: '=',
      nonce: '=',
      storage: { [w(1n)]: { '*': { from: w(0n), to: w(5n) } }, [w(2n)]: { '*': { from: w(3n), to: w(0n) } } },
    },
  })
})

test('a born account: "+" for balance, code and nonce (zero ones too), and for its non-zero slots only', () => {
  const out = parityStateDiff(diffOf([{ a: 2, after: acct(0n, 1n, '0x6001'), storage: [[1n, 0n, 9n], [2n, 0n, 0n]] }]))
  expect(out[bytesToHex(addr(2))]).toEqual({ balance: { '+': '0x0' }, code: { '+': '0x6001' }, nonce: { '+': '0x1' }, storage: { [w(1n)]: { '+': w(9n) } } })
})

test('a died account: "-" for every field and for the non-zero slots it had', () => {
  const out = parityStateDiff(diffOf([{ a: 3, before: acct(5n, 1n, '0xff'), storage: [[1n, 8n, 0n], [2n, 0n, 0n]] }]))
  expect(out[bytesToHex(addr(3))]).toEqual({ balance: { '-': '0x5' }, code: { '-': '0xff' }, nonce: { '-': '0x1' }, storage: { [w(1n)]: { '-': w(8n) } } })
})

test('left out: nothing changed (a touched account, a slot written with its own value), born and died in one transaction, an empty account removed (EIP-161)', () => {
  const out = parityStateDiff(
    diffOf([
      { a: 4, before: acct(1n), after: acct(1n), storage: [[1n, 2n, 2n]] },
      { a: 5, storage: [[1n, 0n, 0n]] },
      { a: 6, before: acct(0n) },
    ]),
  )
  expect(out).toEqual({})
})

test('accounts come sorted by address, whatever order the diff holds them in', () => {
  const out = parityStateDiff(diffOf([{ a: 0x30, before: acct(1n), after: acct(2n) }, { a: 0x10, before: acct(1n), after: acct(2n) }, { a: 0x20, before: acct(1n), after: acct(2n) }]))
  expect(Object.keys(out)).toEqual([0x10, 0x20, 0x30].map((n) => bytesToHex(addr(n))))
})

test('storage slots come sorted by slot', () => {
  const out = parityStateDiff(diffOf([{ a: 1, before: acct(1n), after: acct(1n), storage: [[9n, 0n, 1n], [2n, 0n, 1n], [5n, 0n, 1n]] }]))
  expect(Object.keys(out[bytesToHex(addr(1))]!.storage)).toEqual([w(2n), w(5n), w(9n)])
})
