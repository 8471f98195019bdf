import { describe, expect, test } from 'bun:test'
import { UsageError } from '../command.ts'
import { runCommand } from './run.ts'

async function capture(args: string[], files: Record<string, string> = {}) {
  const lines: string[] = []
  const code = await runCommand(args, { out: (l) => lines.push(l), readFile: async (p) => files[p] ?? '' })
  return { code, lines }
}

describe('mosaic run', () => {
  test('prints output, gas used and status', async () => {
    const { code, lines } = await capture(['--code', '600260030160005260206000f3'])
    expect(code).toBe(0)
    expect(JSON.parse(lines[0]!)).toEqual({
      output: '0x0000000000000000000000000000000000000000000000000000000000000005',
      gasUsed: '0x18',
      status: 'success',
    })
  })
  test('--trace prints geth-style struct logs', async () => {
    const { lines } = await capture(['--code', '0x6001600201', '--trace'])
    const steps = lines.slice(0, -1).map((l) => JSON.parse(l))
    expect(steps.map((s) => s.opName)).toEqual(['PUSH1', 'PUSH1', 'ADD', 'STOP'])
    expect(steps[2]).toMatchObject({ pc: 4, op: 1, gasCost: '0x3', stack: ['0x1', '0x2'], depth: 1 })
  })
  test('--codefile, --input and --fork', async () => {
    const { lines } = await capture(['--codefile', 'c.hex', '--input', '0xff', '--fork', 'cancun'], { 'c.hex': '36600052 60206000f3\n'.replace(' ', '') })
    expect(JSON.parse(lines[0]!).output).toBe('0x0000000000000000000000000000000000000000000000000000000000000001')
  })
  test('failures exit 1; bad flags are usage errors', async () => {
    expect((await capture(['--code', 'fe'])).code).toBe(1)
    expect(capture(['--code', 'zz'])).rejects.toThrow(UsageError)
    expect(capture([])).rejects.toThrow(UsageError)
    expect(capture(['--code', '00', '--fork', 'frontier'])).rejects.toThrow(UsageError)
  })
  test('--bench reports timing', async () => {
    const { lines } = await capture(['--code', '6001600201', '--bench'])
    expect(JSON.parse(lines[1]!).runs).toBeGreaterThan(2)
  })
})
