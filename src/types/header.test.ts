import { expect, test } from 'bun:test'
import { bytesToHex, hexToBytes, MosaicError, RlpError, decodeRlp, encodeRlp, type RlpInput } from '../primitives/index.ts'
import { decodeHeader, encodeHeader, headerHash, headerToRlp, type Header } from './index.ts'
import { sampleHeaders } from './testing/samples.ts'

test('mainnet genesis header hash', () => {
  const genesis: Header = {
    parentHash: new Uint8Array(32),
    ommersHash: hexToBytes('0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'),
    coinbase: new Uint8Array(20),
    stateRoot: hexToBytes('0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544'),
    transactionsRoot: hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'),
    receiptsRoot: hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'),
    logsBloom: new Uint8Array(256),
    difficulty: 0x400000000n,
    number: 0n,
    gasLimit: 5000n,
    gasUsed: 0n,
    timestamp: 0n,
    extraData: hexToBytes('0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa'),
    mixHash: new Uint8Array(32),
    nonce: hexToBytes('0x0000000000000042'),
  }
  expect(bytesToHex(headerHash(genesis))).toBe('0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3')
})

test('round trip at every field count (15, 16, 17, 20, 21)', () => {
  for (const h of sampleHeaders()) {
    const bytes = encodeHeader(h)
    const fields = decodeRlp(bytes) as unknown[]
    expect([15, 16, 17, 20, 21]).toContain(fields.length)
    const back = decodeHeader(bytes.slice())
    expect(back).toEqual(h)
    expect(bytesToHex(headerHash(back))).toBe(bytesToHex(headerHash({ ...h })))
  }
})

test('rejects wrong field counts, sizes, and gaps in optional fields', () => {
  const prague = sampleHeaders()[4]!
  const fields = headerToRlp(prague)
  expect(() => decodeHeader(encodeRlp(fields.slice(0, 18)))).toThrow(RlpError)
  expect(() => decodeHeader(encodeRlp(fields.slice(0, 14)))).toThrow(RlpError)
  expect(() => decodeHeader(encodeRlp([...fields, new Uint8Array(32)]))).toThrow(RlpError)
  const shortCoinbase: RlpInput[] = [...fields]
  shortCoinbase[2] = new Uint8Array(19)
  expect(() => decodeHeader(encodeRlp(shortCoinbase))).toThrow(RlpError)
  expect(() => headerToRlp({ ...prague, baseFeePerGas: undefined })).toThrow(MosaicError)
  expect(() => headerToRlp({ ...sampleHeaders()[2]!, blobGasUsed: 1n })).toThrow(MosaicError)
})
