import { expect, test } from 'bun:test'
import { CryptoError, publicKeyToAddress } from './index.ts'

test('a public key of the wrong length is a CryptoError with its code', () => {
  let err: unknown
  try {
    publicKeyToAddress(new Uint8Array(65))
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(CryptoError)
  expect((err as CryptoError).code).toBe('INVALID_PUBLIC_KEY')
  expect((err as CryptoError).message).toBe('public key must be 64 bytes, got 65')
})
