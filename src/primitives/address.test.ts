import { expect, test } from 'bun:test'
import { AddressError, isValidChecksumAddress, parseAddress, parseHash, toChecksumAddress } from './address.ts'
import { MosaicError } from './errors.ts'

// EIP-55 test vectors.
const VECTORS = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0xde709f2102306220921060314715629080e2fb77',
]

test('EIP-55 checksums', () => {
  for (const v of VECTORS) {
    expect(toChecksumAddress(parseAddress(v))).toBe(v as `0x${string}`)
    expect(isValidChecksumAddress(v)).toBe(true)
  }
})

test('mixed case with a wrong checksum is rejected; single case is accepted', () => {
  expect(() => parseAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toThrow(AddressError)
  expect(parseAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed').length).toBe(20)
  expect(parseAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED').length).toBe(20)
})

test('wrong lengths are typed errors', () => {
  expect(() => parseAddress('0x1234')).toThrow(AddressError)
  expect(() => parseHash('0x1234')).toThrow(MosaicError)
  expect(parseHash(`0x${'ab'.repeat(32)}`).length).toBe(32)
})
