import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import { C, testNode } from './testing/harness.ts'

const h = bytesToHex
const word = (n: number) => '0x' + n.toString(16).padStart(64, '0')
const NOPE = '0x08c379a0' + word(0x20).slice(2) + word(4).slice(2) + '6e6f7065'.padEnd(64, '0')
// returns TIMESTAMP, NUMBER, BASEFEE, COINBASE as four words
const ENV_CODE = '0x42600052436020524860405241606052608060' + '00f3'

describe('eth_call', () => {
  test('runs without a signature, nested calls, no state change', async () => {
    const n = testNode()
    expect(await n.call('eth_call', [{ to: h(C.forwarder), input: word(7) }, 'latest'])).toBe(word(7))
    expect(await n.call('eth_call', [{ to: h(C.storeLog), data: word(9) }])).toBe(word(9))
    expect(await n.call('eth_getStorageAt', [h(C.storeLog), '0x0'])).toBe(word(0))
    expect(await n.call('eth_blockNumber')).toBe('0x0')
  })

  test('revert: code 3, data, decoded reason', async () => {
    const n = testNode()
    const e = await n.fails('eth_call', [{ to: h(C.reverter) }])
    expect(e).toEqual({ code: 3, message: 'execution reverted: nope', data: NOPE })
  })

  test('halts and validation errors in geth words', async () => {
    const n = testNode()
    expect(await n.fails('eth_call', [{ to: h(C.loop), gas: '0x10000' }])).toEqual({ code: -32000, message: 'out of gas' })
    const poor = '0x' + '99'.repeat(20)
    const e = await n.fails('eth_call', [{ from: poor, to: h(C.storeLog), value: '0x1' }])
    expect(e.code).toBe(-32000)
    expect(e.message).toStartWith('err: insufficient funds for gas * price + value: address 0x9999999999999999999999999999999999999999 have 0 want 1 (supplied gas 50000000)')
    expect((await n.fails('eth_call', [{ to: h(C.storeLog), gas: '0x1000' }])).message).toStartWith('err: intrinsic gas too low: have 4096, want 21')
    expect((await n.fails('eth_call', [{ to: h(C.storeLog), input: '0x01', data: '0x02' }])).message).toContain('both "data" and "input" are set')
    expect((await n.fails('eth_call', [{ to: h(C.storeLog), gasPrice: '0x1', maxFeePerGas: '0x2' }])).message).toBe('both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified')
    // a field eth_call does not use is ignored (geth, anvil); the ones it uses are checked
    expect(await n.call('eth_call', [{ to: h(C.storeLog), gass: '0x1', hash: '0x12' }])).toStartWith('0x')
    expect((await n.fails('eth_call', [{ to: h(C.storeLog), gas: 'x' }])).code).toBe(-32602)
    expect((await n.fails('eth_call', [{ to: h(C.storeLog), maxFeePerGas: '0x1' }])).message).toContain('max fee per gas less than block base fee')
  })

  test('state overrides: balance, code, state, stateDiff', async () => {
    const n = testNode()
    const who = '0x' + '12'.repeat(20)
    // BALANCE of CALLER, returned
    const code = '0x3331600052' + '60206000f3'
    const r = await n.call('eth_call', [{ from: who, to: h(C.storeLog) }, 'latest', { [h(C.storeLog)]: { code }, [who]: { balance: '0x1234' } }])
    expect(r).toBe(word(0x1234))
    // SLOAD slot 1 returned
    const sload = '0x600154600052' + '60206000f3'
    const over = { [h(C.storeLog)]: { code: sload, stateDiff: { '0x1': word(5) } } }
    expect(await n.call('eth_call', [{ to: h(C.storeLog) }, 'latest', over])).toBe(word(5))
    const both = { [h(C.storeLog)]: { state: {}, stateDiff: {} } }
    expect((await n.fails('eth_call', [{ to: h(C.storeLog) }, 'latest', both])).message).toContain("has both 'state' and 'stateDiff'")
    const moved = { [h(C.storeLog)]: { movePrecompileToAddress: who } }
    expect((await n.fails('eth_call', [{ to: h(C.storeLog) }, 'latest', moved])).message).toContain('movePrecompileToAddress')
  })

  test('block overrides and the zero-fee base fee', async () => {
    const n = testNode()
    const over = { [h(C.storeLog)]: { code: ENV_CODE } }
    const out = await n.call('eth_call', [{ to: h(C.storeLog) }, 'latest', over, { time: '0x1234', number: '0x77', feeRecipient: '0x' + 'ab'.repeat(20) }])
    const words = out.slice(2).match(/.{64}/g)!.map((w: string) => BigInt('0x' + w))
    expect(words[0]).toBe(0x1234n)
    expect(words[1]).toBe(0x77n)
    expect(words[2]).toBe(0n) // no fee given: BASEFEE reads 0, as in geth
    expect(words[3]).toBe(0xababababababababababababababababababababn)
    const paid = await n.call('eth_call', [{ from: h(n.accounts[0]!), to: h(C.storeLog), maxFeePerGas: '0x' + (10n ** 10n).toString(16) }, 'latest', over])
    expect(BigInt('0x' + paid.slice(130, 194))).toBeGreaterThan(0n)
  })

  test('timeout', async () => {
    const n = testNode({ limits: { evmTimeoutMs: 1, gasCap: 3_000_000_000n } })
    // a loop of CALLs to itself keeps entering frames; the deadline is checked on each
    const selfCall = '0x5b' + '6000600060006000600030' + '5af1' + '50' + '600056'
    const e = await n.fails('eth_call', [{ to: h(C.storeLog), gas: '0x' + (3_000_000_000n).toString(16) }, 'latest', { [h(C.storeLog)]: { code: selfCall } }])
    expect(e).toEqual({ code: -32000, message: 'execution aborted (timeout = 1ms)' })
  })
})

