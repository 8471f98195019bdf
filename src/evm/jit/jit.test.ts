import { describe, expect, test } from 'bun:test'
import { compareTiers, fuzzTiers } from '../testing/differential.ts'
import { runCode } from '../testing/run-code.ts'
import { analyze } from '../analysis.ts'
import { getFork } from '../forks.ts'
import { hexToBytes } from '../../primitives/index.ts'
import { compile } from './compile.ts'
import { cachedPrograms, setJitMode } from './tier.ts'
import { randomProgram, rng } from '../testing/differential.ts'

describe('compiling tier', () => {
  test('2000 random programs: the same status, gas, refund, output, logs and storage as the interpreter', () => {
    expect(fuzzTiers(18, 2000)).toEqual([])
  }, 60_000)

  test('out of gas inside a block stops where the interpreter does', () => {
    // a loop of 30-gas iterations, then SSTORE; every gas limit around the edges
    const code = '6005 5b 6001 90 03 80 6002 57 50 6001 6000 55 00'.replace(/ /g, '')
    for (let gas = 0; gas < 400; gas++) expect(compareTiers(code, gas)).toBeUndefined()
    for (let gas = 22000; gas < 22400; gas++) expect(compareTiers(code, gas)).toBeUndefined()
  })

  test('stack underflow, overflow and bad jumps behave as in the interpreter', () => {
    for (const code of ['01', '6001 01', '600456 00 5b', '6003 56 5b', '6300ffffff 56', '5b 6000 6000 6000 60 00 56'.replace(/ /g, ''), '5b5f6000 56'.replace(/ /g, '')]) {
      expect(compareTiers(code.replace(/ /g, ''), 100_000)).toBeUndefined()
    }
    // 1025 pushes overflow in the last block
    expect(compareTiers('5f'.repeat(1025), 100_000)).toBeUndefined()
  })

  test('GAS inside a block reads what the interpreter reads', () => {
    expect(compareTiers('5a 6000 52 5a 6020 52 60406000f3'.replace(/ /g, ''), 50_000)).toBeUndefined()
  })

  test('PUSH constants are folded and stack values stay in locals', () => {
    const code = hexToBytes('0x6003600401600202600052' + '60206000f3')
    const { source } = compile(code, analyze(code), getFork('osaka'))
    expect(source).toContain('writeWord(f.memView, 0, 14n)')
    expect(source).not.toContain('H[1]')
  })

  test('a step tracer sees the interpreter', () => {
    setJitMode('on')
    try {
      const steps: number[] = []
      const r = runCode('6001600201', { tracer: { onStep: (pc) => steps.push(pc) } })
      expect(r.status).toBe('success')
      expect(steps).toEqual([0, 2, 4, 5])
    } finally {
      setJitMode('auto')
    }
  })

  test('code that defeats the compiler stays correct: every opcode, huge code, deep recursion', () => {
    // every opcode once, each after enough pushes for its operands
    let every = ''
    for (let op = 0; op < 256; op++) if (op < 0x60 || op > 0x7f) every += '6001'.repeat(7) + op.toString(16).padStart(2, '0')
    for (let i = 0; i < 0x100; i += 4) expect(compareTiers(every.slice(i * 2), 1_000_000)).toBeUndefined()
    // 24 KiB of random code (thousands of blocks)
    const r = rng(7)
    let huge = ''
    while (huge.length < 48_000) huge += randomProgram(r)
    expect(compareTiers(huge.slice(0, 48_000), 5_000_000)).toBeUndefined()
    // a contract calling itself with all its gas until the depth limit, then unwinding
    const recurse = '5a 6000 6000 6000 6000 6000 30 5a f1 6000 52 60206000f3'.replace(/ /g, '')
    expect(compareTiers(recurse, 30_000_000)).toBeUndefined()
  }, 60_000)

  test('one code object run under two forks is compiled for each', () => {
    setJitMode('on')
    try {
      // PUSH0 is an undefined opcode before Shanghai
      const code = hexToBytes('0x5f60005260206000f3')
      const paris = runCode(code, { fork: 'paris' })
      const osaka = runCode(code, { fork: 'osaka' })
      const parisAgain = runCode(code, { fork: 'paris' })
      expect([paris.status, osaka.status, parisAgain.status]).toEqual(['invalidOpcode', 'success', 'invalidOpcode'])
    } finally {
      setJitMode('auto')
    }
  })

  test('the program cache stays bounded when many different codes are compiled', () => {
    setJitMode('on')
    try {
      for (let i = 0; i < 1100; i++) {
        const code = `61${i.toString(16).padStart(4, '0')}600052 60206000f3`.replace(/ /g, '')
        expect(runCode(code).output[31]).toBe(i & 0xff)
      }
      // every one was compiled, the oldest dropped
      expect(cachedPrograms()).toBe(1024)
    } finally {
      setJitMode('auto')
    }
  })
})
