import { describe, expect, test } from 'bun:test'
import { bytesToBigint } from '../../primitives/index.ts'
import { runCode } from '../testing/run-code.ts'

const M = (1n << 256n) - 1n
const neg = (x: bigint) => (-x) & M
const push32 = (v: bigint) => '7f' + v.toString(16).padStart(64, '0')

/** Runs `OP(args[0], args[1], ...)` (args[0] on top) and returns the result word. */
export function evalOp(op: number, args: bigint[], fork: 'osaka' | 'cancun' = 'osaka'): bigint {
  let code = ''
  for (let i = args.length - 1; i >= 0; i--) code += push32(args[i]!)
  code += op.toString(16).padStart(2, '0') + '60005260206000f3'
  const r = runCode(code, { fork })
  if (r.status !== 'success') throw new Error(r.status)
  return bytesToBigint(r.output)
}

describe('arithmetic', () => {
  test('ADD/SUB/MUL wrap', () => {
    expect(evalOp(0x01, [M, 1n])).toBe(0n)
    expect(evalOp(0x03, [0n, 1n])).toBe(M)
    expect(evalOp(0x02, [M, M])).toBe(1n)
  })
  test('DIV/MOD by zero', () => {
    expect(evalOp(0x04, [5n, 0n])).toBe(0n)
    expect(evalOp(0x06, [5n, 0n])).toBe(0n)
    expect(evalOp(0x04, [7n, 2n])).toBe(3n)
  })
  test('SDIV edge cases', () => {
    const MIN = 1n << 255n
    expect(evalOp(0x05, [MIN, neg(1n)])).toBe(MIN)
    expect(evalOp(0x05, [neg(7n), 2n])).toBe(neg(3n))
    expect(evalOp(0x05, [7n, neg(2n)])).toBe(neg(3n))
    expect(evalOp(0x05, [neg(7n), 0n])).toBe(0n)
  })
  test('SMOD takes the sign of the dividend', () => {
    expect(evalOp(0x07, [neg(7n), 3n])).toBe(neg(1n))
    expect(evalOp(0x07, [7n, neg(3n)])).toBe(1n)
    expect(evalOp(0x07, [1n << 255n, neg(1n)])).toBe(0n)
    expect(evalOp(0x07, [5n, 0n])).toBe(0n)
  })
  test('ADDMOD/MULMOD', () => {
    expect(evalOp(0x08, [M, 2n, 0n])).toBe(0n)
    expect(evalOp(0x09, [M, 2n, 0n])).toBe(0n)
    expect(evalOp(0x08, [M, 2n, 2n])).toBe((M + 2n) % 2n)
    expect(evalOp(0x08, [M, M, 7n])).toBe((2n * M) % 7n)
    expect(evalOp(0x09, [M, M, 12n])).toBe((M * M) % 12n)
  })
  test('EXP', () => {
    expect(evalOp(0x0a, [2n, 255n])).toBe(1n << 255n)
    expect(evalOp(0x0a, [2n, 256n])).toBe(0n)
    expect(evalOp(0x0a, [3n, 0n])).toBe(1n)
    expect(evalOp(0x0a, [0n, 0n])).toBe(1n)
    expect(evalOp(0x0a, [M, M])).toBe(M)
    expect(evalOp(0x0a, [7n, 300n])).toBe(7n ** 300n & M)
  })
  test('EXP gas: 10 + 50 per exponent byte', () => {
    // PUSH2 0x0100 PUSH1 2 EXP → 3 + 3 + 10 + 2*50
    expect(runCode('61010060020a').gasUsed).toBe(116)
    expect(runCode('600060020a').gasUsed).toBe(16)
  })
  test('SIGNEXTEND', () => {
    expect(evalOp(0x0b, [0n, 0xffn])).toBe(M)
    expect(evalOp(0x0b, [0n, 0x7fn])).toBe(0x7fn)
    expect(evalOp(0x0b, [1n, 0x8000n])).toBe(M - 0x7fffn)
    expect(evalOp(0x0b, [31n, 0x80n])).toBe(0x80n)
    expect(evalOp(0x0b, [M, 0xffn])).toBe(0xffn)
    expect(evalOp(0x0b, [0n, 0x1ffn])).toBe(M)
  })
})

describe('comparison and bitwise', () => {
  test('signed comparisons', () => {
    expect(evalOp(0x12, [neg(1n), 0n])).toBe(1n)
    expect(evalOp(0x13, [neg(1n), 0n])).toBe(0n)
    expect(evalOp(0x10, [neg(1n), 0n])).toBe(0n)
    expect(evalOp(0x11, [neg(1n), 0n])).toBe(1n)
  })
  test('BYTE', () => {
    const x = 0x0102030405060708091011121314151617181920212223242526272829303132n
    expect(evalOp(0x1a, [0n, x])).toBe(0x01n)
    expect(evalOp(0x1a, [31n, x])).toBe(0x32n)
    expect(evalOp(0x1a, [32n, x])).toBe(0n)
    expect(evalOp(0x1a, [M, x])).toBe(0n)
  })
  test('SHL/SHR/SAR at and beyond 256', () => {
    expect(evalOp(0x1b, [255n, 1n])).toBe(1n << 255n)
    expect(evalOp(0x1b, [256n, 1n])).toBe(0n)
    expect(evalOp(0x1b, [1n, M])).toBe(M - 1n)
    expect(evalOp(0x1c, [256n, M])).toBe(0n)
    expect(evalOp(0x1c, [255n, M])).toBe(1n)
    expect(evalOp(0x1d, [256n, M])).toBe(M)
    expect(evalOp(0x1d, [M, 1n << 255n])).toBe(M)
    expect(evalOp(0x1d, [256n, 1n << 254n])).toBe(0n)
    expect(evalOp(0x1d, [4n, neg(16n)])).toBe(neg(1n))
    expect(evalOp(0x1d, [1n, neg(1n)])).toBe(M)
  })
  test('CLZ (EIP-7939, Osaka only)', () => {
    expect(evalOp(0x1e, [0n])).toBe(256n)
    expect(evalOp(0x1e, [1n])).toBe(255n)
    expect(evalOp(0x1e, [1n << 255n])).toBe(0n)
    expect(evalOp(0x1e, [M])).toBe(0n)
    expect(evalOp(0x1e, [0x6ffn])).toBe(245n)
    expect(evalOp(0x1e, [(1n << 200n) + 5n])).toBe(55n)
    expect(() => evalOp(0x1e, [1n], 'cancun')).toThrow('invalidOpcode')
    expect(runCode('60011e').gasUsed).toBe(8)
  })
  test('NOT / ISZERO / EQ', () => {
    expect(evalOp(0x19, [0n])).toBe(M)
    expect(evalOp(0x15, [0n])).toBe(1n)
    expect(evalOp(0x14, [M, M])).toBe(1n)
  })
})
