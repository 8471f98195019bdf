import { describe, expect, test } from 'bun:test'
import { getFork } from '../forks.ts'
import { signatureKey, SignatureTable, withSignatureOverrides } from './signature-overrides.ts'

const word = (b: number) => new Uint8Array(32).fill(b)
const v = (n: number) => Object.assign(new Uint8Array(32), { [31]: n })
const input = (vByte: number) => new Uint8Array([...word(0xab), ...v(vByte), ...word(0x11), ...word(0x22)])
const who = new Uint8Array(20).fill(0xa7)

describe('ecrecover overrides', () => {
  const plain = getFork('prague')
  const table = new SignatureTable()
  const fork = withSignatureOverrides(plain, table)
  const ecrecover = fork.precompiles.get(1)!

  test('an overridden signature (r || s || v) recovers to its address at ECRECOVER price', () => {
    expect(ecrecover(input(27), 10_000, fork)).toEqual(plain.precompiles.get(1)!(input(27), 10_000, plain))
    table.set(signatureKey(word(0x11), word(0x22), 27), who)
    const r = ecrecover(input(27), 10_000, fork)
    expect(r).toEqual({ status: 'success', gasUsed: 3000, output: new Uint8Array([...new Uint8Array(12), ...who]) })
    // another v, or too little gas: the plain precompile's answer
    expect(ecrecover(input(28), 10_000, fork)).toEqual(plain.precompiles.get(1)!(input(28), 10_000, plain))
    expect(ecrecover(input(27), 2_999, fork).status).toBe('outOfGas')
  })

  test('one derived fork per table and fork; the other precompiles unchanged', () => {
    expect(withSignatureOverrides(plain, table)).toBe(fork)
    expect(fork.precompiles.get(2)).toBe(plain.precompiles.get(2)!)
    expect(table.entries()).toEqual([[`0x${'11'.repeat(32)}${'22'.repeat(32)}1b`, `0x${'a7'.repeat(20)}`]])
  })
})
