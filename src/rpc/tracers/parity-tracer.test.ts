/**
 * The flat trace list built from the EVM's frame hooks, without an EVM: depth-first order,
 * traceAddress as the path of child positions, subtraces as the count of kept children (a
 * SELFDESTRUCT's suicide trace counted, last), precompile calls without value below the top
 * left out (and not counted), delegatecall's from/to, error texts and null results on halts,
 * and the stand-in top frame for a run the EVM never entered.
 */
import { expect, test } from 'bun:test'
import type { CallKind, ExecutionStatus, Message } from '../../evm/index.ts'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { ParityTracer } from './parity-tracer.ts'

const addr = (n: number) => hexToBytes(`0x${n.toString(16).padStart(40, '0')}`)
const hexAddr = (n: number) => bytesToHex(addr(n))
const PRECOMPILES = new Set([hexAddr(1), hexAddr(4)])

function msg(kind: CallKind, caller: number, to: number, depth: number, extra: Partial<Message> = {}): Message {
  return { kind, caller: addr(caller), to: addr(to), value: 0n, input: new Uint8Array(0), gas: 100_000, depth, ...extra }
}
const exit = (t: ParityTracer, status: ExecutionStatus = 'success', gasLeft = 40_000) => t.onExit({ status, gasLeft, gasRefund: 0, output: new Uint8Array(0), logs: [] })
const fallback = { msg: msg('call', 0xa, 0xb, 0), status: 'success' as ExecutionStatus }

test('nested frames: depth-first order, traceAddress paths, subtraces per frame', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 0x10, 0)) // []
  t.onEnter(msg('call', 0x10, 0x20, 1)) //   [0]
  t.onEnter(msg('call', 0x20, 0x30, 2)) //     [0, 0]
  exit(t)
  t.onEnter(msg('staticcall', 0x20, 0x31, 2)) //     [0, 1]
  exit(t)
  exit(t)
  t.onEnter(msg('create', 0x10, 0x40, 1)) //   [1]
  exit(t)
  exit(t)
  const list = t.traces(fallback)
  expect(list.map((x) => [x.traceAddress, x.subtraces, x.type])).toEqual([
    [[], 2, 'call'],
    [[0], 2, 'call'],
    [[0, 0], 0, 'call'],
    [[0, 1], 0, 'call'],
    [[1], 0, 'create'],
  ])
  expect(list[3]!.action.callType).toBe('staticcall')
  expect(list[4]!.action.creationMethod).toBe('create')
  expect(list[4]!.result).toEqual({ address: hexAddr(0x40), code: '0x', gasUsed: '0xea60' })
})

test('a precompile call without value below the top frame is left out and not counted; with value it stays', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 0x10, 0))
  t.onEnter(msg('staticcall', 0x10, 1, 1)) // ecrecover: left out
  exit(t)
  t.onEnter(msg('call', 0x10, 4, 1, { value: 1n })) // identity with value: kept, at position 0
  exit(t)
  t.onEnter(msg('call', 0x10, 0x20, 1)) // position 1
  exit(t)
  exit(t)
  const list = t.traces(fallback)
  expect(list.map((x) => [x.traceAddress, x.subtraces, x.action.to])).toEqual([
    [[], 2, hexAddr(0x10)],
    [[0], 0, hexAddr(4)],
    [[1], 0, hexAddr(0x20)],
  ])
})

test('a precompile at the top level is traced', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 4, 0))
  exit(t)
  expect(t.traces(fallback).map((x) => x.action.to)).toEqual([hexAddr(4)])
})

test('SELFDESTRUCT: a suicide trace as the frame\'s last child, counted in its subtraces; none when the frame halted', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 0x10, 0))
  t.onEnter(msg('call', 0x10, 0x20, 1))
  exit(t)
  t.onSelfDestruct(addr(0x10), addr(0xbe), 5n)
  exit(t)
  const list = t.traces(fallback)
  expect(list.map((x) => [x.type, x.traceAddress, x.subtraces])).toEqual([
    ['call', [], 2],
    ['call', [0], 0],
    ['suicide', [1], 0],
  ])
  expect(list[2]!.action).toEqual({ address: hexAddr(0x10), refundAddress: hexAddr(0xbe), balance: '0x5' })

  const failed = new ParityTracer(PRECOMPILES)
  failed.onEnter(msg('call', 0xa, 0x10, 0))
  failed.onSelfDestruct(addr(0x10), addr(0xbe), 5n)
  exit(failed, 'outOfGas', 0)
  expect(failed.traces(fallback).map((x) => x.type)).toEqual(['call'])
})

test('DELEGATECALL comes from the calling contract and goes to the code it runs', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 0x10, 0))
  t.onEnter(msg('delegatecall', 0xa, 0x10, 1, { codeAddress: addr(0x77) }))
  exit(t)
  exit(t)
  const inner = t.traces(fallback)[1]!
  expect([inner.action.from, inner.action.to, inner.action.callType]).toEqual([hexAddr(0x10), hexAddr(0x77), 'delegatecall'])
})

test('halts: a revert keeps its result with the error, other halts have a null result', () => {
  const t = new ParityTracer(PRECOMPILES)
  t.onEnter(msg('call', 0xa, 0x10, 0))
  t.onEnter(msg('call', 0x10, 0x20, 1))
  exit(t, 'revert', 90_000)
  t.onEnter(msg('call', 0x10, 0x21, 1))
  exit(t, 'invalidJump', 0)
  exit(t)
  const [, reverted, halted] = t.traces(fallback)
  expect([reverted!.error, reverted!.result]).toEqual(['Reverted', { gasUsed: '0x2710', output: '0x' }])
  expect([halted!.error, halted!.result]).toEqual(['Bad jump destination', null])
  // the key order the other clients print: error before result
  expect(Object.keys(reverted!)).toEqual(['type', 'action', 'error', 'result', 'subtraces', 'traceAddress'])
})

test('a run the EVM never entered (a creation onto an occupied address) gets the stand-in top frame', () => {
  const t = new ParityTracer(PRECOMPILES)
  const list = t.traces({ msg: msg('create', 0xa, 0x40, 0), status: 'createCollision' })
  expect(list).toHaveLength(1)
  expect([list[0]!.type, list[0]!.error, list[0]!.traceAddress, list[0]!.subtraces]).toEqual(['create', 'Contract address collision', [], 0])
})
