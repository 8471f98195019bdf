import { describe, expect, test } from 'bun:test'
import { hexToBytes } from '../primitives/index.ts'
import { JournaledState, MemoryState } from '../state/index.ts'
import type { Transaction } from '../types/index.ts'
import { blobBaseFeeAt, executeTransaction, InvalidTransactionError, type BlockEnv } from './index.ts'

const SENDER = hexToBytes('0x00000000000000000000000000000000000000aa')
const TO = hexToBytes('0x00000000000000000000000000000000000000bb')
const COINBASE = hexToBytes('0x00000000000000000000000000000000000000cc')
const env: BlockEnv = { coinbase: COINBASE, number: 1n, timestamp: 1n, gasLimit: 30_000_000n, baseFee: 7n, prevRandao: 0n, blobBaseFee: 1n, chainId: 1n }

function setup() {
  const base = new MemoryState()
  base.setAccount(SENDER, { balance: 10n ** 18n })
  return { base, state: new JournaledState(base, { block: env }) }
}

interface ExecuteArgs {
  fork?: 'cancun' | 'osaka'
  blockBlobGasUsed?: bigint
  /** null: the sender did not recover */
  sender?: Uint8Array | null
  order?: 'spec' | 'geth'
}

const transfer = (over: Partial<Transaction> = {}): Transaction =>
  ({ type: 2, chainId: 1n, nonce: 0n, gasLimit: 21_000n, to: TO, value: 5n, data: new Uint8Array(0), maxFeePerGas: 10n, maxPriorityFeePerGas: 2n, accessList: [], yParity: 0, r: 1n, s: 1n, ...over }) as Transaction

