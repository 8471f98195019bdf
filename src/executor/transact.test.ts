import { describe, expect, test } from 'bun:test'
import { hexToBytes } from '../primitives/index.ts'
import { JournaledState, MemoryState } from '../state/index.ts'
import { BLOCK_POLICY, transact, TransactError, type BlockEnv, type TransactMessage, type TransactPolicy } from './index.ts'

const SENDER = hexToBytes('0x00000000000000000000000000000000000000aa')
const TO = hexToBytes('0x00000000000000000000000000000000000000bb')
const env: BlockEnv = { coinbase: hexToBytes('0x00000000000000000000000000000000000000cc'), number: 1n, timestamp: 1n, gasLimit: 30_000_000n, baseFee: 7n, prevRandao: 0n, blobBaseFee: 1n, chainId: 1n }
const GETH: TransactPolicy = { ...BLOCK_POLICY, order: 'geth' }
const CALL: TransactPolicy = { checkNonce: false, checkEoa: false, noBaseFee: true, outputOnly: true, blockBudget: false, order: 'geth' }

const state = () => {
  const base = new MemoryState()
  base.setAccount(SENDER, { balance: 10n ** 18n })
  return new JournaledState(base, { block: env })
}
const message = (over: Partial<TransactMessage> = {}): TransactMessage => ({
  from: SENDER, to: TO, value: 1n, data: new Uint8Array(0), gas: 21_000n, nonce: 0n, gasPrice: 9n, feeCap: 10n, tipCap: 2n, accessList: [], blobHashes: [], blobFeeCap: 0n, ...over,
})
const kindOf = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    if (e instanceof TransactError) return e.kind
    throw e
  }
  return undefined
}

describe('transact', () => {
  test('a message that breaks two rules: the policy\'s order names one', () => {
    const m = message({ nonce: 3n, feeCap: 5n, tipCap: 1n, gasPrice: 5n })
    expect(kindOf(() => transact(state(), m, env, 'cancun', BLOCK_POLICY))).toBe('fee-cap-too-low')
    expect(kindOf(() => transact(state(), m, env, 'cancun', GETH))).toBe('nonce-too-high')
  })

  test('a call skips the nonce and, without fees, the fee checks; output only leaves no diff', () => {
    const s = state()
    const r = transact(s, message({ nonce: 9n, feeCap: 0n, tipCap: 0n, gasPrice: 0n }), { ...env, baseFee: 0n }, 'cancun', CALL)
    expect(r.execution.status).toBe('success')
    expect(r.gasUsed).toBe(21_000n)
    expect(r.diff.size).toBe(0)
    expect(kindOf(() => transact(state(), message({ nonce: 9n, feeCap: 0n, tipCap: 0n, gasPrice: 0n }), env, 'cancun', BLOCK_POLICY))).toBe('fee-cap-too-low')
  })

  test('numbers for the callers\' texts; the state is untouched', () => {
    const s = state()
    try {
      transact(s, message({ gas: 20_000n }), env, 'cancun', BLOCK_POLICY)
      throw new Error('accepted')
    } catch (e) {
      expect(e).toBeInstanceOf(TransactError)
      expect([(e as TransactError).kind, (e as TransactError).got, (e as TransactError).limit]).toEqual(['intrinsic-gas', 20_000n, 21_000n])
    }
    expect(s.blockDiff().size).toBe(0)
  })
})
