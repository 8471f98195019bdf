import { describe, expect, test } from 'bun:test'
import { hexToBytes } from '../primitives/index.ts'
import { CONTRACT, runCode } from './testing/run-code.ts'
import { MemoryHost } from './testing/memory-host.ts'
import type { Tracer } from './types.ts'

describe('tracer hooks', () => {
  test('onStep sees pre-step stack and full cost, frames nest in order', () => {
    const B = hexToBytes('0x3000000000000000000000000000000000000003')
    const host = new MemoryHost()
    host.setAccount(B, { code: hexToBytes('0x600160005200') }) // mstore(0, 1); stop
    host.setAccount(CONTRACT, { code: hexToBytes('0x600060006000600073300000000000000000000000000000000000000361fffffa00') })
    const events: string[] = []
    const tracer: Tracer = {
      onStep: (pc, op, _gas, cost, stack, _mem, depth) => events.push(`${depth}:${pc}:${op.toString(16)}:${cost}:${stack.length}`),
      onEnter: (m) => events.push(`enter ${m.kind} ${m.depth}`),
      onExit: (r, depth) => events.push(`exit ${r.status} ${depth}`),
    }
    const r = runCode('', { host, tracer })
    expect(r.status).toBe('success')
    expect(events[0]).toBe('enter call 0')
    const staticcall = events.findIndex((e) => e.startsWith('0:32:fa'))
    // the STATICCALL step (cost includes the 2600 cold access and the forwarded gas) comes before the child's steps
    expect(events[staticcall + 1]).toBe('enter staticcall 1')
    expect(events[staticcall]).toBe(`0:32:fa:${2600 + 0xffff}:6`)
    expect(events[staticcall + 2]).toBe('1:0:60:3:0')
    expect(events.at(-1)).toBe('exit success 0')
    expect(events).toContain('exit success 1')
  })
  test('onSelfDestruct reports the balance before it moves, and not for a static frame', () => {
    const seen: string[] = []
    const tracer: Tracer = { onSelfDestruct: (a, b, balance, depth) => seen.push(`${a[19]} ${b[19]} ${balance} ${depth}`) }
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { balance: 500n, code: hexToBytes('0x60ebff') }) // selfdestruct(0xeb)
    const r = runCode('', { host, tracer })
    expect(r.status).toBe('success')
    expect(seen).toEqual([`${CONTRACT[19]} ${0xeb} 500 0`])
    expect(r.host.getBalance(hexToBytes('0x00000000000000000000000000000000000000eb'))).toBe(500n)
    // the same code under STATICCALL halts before it acts: nothing is reported
    const B = hexToBytes('0x3000000000000000000000000000000000000003')
    const h2 = new MemoryHost()
    h2.setAccount(B, { balance: 7n, code: hexToBytes('0x60ebff') })
    h2.setAccount(CONTRACT, { code: hexToBytes('0x600060006000600073300000000000000000000000000000000000000361fffffa00') })
    seen.length = 0
    expect(runCode('', { host: h2, tracer }).status).toBe('success')
    expect(seen).toEqual([])
  })
  test('no tracer: the same result', () => {
    const code = '600260030160005260206000f3'
    let steps = 0
    const traced = runCode(code, { tracer: { onStep: () => steps++ } })
    const plain = runCode(code)
    expect(steps).toBe(8)
    expect(traced.gasUsed).toBe(plain.gasUsed)
    expect(traced.output).toEqual(plain.output)
  })
})
