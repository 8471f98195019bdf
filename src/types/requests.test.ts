import { expect, test } from 'bun:test'
import { sha256 } from '../crypto/index.ts'
import { bytesToHex, concatBytes, hexToBytes, MosaicError } from '../primitives/index.ts'
import { computeRequestsHash, decodeRequest, EMPTY_REQUESTS_HASH, encodeRequest } from './index.ts'

test('requests hash: sha256 of the sha256 of each non-empty request', () => {
  expect(bytesToHex(computeRequestsHash([]))).toBe(bytesToHex(EMPTY_REQUESTS_HASH))
  const deposit = encodeRequest({ type: 0, data: hexToBytes('0x0102') })
  const emptyWithdrawals = Uint8Array.of(1)
  const consolidation = encodeRequest({ type: 2, data: hexToBytes('0x03') })
  const expected = sha256(concatBytes(sha256(deposit), sha256(consolidation)))
  expect(bytesToHex(computeRequestsHash([deposit, emptyWithdrawals, consolidation]))).toBe(bytesToHex(expected))
  expect(decodeRequest(deposit)).toEqual({ type: 0, data: hexToBytes('0x0102') })
  expect(() => decodeRequest(new Uint8Array(0))).toThrow(MosaicError)
})
