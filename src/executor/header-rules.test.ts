import { expect, test } from 'bun:test'
import { genesisHeader, hoodi } from '../chainspec/index.ts'
import type { Header } from '../types/index.ts'
import { blobBaseFee, BlockValidationError, fakeExponential, GAS_PER_BLOB, nextBaseFee, nextExcessBlobGas, validateHeader } from './header-rules.ts'

const PRAGUE_BLOBS = { target: 6, max: 9, baseFeeUpdateFraction: 5_007_716n }

test('fake exponential matches EIP-4844 values', () => {
  expect(fakeExponential(1n, 0n, 1n)).toBe(1n)
  expect(fakeExponential(38493n, 0n, 1000n)).toBe(38493n)
  expect(fakeExponential(1n, 2n, 1n)).toBe(6n) // e^2 ≈ 7.39, truncated series
  expect(fakeExponential(2n, 5n, 2n)).toBe(23n)
  expect(blobBaseFee(0n, PRAGUE_BLOBS)).toBe(1n)
})

test('EIP-1559 base fee moves by at most 1/8 toward the gas target', () => {
  const parent = { gasLimit: 30_000_000n, gasUsed: 15_000_000n, baseFeePerGas: 1_000_000_000n } as Header
  expect(nextBaseFee(parent)).toBe(1_000_000_000n)
  expect(nextBaseFee({ ...parent, gasUsed: 30_000_000n })).toBe(1_125_000_000n)
  expect(nextBaseFee({ ...parent, gasUsed: 0n })).toBe(875_000_000n)
  expect(nextBaseFee({ ...parent, gasUsed: 15_000_001n, baseFeePerGas: 7n })).toBe(8n) // at least +1
})

test('excess blob gas: target subtracted; EIP-7918 reserve price in Osaka', () => {
  const parent = { excessBlobGas: 0n, blobGasUsed: 9n * GAS_PER_BLOB, baseFeePerGas: 1n } as Header
  expect(nextExcessBlobGas(parent, PRAGUE_BLOBS, 'prague')).toBe(3n * GAS_PER_BLOB)
  expect(nextExcessBlobGas({ ...parent, blobGasUsed: GAS_PER_BLOB }, PRAGUE_BLOBS, 'prague')).toBe(0n)
  // With execution gas expensive relative to blobs, Osaka adds used * (max - target) / max.
  const pricey = { excessBlobGas: 3n * GAS_PER_BLOB, blobGasUsed: 6n * GAS_PER_BLOB, baseFeePerGas: 10n ** 12n } as Header
  expect(nextExcessBlobGas(pricey, PRAGUE_BLOBS, 'prague')).toBe(3n * GAS_PER_BLOB)
  expect(nextExcessBlobGas(pricey, PRAGUE_BLOBS, 'osaka')).toBe(5n * GAS_PER_BLOB)
  // With cheap execution gas the reserve price does not bind, and Osaka behaves like Prague.
  expect(nextExcessBlobGas({ ...pricey, baseFeePerGas: 1n }, PRAGUE_BLOBS, 'osaka')).toBe(3n * GAS_PER_BLOB)
})

test('a valid child passes and each broken rule is named', () => {
  const parent = genesisHeader(hoodi)
  const child: Header = {
    ...parent,
    parentHash: new Uint8Array(32),
    number: 1n,
    timestamp: parent.timestamp + 12n,
    baseFeePerGas: nextBaseFee(parent),
    excessBlobGas: 0n,
    blobGasUsed: 0n,
    difficulty: 0n,
    nonce: new Uint8Array(8),
  }
  const ctx = { fork: 'cancun' as const, blob: { target: 3, max: 6, baseFeeUpdateFraction: 3_338_477n } }
  validateHeader(child, parent, ctx)
  const kind = (h: Partial<Header>) => {
    try {
      validateHeader({ ...child, ...h }, parent, ctx)
    } catch (e) {
      expect(e).toBeInstanceOf(BlockValidationError)
      return (e as BlockValidationError).kind
    }
    return 'accepted'
  }
  expect(kind({ number: 2n })).toBe('INVALID_BLOCK_NUMBER')
  expect(kind({ timestamp: parent.timestamp })).toBe('INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT')
  expect(kind({ extraData: new Uint8Array(33) })).toBe('EXTRA_DATA_TOO_BIG')
  expect(kind({ gasLimit: parent.gasLimit * 2n })).toBe('INVALID_GASLIMIT')
  expect(kind({ gasUsed: parent.gasLimit + 1n })).toBe('GAS_USED_OVERFLOW')
  expect(kind({ baseFeePerGas: 1n })).toBe('INVALID_BASEFEE_PER_GAS')
  expect(kind({ difficulty: 1n })).toBe('IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS')
  expect(kind({ excessBlobGas: GAS_PER_BLOB })).toBe('INCORRECT_EXCESS_BLOB_GAS')
  expect(kind({ requestsHash: new Uint8Array(32) })).toBe('INVALID_HEADER_FIELDS')
  expect(kind({ withdrawalsRoot: undefined })).toBe('INVALID_HEADER_FIELDS')
})
