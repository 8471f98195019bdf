import { describe, expect, test } from 'bun:test'
import { CONTRACT, runCode } from '../testing/run-code.ts'
import { MemoryHost } from '../testing/memory-host.ts'

/** EIP-3529 test cases (slot 0 already in the access list). */
const EIP3529: [string, number, number, bigint][] = [
  ['0x60006000556000600055', 212, 0, 0n],
  ['0x60006000556001600055', 20112, 0, 0n],
  ['0x60016000556000600055', 20112, 19900, 0n],
  ['0x60016000556002600055', 20112, 0, 0n],
  ['0x60016000556001600055', 20112, 0, 0n],
  ['0x60006000556000600055', 3012, 4800, 1n],
  ['0x60006000556001600055', 3012, 2800, 1n],
  ['0x60006000556002600055', 3012, 0, 1n],
  ['0x60026000556000600055', 3012, 4800, 1n],
  ['0x60026000556003600055', 3012, 0, 1n],
  ['0x60026000556001600055', 3012, 2800, 1n],
  ['0x60026000556002600055', 3012, 0, 1n],
  ['0x60016000556000600055', 3012, 4800, 1n],
  ['0x60016000556002600055', 3012, 0, 1n],
  ['0x60016000556001600055', 212, 0, 1n],
  ['0x600160005560006000556001600055', 40118, 19900, 0n],
  ['0x600060005560016000556000600055', 5918, 7600, 1n],
]

describe('SSTORE (EIP-2200 + EIP-2929 + EIP-3529)', () => {
  for (const [code, gas, refund, original] of EIP3529) {
    test(`${code} original=${original}`, () => {
      const host = new MemoryHost()
      host.setAccount(CONTRACT, { code: new Uint8Array(Buffer.from(code.slice(2), 'hex')), storage: new Map(original ? [[0n, original]] : []) })
      host.warmSlot(CONTRACT, 0n)
      const r = runCode(code, { host, fork: 'cancun' })
      expect(r.status).toBe('success')
      expect(r.gasUsed).toBe(gas)
      expect(r.gasRefund).toBe(refund)
    })
  }
  test('cold slot costs 2100 more', () => {
    expect(runCode('60006000556000600055').gasUsed).toBe(2312)
  })
  test('fails with 2300 gas or less left (EIP-2200 stipend rule)', () => {
    expect(runCode('6001600055', { gas: 2306 }).status).toBe('outOfGas')
  })
  test('SLOAD warm/cold', () => {
    // SLOAD(0) twice: 3 + 2100 + 3 + 100 + POP*2
    expect(runCode('600054506000545000').gasUsed).toBe(3 + 2100 + 2 + 3 + 100 + 2)
  })
})

describe('transient storage (EIP-1153)', () => {
  test('TSTORE then TLOAD', () => {
    const r = runCode('602a60005d60005c60005260206000f3')
    expect(r.status).toBe('success')
    expect(r.output[31]).toBe(42)
    expect(r.gasUsed).toBe(3 + 3 + 100 + 3 + 100 + 3 + 3 + 3 + 3 + 3)
  })
  test('not in Shanghai', () => {
    expect(runCode('60005c', { fork: 'shanghai' }).status).toBe('invalidOpcode')
  })
})
