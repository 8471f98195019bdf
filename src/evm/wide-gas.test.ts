/** Gas above 2^53-1 (a bigint message gas): GAS, the 63/64 rule and gas left stay exact. */
import { describe, expect, test } from 'bun:test'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { analyze } from './analysis.ts'
import { executeMessage } from './execute.ts'
import { getFork } from './forks.ts'
import { Frame } from './frame.ts'
import { addGas, charge, MAX_GAS, totalGas } from './gas-meter.ts'
import { S } from './status.ts'
import { MemoryHost } from './testing/memory-host.ts'
import { CONTRACT, runCode, SENDER } from './testing/run-code.ts'

const B = '3000000000000000000000000000000000000003'
const word = (out: Uint8Array) => BigInt(bytesToHex(out))
const code = (s: string) => s.replace(/ /g, '')
// GAS MSTORE(0) RETURN(0, 32): returns the gas GAS saw
const RETURN_GAS = code('5a 6000 52 6020 6000 f3')
const W = 2n ** 63n

function frame(gas: number | bigint): Frame {
  const ctx = { host: new MemoryHost(), fork: getFork('osaka'), tracer: undefined, logs: [], stacks: [], mems: [] }
  const msg = { kind: 'call' as const, caller: SENDER, to: CONTRACT, codeAddress: CONTRACT, value: 0n, input: new Uint8Array(0), gas, depth: 0, isStatic: false }
  return new Frame(ctx, msg, new Uint8Array(0), analyze(new Uint8Array(0)), 0)
}

describe('wide gas', () => {
  test('GAS reads the exact total and the gas left comes back exact', () => {
    const r = runCode(RETURN_GAS, { gas: W })
    expect(r.status).toBe('success')
    expect(word(r.output)).toBe(W - 2n)
    // GAS 2, PUSH1 3, MSTORE 3 + 3 memory, PUSH1 3, PUSH1 3, RETURN 0
    expect(r.gasLeftWide).toBe(W - 17n)
    expect(r.gasUsed).toBe(17)
  })

  test('an all-gas CALL forwards exactly 63/64 of the wide total', () => {
    const host = new MemoryHost()
    host.setAccount(hexToBytes(`0x${B}`), { code: hexToBytes(`0x${RETURN_GAS}`) })
    // CALL(GAS, B, 0, 0, 0, 0, 32) then RETURN(0, 32)
    const r = runCode(code(`6020 6000 6000 6000 6000 73${B} 5a f1 50 6020 6000 f3`), { gas: W, host })
    expect(r.status).toBe('success')
    const avail = W - 20n - 3n - 2600n // pushes and GAS, memory for the return area, cold B
    expect(word(r.output)).toBe(avail - avail / 64n - 2n)
    expect(r.gasLeftWide).toBeDefined()
  })

  test('a halt burns all of a wide allowance', () => {
    const r = runCode('fe', { gas: W })
    expect(r.status).toBe('invalidOpcode')
    expect(r.gasLeft).toBe(0)
    expect(r.gasLeftWide).toBeUndefined()
  })

  test('a gas check the number part cannot pay draws on the reserve', () => {
    const f = frame(W)
    expect(f.gas).toBe(MAX_GAS)
    f.gas = 10 // as after spending almost 2^53
    const reserve = f.reserve
    expect(charge(f, 50)).toBe(true)
    expect(totalGas(f)).toBe(reserve + 10n - 50n)
    f.gas = 10
    f.reserve = 30n
    expect(charge(f, 50)).toBe(false)
    expect(f.status).toBe(S.OutOfGas)
  })

  test('gas handed back past 2^53-1 is added exactly', () => {
    const f = frame(100)
    f.gas = MAX_GAS - 1
    addGas(f, 2301)
    expect(totalGas(f)).toBe(BigInt(MAX_GAS) + 2300n)
    addGas(f, 7n)
    expect(totalGas(f)).toBe(BigInt(MAX_GAS) + 2307n)
  })

  test('a number gas that is not a safe integer is rejected', () => {
    const host = new MemoryHost()
    const msg = { kind: 'call' as const, caller: SENDER, to: CONTRACT, value: 0n, input: new Uint8Array(0), gas: 2 ** 60 }
    expect(() => executeMessage(host, msg, 'osaka')).toThrow(RangeError)
  })
})