describe('executeTransaction', () => {
  test('a transfer pays base fee + tip and moves the value', () => {
    const { state } = setup()
    const r = executeTransaction(state, transfer(), SENDER, env, 'cancun')
    expect(r.gasUsed).toBe(21_000n)
    expect(r.receipt.status).toBe(1)
    expect(state.getBalance(TO)).toBe(5n)
    expect(state.getBalance(COINBASE)).toBe(21_000n * 2n)
    expect(state.getBalance(SENDER)).toBe(10n ** 18n - 5n - 21_000n * 9n)
    expect(state.getNonce(SENDER)).toBe(1n)
    expect(r.diff.size).toBe(3)
  })

  test('invalid transactions are rejected with the fixture exception name, state unchanged', () => {
    const cases: [Partial<Transaction>, string][] = [
      [{ nonce: 1n }, 'NONCE_MISMATCH_TOO_HIGH'],
      [{ maxFeePerGas: 6n, maxPriorityFeePerGas: 1n }, 'INSUFFICIENT_MAX_FEE_PER_GAS'],
      [{ gasLimit: 20_999n }, 'INTRINSIC_GAS_TOO_LOW'],
      [{ value: 10n ** 18n }, 'INSUFFICIENT_ACCOUNT_FUNDS'],
      [{ gasLimit: 30_000_001n }, 'GAS_ALLOWANCE_EXCEEDED'],
    ]
    for (const [over, name] of cases) {
      const { state } = setup()
      let err: unknown
      try {
        executeTransaction(state, transfer(over), SENDER, env, 'cancun')
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(InvalidTransactionError)
      expect((err as InvalidTransactionError).exception).toBe(name as never)
      expect(state.blockDiff().size).toBe(0)
    }
  })

  test('a transaction breaking several rules is named by the execution-specs\' first; geth\'s order on request', () => {
    const hash = (version: number): Uint8Array => Uint8Array.of(version, ...new Uint8Array(31))
    const blobs = (n: number, version = 1): Partial<Transaction> =>
      ({ type: 3, maxFeePerBlobGas: 1n, blobVersionedHashes: Array.from({ length: n }, () => hash(version)) }) as Partial<Transaction>
    const withCode = hexToBytes('0x00000000000000000000000000000000000000dd')
    const cases: [string, Partial<Transaction>, ExecuteArgs, string][] = [
      ['intrinsic gas before the nonce', { gasLimit: 20_999n, nonce: 1n }, {}, 'INTRINSIC_GAS_TOO_LOW'],
      ['block gas before the fee cap', { gasLimit: 30_000_001n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, {}, 'GAS_ALLOWANCE_EXCEEDED'],
      ['the fee cap before the nonce', { maxFeePerGas: 6n, maxPriorityFeePerGas: 1n, nonce: 1n }, {}, 'INSUFFICIENT_MAX_FEE_PER_GAS'],
      ['the block\'s blob gas left before the fee cap', { ...blobs(2), maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, { blockBlobGasUsed: 5n * 131_072n }, 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED'],
      ['more blobs than a block holds before a bad versioned hash', blobs(7, 0), {}, 'TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED'],
      ['Osaka\'s per-transaction blob limit before a bad versioned hash', blobs(7, 0), { fork: 'osaka' }, 'TYPE_3_TX_BLOB_COUNT_EXCEEDED'],
      ['zero blobs before the nonce', { ...blobs(0), nonce: 1n }, {}, 'TYPE_3_TX_ZERO_BLOBS'],
      ['a bad versioned hash before the blob fee cap', { ...blobs(1, 0), maxFeePerBlobGas: 0n }, {}, 'TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH'],
      ['block gas before the signature', { gasLimit: 30_000_001n }, { sender: null }, 'GAS_ALLOWANCE_EXCEEDED'],
      ['the signature before the fee cap', { maxFeePerGas: 6n, maxPriorityFeePerGas: 1n }, { sender: null }, 'INVALID_SIGNATURE_VRS'],
      ['funds before the sender\'s code (EIP-3607)', { value: 10n ** 18n }, { sender: withCode }, 'INSUFFICIENT_ACCOUNT_FUNDS'],
      ['geth: the nonce before intrinsic gas', { gasLimit: 20_999n, nonce: 1n }, { order: 'geth' }, 'NONCE_MISMATCH_TOO_HIGH'],
      ['geth: the fee cap before intrinsic gas', { gasLimit: 0n, maxFeePerGas: 6n, maxPriorityFeePerGas: 1n }, { order: 'geth' }, 'INSUFFICIENT_MAX_FEE_PER_GAS'],
    ]
    for (const [why, over, args, name] of cases) {
      const { base, state } = setup()
      base.setAccount(withCode, { balance: 1n, code: Uint8Array.of(0) })
      const sender = args.sender === null ? undefined : (args.sender ?? SENDER)
      let err: unknown
      try {
        executeTransaction(state, transfer(over), sender, env, args.fork ?? 'cancun', { blockBlobGasUsed: args.blockBlobGasUsed, order: args.order })
      } catch (e) {
        err = e
      }
      expect(err, why).toBeInstanceOf(InvalidTransactionError)
      expect([why, (err as InvalidTransactionError).exception]).toEqual([why, name as never])
    }
  })

  test('EIP-7825 caps the gas limit in Osaka only', () => {
    const env2 = { ...env, gasLimit: 1n << 30n }
    const { state } = setup()
    expect(() => executeTransaction(state, transfer({ gasLimit: (1n << 24n) + 1n }), SENDER, env2, 'osaka')).toThrow(InvalidTransactionError)
    expect(executeTransaction(state, transfer({ gasLimit: (1n << 24n) + 1n }), SENDER, env2, 'prague').gasUsed).toBe(21_000n)
  })

  test('blob base fee per fork update fraction', () => {
    expect(blobBaseFeeAt(0n, 'cancun')).toBe(1n)
    expect(blobBaseFeeAt(10_000_000n, 'cancun')).toBe(19n)
    expect(blobBaseFeeAt(10_000_000n, 'prague')).toBe(7n)
  })
})
