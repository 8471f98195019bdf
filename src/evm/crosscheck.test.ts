/**
 * Random straight-line programs (arithmetic, bitwise, stack, memory, keccak) run on Mosaic and on
 * @ethereumjs/evm (the dev-dependency peer): gas used, status class and output must agree.
 */
import { describe, expect, test } from 'bun:test'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { bytesToHex } from '../primitives/index.ts'
import { runCode } from './testing/run-code.ts'

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0')
// [opcode, pops, pushes]
const OPS: [number, number, number][] = [
  [0x01, 2, 1], [0x02, 2, 1], [0x03, 2, 1], [0x04, 2, 1], [0x05, 2, 1], [0x06, 2, 1], [0x07, 2, 1],
  [0x08, 3, 1], [0x09, 3, 1], [0x0a, 2, 1], [0x0b, 2, 1], [0x10, 2, 1], [0x11, 2, 1], [0x12, 2, 1],
  [0x13, 2, 1], [0x14, 2, 1], [0x15, 1, 1], [0x16, 2, 1], [0x17, 2, 1], [0x18, 2, 1], [0x19, 1, 1],
  [0x1a, 2, 1], [0x1b, 2, 1], [0x1c, 2, 1], [0x1d, 2, 1], [0x50, 1, 0], [0x58, 0, 1], [0x59, 0, 1],
  [0x5f, 0, 1], [0x80, 1, 2], [0x81, 2, 3], [0x83, 4, 5], [0x90, 2, 2], [0x91, 3, 3], [0x35, 1, 1], [0x36, 0, 1],
]

function randomValue(r: () => number): string {
  const kind = r()
  if (kind < 0.4) return '60' + hex2(Math.floor(r() * 70))
  if (kind < 0.55) return '7f' + 'ff'.repeat(31) + hex2(Math.floor(r() * 256))
  if (kind < 0.65) return '7f80' + '00'.repeat(31)
  const n = 1 + Math.floor(r() * 32)
  let s = hex2(0x5f + n)
  for (let i = 0; i < n; i++) s += hex2(Math.floor(r() * 256))
  return s
}

function randomProgram(r: () => number): string {
  let code = ''
  let depth = 0
  const steps = 5 + Math.floor(r() * 40)
  for (let i = 0; i < steps; i++) {
    const x = r()
    if (depth < 3 || x < 0.3) {
      code += randomValue(r)
      depth++
    } else if (x < 0.38) {
      // memory op with a small offset
      const which = [0x51, 0x52, 0x53, 0x20, 0x5e][Math.floor(r() * 5)]!
      if (which === 0x51) code += '60' + hex2(Math.floor(r() * 200)) + '51'
      else if (which === 0x20) code += '60' + hex2(Math.floor(r() * 100)) + '60' + hex2(Math.floor(r() * 200)) + '20'
      else if (which === 0x5e) { code += '60' + hex2(Math.floor(r() * 90)) + '60' + hex2(Math.floor(r() * 90)) + '60' + hex2(Math.floor(r() * 90)) + '5e'; depth-- }
      else { code += '60' + hex2(Math.floor(r() * 200)) + hex2(which); depth -= 2 }
      depth++
    } else {
      const candidates = OPS.filter(([, pops]) => pops <= depth)
      const [op, pops, pushes] = candidates[Math.floor(r() * candidates.length)]!
      code += hex2(op)
      depth += pushes - pops
    }
  }
  // return the stack top and a slice of memory
  return code + (depth > 0 ? '600052' : '') + '60406000f3'
}

describe('cross-check with @ethereumjs/evm', async () => {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun })
  const evm = await createEVM({ common })
  test('1000 random programs agree on gas, status and output', async () => {
    const r = rng(7)
    const calldata = new Uint8Array(40).map((_, i) => (i * 37 + 11) & 0xff)
    let compared = 0
    for (let i = 0; i < 1000; i++) {
      const code = randomProgram(r)
      const bytes = Buffer.from(code, 'hex')
      const gasLimit = 100_000
      const mine = runCode(new Uint8Array(bytes), { gas: gasLimit, fork: 'cancun', input: calldata })
      const theirs = await evm.runCode({ code: new Uint8Array(bytes), gasLimit: BigInt(gasLimit), data: calldata })
      const theirOk = theirs.exceptionError === undefined
      const ctx = `program ${code}`
      expect(mine.status === 'success', ctx).toBe(theirOk)
      if (theirOk) {
        expect(mine.gasUsed, ctx).toBe(Number(theirs.executionGasUsed))
        expect(bytesToHex(mine.output), ctx).toBe(bytesToHex(theirs.returnValue))
      }
      if (theirOk) compared++
    }
    console.log(`cross-check: ${compared} of 1000 programs succeeded on both`)
    expect(compared).toBeGreaterThan(500)
  })
})
