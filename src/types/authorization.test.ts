import { expect, test } from 'bun:test'
import { privateKeyToAddress, SECP256K1_N } from '../crypto/index.ts'
import { bytesToHex, concatBytes, encodeRlp, hexToBytes } from '../primitives/index.ts'
import { keccak256 } from '../crypto/index.ts'
import { authorizationSigningHash, decodeTransaction, encodeTransaction, recoverAuthorities, recoverAuthority, signAuthorization, TransactionError, type SetCodeTransaction } from './index.ts'
import { SAMPLE_KEY, sampleTransactions } from './testing/samples.ts'

const ADDRESS = hexToBytes('0x00000000000000000000000000000000000000ff')

test('signing hash is keccak256(0x05 || rlp([chain_id, address, nonce]))', () => {
  const auth = { chainId: 1n, address: ADDRESS, nonce: 7n }
  const expected = keccak256(concatBytes(Uint8Array.of(5), encodeRlp([1n, ADDRESS, 7n])))
  expect(bytesToHex(authorizationSigningHash(auth))).toBe(bytesToHex(expected))
})

test('sign then recover the authority; invalid signatures give null', () => {
  const auth = signAuthorization({ chainId: 0n, address: ADDRESS, nonce: 0n }, SAMPLE_KEY)
  const authority = bytesToHex(privateKeyToAddress(SAMPLE_KEY))
  expect(bytesToHex(recoverAuthority(auth)!)).toBe(authority)
  const highS = { ...auth, s: SECP256K1_N - auth.s, yParity: 1 - auth.yParity }
  const badParity = { ...auth, yParity: 2 }
  const zeroR = { ...auth, r: 0n }
  const got = recoverAuthorities([auth, highS, badParity, zeroR, auth])
  expect(got.map((a) => a && bytesToHex(a))).toEqual([authority, null, null, null, authority])
})

test('decoding bounds: nonce below 2^64, y parity below 2^8, 20-byte address, 6 items', () => {
  const tx = sampleTransactions()[5] as SetCodeTransaction
  const a = tx.authorizationList[0]!
  const withAuth = (tuple: unknown[]) => {
    const bytes = encodeTransaction(tx)
    // Re-encode with a replaced authorization list.
    const fields = [tx.chainId, tx.nonce, tx.maxPriorityFeePerGas, tx.maxFeePerGas, tx.gasLimit, tx.to, tx.value, tx.data, [], [tuple], tx.yParity, tx.r, tx.s]
    expect(bytes[0]).toBe(4)
    return concatBytes(Uint8Array.of(4), encodeRlp(fields as never))
  }
  const kind = (bytes: Uint8Array) => {
    try {
      decodeTransaction(bytes)
      return 'ok'
    } catch (e) {
      return (e as TransactionError).kind
    }
  }
  expect(kind(withAuth([a.chainId, a.address, a.nonce, a.yParity, a.r, a.s]))).toBe('ok')
  expect(kind(withAuth([a.chainId, a.address, 2n ** 64n, a.yParity, a.r, a.s]))).toBe('authorization')
  expect(kind(withAuth([a.chainId, a.address, a.nonce, 256, a.r, a.s]))).toBe('authorization')
  expect(kind(withAuth([a.chainId, ADDRESS.subarray(1), a.nonce, a.yParity, a.r, a.s]))).toBe('authorization')
  expect(kind(withAuth([a.chainId, a.address, a.nonce, a.yParity, a.r]))).toBe('authorization')
  expect(kind(withAuth([2n ** 256n, a.address, a.nonce, a.yParity, a.r, a.s]))).toBe('authorization')
})
