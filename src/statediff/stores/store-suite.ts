/**
 * The behavioural suite every `StateStore` adapter passes: apply, reads at the head, wiped and
 * destructed accounts, revert and re-apply on another branch, order checks, and — for stores
 * that keep their data — the head and the data after closing and opening again (a restarted
 * consumer resumes after the store's head). An adapter's test file calls `stateStoreSuite`.
 */
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256 } from '../../crypto/index.ts'
import { utf8ToBytes } from '../../primitives/index.ts'
import { EMPTY_CODE_HASH } from '../../state/index.ts'
import { invertDiff } from '../diff.ts'
import { StateDiffError } from '../errors.ts'
import type { StateStore, StoreFactory } from '../store.ts'
import type { AccountDiff, BlockDiff } from '../types.ts'

const h = (label: string) => keccak256(utf8ToBytes(label))
const addr = (label: string) => h(label).subarray(12)
const A = addr('a')
const B = addr('b')
const C = addr('c')
const CODE = new Uint8Array([0x60, 0x00, 0x60, 0x00, 0xf3])
const CODE_HASH = keccak256(CODE)

function block(number: number, label: string, parent: string, accounts: AccountDiff[], codes = false): BlockDiff {
  return { direction: 'commit', number: BigInt(number), hash: h(label), parentHash: h(parent), accounts, codes: codes ? [{ hash: CODE_HASH, code: CODE }] : [] }
}
const acct = (nonce: number, balance: bigint, codeHash = EMPTY_CODE_HASH) => ({ nonce: BigInt(nonce), balance, codeHash })

/** Genesis: A (code, slots 1 and 2), B. */
const b0 = block(0, 'b0', 'none', [
  { address: A, after: acct(1, 100n, CODE_HASH), wiped: false, slots: [[1n, 0n, 5n], [2n, 0n, 7n]] },
  { address: B, after: acct(0, 50n), wiped: false, slots: [] },
], true)
/** A: slot 1 deleted, slot 3 set; B destructed; C created. */
const b1 = block(1, 'b1', 'b0', [
  { address: A, before: acct(1, 100n, CODE_HASH), after: acct(2, 90n, CODE_HASH), wiped: false, slots: [[1n, 5n, 0n], [3n, 0n, 9n]] },
  { address: B, before: acct(0, 50n), wiped: false, slots: [] },
  { address: C, after: acct(0, 60n), wiped: false, slots: [] },
])
/** A wiped (slots 2, 3 gone) and re-created with slot 4. */
const b2 = block(2, 'b2', 'b1', [{ address: A, before: acct(2, 90n, CODE_HASH), after: acct(0, 1n, CODE_HASH), wiped: true, slots: [[2n, 7n, 0n], [3n, 9n, 0n], [4n, 0n, 11n]] }])
/** Another block 2 (a side branch): C's slot 8. */
const b2x = block(2, 'b2x', 'b1', [{ address: C, before: acct(0, 60n), after: acct(1, 61n), wiped: false, slots: [[8n, 0n, 3n]] }])

async function expectState(s: StateStore, want: { accounts: [Uint8Array, ReturnType<typeof acct> | undefined][]; slots: [Uint8Array, bigint, bigint][] }) {
  for (const [a, v] of want.accounts) expect(await s.account(a)).toEqual(v)
  for (const [a, k, v] of want.slots) expect(await s.slot(a, k)).toBe(v)
}

const AFTER_B1 = {
  accounts: [[A, acct(2, 90n, CODE_HASH)], [B, undefined], [C, acct(0, 60n)]] as [Uint8Array, ReturnType<typeof acct> | undefined][],
  slots: [[A, 1n, 0n], [A, 2n, 7n], [A, 3n, 9n], [A, 4n, 0n], [C, 8n, 0n]] as [Uint8Array, bigint, bigint][],
}

async function entriesOf(s: StateStore) {
  return (await s.stats()).entries
}

