import { describe, expect, test } from 'bun:test'
import { concat, keccak256, TypedDataEncoder } from 'ethers'
import { bytesToHex, xorshift } from '../primitives/index.ts'
import { encodeType, parseTypedData, typedDataHash, TypedDataError, type TypedData } from './typed-data.ts'

/** EIP-712's own example (the spec's `Mail`), with the hash the EIP's test vector gives. */
const MAIL: TypedData = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
    ],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
}

const ethersHash = (d: TypedData) => {
  const { EIP712Domain: _, ...types } = d.types
  return TypedDataEncoder.hash(d.domain, types, d.message)
}

describe('EIP-712', () => {
  test("the EIP's Mail example", () => {
    expect(encodeType(MAIL.types, 'Mail')).toBe('Mail(Person from,Person to,string contents)Person(string name,address wallet)')
    expect(bytesToHex(typedDataHash(MAIL))).toBe('0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2')
  })

  test('agrees with ethers on arrays, nested structs, every atomic type and signed values', () => {
    const r32 = xorshift(712)
    const rnd = () => (BigInt(r32()) << 96n) | (BigInt(r32()) << 64n) | (BigInt(r32()) << 32n) | BigInt(r32())
    for (let i = 0; i < 50; i++) {
      const n = Number(rnd() % 5n)
      const d: TypedData = {
        types: {
          EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'salt', type: 'bytes32' }],
          Leaf: [{ name: 'flag', type: 'bool' }, { name: 'small', type: 'int8' }, { name: 'tag', type: 'bytes4' }],
          Order: [
            { name: 'maker', type: 'address' },
            { name: 'amounts', type: 'uint128[]' },
            { name: 'pair', type: 'int256[2]' },
            { name: 'leaves', type: 'Leaf[]' },
            { name: 'blob', type: 'bytes' },
            { name: 'note', type: 'string' },
            { name: 'grid', type: 'uint16[][]' },
          ],
        },
        primaryType: 'Order',
        domain: { name: `dex${i}`, chainId: Number(rnd() % 1000n), salt: `0x${(rnd() * rnd()).toString(16).padStart(64, '0').slice(0, 64)}` },
        message: {
          maker: `0x${rnd().toString(16).padStart(40, '0').slice(0, 40)}`,
          amounts: Array.from({ length: n }, () => (rnd() % (1n << 100n)).toString()),
          pair: [`-${rnd() % 1000n}`, `0x${(rnd() % 65536n).toString(16)}`],
          leaves: Array.from({ length: n }, (_, k) => ({ flag: k % 2 === 0, small: Number(rnd() % 256n) - 128, tag: `0x${(rnd() % (1n << 32n)).toString(16).padStart(8, '0')}` })),
          blob: `0x${'ab'.repeat(n * 7)}`,
          note: `héllo ${i}`,
          grid: Array.from({ length: n }, (_, k) => Array.from({ length: k }, () => Number(rnd() % 65536n))),
        },
      }
      expect(bytesToHex(typedDataHash(d)) as string).toBe(ethersHash(d))
    }
  })

  test('the domain alone as the primary type', () => {
    const d = { ...MAIL, primaryType: 'EIP712Domain', message: {} }
    expect(bytesToHex(typedDataHash(d)) as string).toBe(keccak256(concat(['0x1901', TypedDataEncoder.hashDomain(MAIL.domain)])))
  })

  test('a JSON string is parsed; bad documents and values name the problem', () => {
    expect(bytesToHex(typedDataHash(parseTypedData(JSON.stringify(MAIL))))).toBe('0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2')
    const bad = (v: unknown) => () => typedDataHash(parseTypedData(v))
    expect(bad('{')).toThrow(TypedDataError)
    expect(bad({ ...MAIL, primaryType: 'Nope' })).toThrow('primaryType Nope is not among the types')
    expect(bad({ ...MAIL, types: { Mail: MAIL.types.Mail } })).toThrow('EIP712Domain is missing')
    expect(bad({ ...MAIL, message: { ...MAIL.message, to: { name: 'Bob', wallet: '0x12' } } })).toThrow('message.to.wallet: expected a 20-byte address')
    expect(bad({ ...MAIL, domain: { ...MAIL.domain, chainId: 2 ** 60 } })).toThrow('domain.chainId')
    expect(bad({ ...MAIL, domain: { ...MAIL.domain, chainId: '-1' } })).toThrow('out of range for uint256')
    expect(bad({ ...MAIL, types: { ...MAIL.types, Person: [{ name: 'name', type: 'strin' }, { name: 'wallet', type: 'address' }] } })).toThrow('unknown type strin')
  })
})
