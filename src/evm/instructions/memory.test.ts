import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../../primitives/index.ts'
import { memoryCost } from '../gas.ts'
import { runCode } from '../testing/run-code.ts'

describe('memory', () => {
  test('expansion cost is 3w + w²/512', () => {
    expect(memoryCost(1)).toBe(3)
    expect(memoryCost(32)).toBe(98)
    expect(memoryCost(1024)).toBe(3072 + 2048)
  })
  test('MSTORE at 0x3e0 expands to 32 words', () => {
    // PUSH1 1 PUSH2 0x03e0 MSTORE
    expect(runCode('60016103e052').gasUsed).toBe(3 + 3 + 3 + 98)
  })
  test('MLOAD past the end reads zero and grows MSIZE', () => {
    const r = runCode('60405150596000526020 6000f3'.replace(/ /g, ''))
    expect(r.output[31]).toBe(0x60)
  })
  test('MSTORE8 stores the low byte', () => {
    const r = runCode('61abcd60005360206000f3')
    expect(r.output[0]).toBe(0xcd)
  })
  test('huge offsets run out of gas', () => {
    expect(runCode('60017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff52').status).toBe('outOfGas')
    expect(runCode('6001640100000000 52'.replace(' ', '')).status).toBe('outOfGas')
  })
  test('MCOPY (EIP-5656) copies overlapping ranges', () => {
    // mstore(0, 0x0102...): PUSH32 ..., PUSH1 0, MSTORE; MCOPY(dst=1, src=0, size=8); RETURN 32 bytes
    const word = '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20'
    const r = runCode(`7f${word}600052600860006001 5e60206000f3`.replace(' ', ''))
    expect(r.status).toBe('success')
    expect(bytesToHex(r.output).slice(2, 20)).toBe('010102030405060708')
  })
  test('MCOPY gas: 3 + 3/word + expansion', () => {
    // MCOPY(dst=32, src=0, size=32): pushes 9, mcopy 3 + 3 + expansion to 2 words (6)
    expect(runCode('6020600060205e').gasUsed).toBe(9 + 3 + 3 + 6)
    expect(runCode('6000600060205e').gasUsed).toBe(9 + 3)
  })
  test('KECCAK256 of empty and of 32 zero bytes', () => {
    const r = runCode('6000600020600052602060 00f3'.replace(' ', ''))
    expect(bytesToHex(r.output)).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(runCode('6020600020').gasUsed).toBe(3 + 3 + 30 + 6 + 3)
  })
})