describe('eth_estimateGas', () => {
  test('transfers, binary search, reverts', async () => {
    const n = testNode()
    const from = h(n.accounts[0]!)
    expect(await n.call('eth_estimateGas', [{ from, to: '0x' + '12'.repeat(20), value: '0x1' }])).toBe('0x5208')
    const est = BigInt(await n.call('eth_estimateGas', [{ from, to: h(C.needs50k) }]))
    // the estimate works, and is within geth's 1.5% of the minimum
    await n.call('eth_call', [{ from, to: h(C.needs50k), gas: '0x' + est.toString(16) }])
    expect((await n.fails('eth_call', [{ from, to: h(C.needs50k), gas: '0x' + ((est * 985n) / 1000n).toString(16) }])).code).toBe(3)
    expect(est).toBeGreaterThan(71_000n)
    const storeEst = BigInt(await n.call('eth_estimateGas', [{ from, to: h(C.storeLog), input: word(1) }]))
    const hash = await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: word(1), gas: '0x' + storeEst.toString(16) }])
    expect((await n.call('eth_getTransactionReceipt', [hash])).status).toBe('0x1')
    expect(await n.fails('eth_estimateGas', [{ from, to: h(C.reverter) }])).toMatchObject({ code: 3, message: 'execution reverted: nope' })
    expect((await n.fails('eth_estimateGas', [{ from, to: h(C.loop) }])).message).toBe('gas required exceeds allowance (30000000)')
  })
})

describe('eth_createAccessList', () => {
  test('lists the slots and called accounts', async () => {
    const n = testNode()
    const from = h(n.accounts[0]!)
    const r = await n.call('eth_createAccessList', [{ from, to: h(C.forwarder), input: word(3) }])
    expect(r.accessList).toEqual([{ address: h(C.storeLog), storageKeys: [word(0)] }])
    expect(BigInt(r.gasUsed)).toBeGreaterThan(21_000n)
    expect(r).not.toHaveProperty('error')
    const failing = await n.call('eth_createAccessList', [{ from, to: h(C.reverter) }])
    expect(failing.error).toBe('execution reverted')
  })
})
