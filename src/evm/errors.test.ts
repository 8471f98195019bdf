import { expect, test } from 'bun:test'
import { EvmError, getFork } from './index.ts'

test('an unknown fork name is an EvmError with its code', () => {
  let err: unknown
  try {
    getFork('frontier')
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(EvmError)
  expect((err as EvmError).code).toBe('EVM_UNKNOWN_FORK')
  expect((err as EvmError).message).toBe('unknown fork frontier; known: paris, shanghai, cancun, prague, osaka')
})
