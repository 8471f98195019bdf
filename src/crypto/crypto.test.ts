import { expect, test } from 'bun:test'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, utf8ToBytes } from '../primitives/index.ts'
import { keccak256, keccak256Batch, privateKeyToAddress, recoverAddress, recoverAddresses, recoverPublicKey, sign, SECP256K1_N, sha256, ripemd160 } from './index.ts'

test('keccak256 vectors and batch equals single', () => {
  expect(bytesToHex(keccak256(new Uint8Array(0)))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
  const items = [new Uint8Array(0), utf8ToBytes('abc'), new Uint8Array(300).fill(7)]
  const batch = keccak256Batch(items)
  items.forEach((it, i) => expect(bytesToHex(batch[i]!)).toBe(bytesToHex(keccak_256(it))))
})

test('keccak256 results are independent copies', () => {
  const a = keccak256(utf8ToBytes('a'))
  const b = keccak256(utf8ToBytes('b'))
  expect(bytesToHex(a)).not.toBe(bytesToHex(b))
})

test('sign, recover single and batched, against noble', () => {
  const inputs: { hash: Uint8Array; r: bigint; s: bigint; yParity: number; expected: string }[] = []
  for (let i = 0; i < 20; i++) {
    const key = secp256k1.utils.randomSecretKey()
    const hash = crypto.getRandomValues(new Uint8Array(32))
    const sig = sign(hash, key)
    expect(sig.s <= SECP256K1_N >> 1n).toBe(true)
    const expected = bytesToHex(privateKeyToAddress(key))
    expect(bytesToHex(recoverAddress(hash, sig)!)).toBe(expected)
    expect(bytesToHex(recoverPublicKey(hash, sig)!)).toBe(bytesToHex(secp256k1.getPublicKey(key, false).subarray(1)))
    inputs.push({ hash, ...sig, expected })
  }
  inputs.push({ hash: new Uint8Array(32), r: 0n, s: 1n, yParity: 0, expected: 'null' })
  inputs.push({ hash: new Uint8Array(32), r: 1n, s: 1n << 256n, yParity: 0, expected: 'null' })
  inputs.push({ hash: new Uint8Array(32), r: 1n, s: 1n, yParity: 7, expected: 'null' })
  const got = recoverAddresses(inputs)
  got.forEach((a, i) => expect(a ? bytesToHex(a) : 'null').toBe(inputs[i]!.expected))
})

test('sha256 and ripemd160 vectors', () => {
  expect(bytesToHex(sha256(utf8ToBytes('abc')))).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  expect(bytesToHex(ripemd160(utf8ToBytes('abc')))).toBe('0x8eb208f7e05d987a9b044a8e98c6b087f15a0bfc')
  expect(hexToBytes('0x00').length).toBe(1)
})
