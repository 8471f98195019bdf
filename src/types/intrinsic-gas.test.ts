import { expect, test } from 'bun:test'
import { hexToBytes } from '../primitives/index.ts'
import { intrinsicGas, intrinsicGasInputs, type ForkName, type Transaction } from './index.ts'
import { sampleTransactions } from './testing/samples.ts'

const create = (data: Uint8Array): Transaction =>
  ({ type: 0, nonce: 0n, gasPrice: 1n, gasLimit: 1_000_000n, to: null, value: 0n, data, v: 27n, r: 1n, s: 1n }) as Transaction

test('inputs: byte counts, access list, authorizations, create and initcode words', () => {
  const [, , eip2930, eip1559, , eip7702] = sampleTransactions()
  expect(intrinsicGasInputs(eip2930!)).toEqual({
    zeroBytes: 1, nonZeroBytes: 1, accessListAddresses: 1, accessListStorageKeys: 2, authorizations: 0, isCreate: true, initcodeWords: 1,
  })
  expect(intrinsicGasInputs(eip1559!).isCreate).toBe(false)
  expect(intrinsicGasInputs(eip1559!).initcodeWords).toBe(0)
  expect(intrinsicGasInputs(eip7702!).authorizations).toBe(1)
  expect(intrinsicGasInputs(create(new Uint8Array(33))).initcodeWords).toBe(2)
})

test('per fork: create (EIP-2), calldata (EIP-2028), initcode words (EIP-3860), floor (EIP-7623)', () => {
  const tx = create(hexToBytes(`0x${'00'.repeat(10)}${'01'.repeat(54)}`)) // 10 zero, 54 non-zero, 2 words
  const at = (fork: ForkName) => intrinsicGas(tx, fork)
  expect(at('frontier')).toEqual({ gas: BigInt(21_000 + 40 + 54 * 68), floor: 0n })
  expect(at('homestead').gas).toBe(BigInt(53_000 + 40 + 54 * 68))
  expect(at('istanbul').gas).toBe(BigInt(53_000 + 40 + 54 * 16))
  expect(at('shanghai').gas).toBe(BigInt(53_000 + 40 + 54 * 16 + 2 * 2))
  expect(at('prague')).toEqual({ gas: BigInt(53_000 + 40 + 54 * 16 + 4), floor: BigInt(21_000 + 10 * (10 + 4 * 54)) })
})

test('access lists (EIP-2930) and authorizations (EIP-7702)', () => {
  const [, , , eip1559, , eip7702] = sampleTransactions()
  // 0x00ff: one zero, one non-zero byte.
  expect(intrinsicGas(eip1559!, 'london').gas).toBe(BigInt(21_000 + 4 + 16 + 2_400 + 2 * 1_900))
  expect(intrinsicGas(eip7702!, 'prague').gas).toBe(BigInt(21_000 + 25_000))
  expect(intrinsicGas(eip7702!, 'prague').floor).toBe(21_000n)
})
