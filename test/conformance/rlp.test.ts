/**
 * ethereum/tests RLPTests: rlptest.json (encode `in` to `out`, decode `out` back to `in`),
 * invalidRLPTest.json (decoding must throw RlpError) and RandomRLPTests (decoding succeeds and
 * re-encodes to the same bytes). In `in`, strings are UTF-8 bytes and `#NNN` a big integer.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { bigintToBytes, bytesToHex, decodeRlp, encodeRlp, hexToBytes, RlpError, utf8ToBytes, type RlpInput, type RlpItem } from '../../src/primitives/index.ts'
import { describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'

type JsonIn = string | number | JsonIn[]
interface RlpCase {
  in: JsonIn
  out: string
}

function toInput(v: JsonIn): RlpInput {
  if (Array.isArray(v)) return v.map(toInput)
  if (typeof v === 'number') return BigInt(v)
  return v.startsWith('#') ? BigInt(v.slice(1)) : utf8ToBytes(v)
}

/** The decoded form of `in`: integers as their minimal big-endian bytes. */
function toItem(v: JsonIn): RlpItem {
  if (Array.isArray(v)) return v.map(toItem)
  if (typeof v === 'number') return bigintToBytes(BigInt(v))
  return v.startsWith('#') ? bigintToBytes(BigInt(v.slice(1))) : utf8ToBytes(v)
}

const show = (item: RlpItem): unknown => (Array.isArray(item) ? item.map(show) : bytesToHex(item))

function cases(file: string): [string, RlpCase][] {
  return Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, RlpCase>)
}

function run(id: string, fn: () => void) {
  const known = knownFailure('RLPTests', id)
  test(id, () => {
    if (!known) return fn()
    expect(fn, `listed as a known failure (${known}) but passes`).toThrow()
  })
}

describeFixtures('RLPTests', ['ethereum-tests', 'RLPTests'], (dir) => {
  for (const [name, c] of cases(join(dir, 'rlptest.json'))) {
    run(`rlptest.json:${name}`, () => {
      expect(bytesToHex(encodeRlp(toInput(c.in)))).toBe(bytesToHex(hexToBytes(c.out)))
      expect(show(decodeRlp(hexToBytes(c.out)))).toEqual(show(toItem(c.in)))
    })
  }
  for (const [name, c] of cases(join(dir, 'invalidRLPTest.json'))) {
    run(`invalidRLPTest.json:${name}`, () => {
      expect(() => decodeRlp(hexToBytes(c.out))).toThrow(RlpError)
    })
  }
  for (const file of jsonFiles(join(dir, 'RandomRLPTests'))) {
    for (const [name, c] of cases(file)) {
      run(`${relative(dir, file)}:${name}`, () => {
        const bytes = hexToBytes(c.out)
        expect(bytesToHex(encodeRlp(decodeRlp(bytes) as RlpInput))).toBe(bytesToHex(bytes))
      })
    }
  }
})
