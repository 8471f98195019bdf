/**
 * TrieTests (ethereum/tests): every case through the native whole-set roots and through the
 * incremental trie (inserts and deletes in order), plus next/prev key iteration.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { bytesToHex, compareBytes, hexToBytes, utf8ToBytes } from '../../src/primitives/index.ts'
import { secureTrieRoot, Trie, trieRoot } from '../../src/trie/index.ts'
import { describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

const bytes = (s: string | null): Uint8Array => (s === null ? new Uint8Array(0) : s.startsWith('0x') ? hexToBytes(s) : utf8ToBytes(s))

interface TrieCase {
  in: Record<string, string | null> | [string, string | null][]
  root: string
}

function check(file: string, name: string, c: TrieCase): void {
  const secure = file.includes('secure')
  const ops: [Uint8Array, Uint8Array][] = (Array.isArray(c.in) ? c.in : Object.entries(c.in)).map(([k, v]) => [bytes(k), bytes(v)])
  // Incremental: apply in order (null / empty value deletes).
  const trie = new Trie({ secure })
  for (const [k, v] of ops) trie.put(k, v)
  expect(bytesToHex(trie.root()) as string).toBe(c.root)
  // Whole set: the final map of the same operations.
  const final = new Map<string, [Uint8Array, Uint8Array]>()
  for (const [k, v] of ops) final.set(bytesToHex(k), [k, v])
  const entries = [...final.values()].filter(([, v]) => v.length > 0)
  expect(bytesToHex((secure ? secureTrieRoot : trieRoot)(entries)) as string).toBe(c.root)
}

describeFixtures('TrieTests', ['ethereum-tests', 'TrieTests'], (dir) => {
  for (const file of jsonFiles(dir)) {
    const name = basename(file)
    const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    for (const [caseName, c] of Object.entries(cases)) {
      const id = `${name}/${caseName}`
      const reason = knownFailure('TrieTests', id)
      if (name === 'trietestnextprev.json') {
        test(id, () => checkNextPrev(c as NextPrevCase))
        continue
      }
      test(id, () => {
        if (reason) expect(() => check(name, caseName, c as TrieCase)).toThrow()
        else check(name, caseName, c as TrieCase)
      })
    }
  }
})

interface NextPrevCase {
  in: string[]
  tests: [string, string, string][]
}

/** For each probe key: the previous and next stored keys in trie order ("" when none). */
function checkNextPrev(c: NextPrevCase): void {
  const trie = new Trie()
  for (const k of c.in) trie.put(bytes(k), bytes(k))
  const keys = [...trie.entries()].map(([k]) => k)
  expect(keys.length).toBe(c.in.length)
  for (const [probe, prev, next] of c.tests) {
    const p = bytes(probe)
    const before = keys.filter((k) => compareBytes(k, p) < 0)
    const after = keys.filter((k) => compareBytes(k, p) > 0)
    expect(before.length ? new TextDecoder().decode(before.at(-1)) : '').toBe(prev)
    expect(after.length ? new TextDecoder().decode(after[0]) : '').toBe(next)
  }
}