export function stateStoreSuite(name: string, open: StoreFactory, opts: { persistent: boolean }): void {
  const root = mkdtempSync(join(tmpdir(), `mosaic-statestore-${name}-`))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  let n = 0
  const fresh = () => join(root, `s${n++}`)

  describe(`StateStore ${name}`, () => {
    test('applies blocks: accounts, slots, code, destructed and wiped accounts, entry counts', async () => {
      const s = await open({ dir: fresh() })
      expect(await s.head()).toBeUndefined()
      await s.apply(b0)
      expect(await s.head()).toEqual({ number: 0n, hash: b0.hash })
      expect(await s.code(CODE_HASH)).toEqual(CODE)
      expect(await s.code(h('nothing'))).toBeUndefined()
      expect(await entriesOf(s)).toEqual({ accounts: 2, slots: 2, codes: 1 })
      await s.apply(b1)
      await expectState(s, AFTER_B1)
      expect(await entriesOf(s)).toEqual({ accounts: 2, slots: 2, codes: 1 })
      await s.apply(b2)
      await expectState(s, { accounts: [[A, acct(0, 1n, CODE_HASH)]], slots: [[A, 2n, 0n], [A, 3n, 0n], [A, 4n, 11n]] })
      expect(await entriesOf(s)).toEqual({ accounts: 2, slots: 1, codes: 1 })
      expect((await s.stats()).transitions).toBe(3)
      await s.close()
    })

    test('reverts a block with its inverse diff and applies the other branch', async () => {
      const s = await open({ dir: fresh() })
      for (const d of [b0, b1, b2]) await s.apply(d)
      await s.revert(invertDiff(b2))
      expect(await s.head()).toEqual({ number: 1n, hash: b1.hash })
      await expectState(s, AFTER_B1)
      expect(await entriesOf(s)).toEqual({ accounts: 2, slots: 2, codes: 1 })
      await s.apply(b2x)
      await expectState(s, { accounts: [[A, acct(2, 90n, CODE_HASH)], [C, acct(1, 61n)]], slots: [[A, 2n, 7n], [C, 8n, 3n]] })
      await s.revert(invertDiff(b2x))
      await s.revert(invertDiff(b1))
      await expectState(s, { accounts: [[A, acct(1, 100n, CODE_HASH)], [B, acct(0, 50n)], [C, undefined]], slots: [[A, 1n, 5n], [A, 2n, 7n], [A, 3n, 0n]] })
      expect((await s.stats()).transitions).toBe(7)
      await s.close()
    })

    test('refuses a block that does not follow its head', async () => {
      const s = await open({ dir: fresh() })
      const refused = async (f: () => unknown) => {
        try {
          await f()
        } catch (e) {
          return e instanceof StateDiffError ? e.code : e
        }
        return 'accepted'
      }
      expect(await refused(() => s.apply(b1))).toBe('OUT_OF_ORDER')
      await s.apply(b0)
      expect(await refused(() => s.apply(b0))).toBe('OUT_OF_ORDER')
      expect(await refused(() => s.apply(b2))).toBe('OUT_OF_ORDER')
      expect(await refused(() => s.revert(invertDiff(b1)))).toBe('OUT_OF_ORDER')
      expect(await refused(() => s.revert(b0))).toBe('OUT_OF_ORDER')
      expect(await s.head()).toEqual({ number: 0n, hash: b0.hash })
      await s.close()
    })

    if (opts.persistent) {
      test('keeps its head and data across close and open (a consumer resumes after the head)', async () => {
        const dir = fresh()
        const s = await open({ dir })
        for (const d of [b0, b1]) await s.apply(d)
        await s.flush()
        const stats = await s.stats()
        await s.close()
        const t = await open({ dir })
        expect(await t.head()).toEqual({ number: 1n, hash: b1.hash })
        await expectState(t, AFTER_B1)
        expect(await t.code(CODE_HASH)).toEqual(CODE)
        expect((await t.stats()).entries).toEqual(stats.entries)
        expect((await t.stats()).transitions).toBe(2)
        await t.apply(b2)
        expect(await t.head()).toEqual({ number: 2n, hash: b2.hash })
        await t.close()
      })
    }
  })
}
