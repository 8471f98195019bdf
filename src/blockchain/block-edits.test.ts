import { expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import { decodeBlockEdits, EDITS_FORMAT, editsFileEntry, encodeBlockEdits, parseEditsFile, type BlockEdits } from './block-edits.ts'

const edits: BlockEdits = {
  chainId: 4242n,
  accounts: [
    { address: new Uint8Array(20).fill(0xed), balance: 0x1234n, code: Uint8Array.of(0x60, 0x01), storage: new Map([[0xaan, 0xbbn]]) },
    { address: new Uint8Array(20).fill(0x01), nonce: 7n, storage: new Map() },
  ],
}
const hash = new Uint8Array(32).fill(9)

test('the stored form and the companion file both give the edits back, absent fields absent', () => {
  expect(decodeBlockEdits(encodeBlockEdits(edits))).toEqual(edits)
  const file = JSON.parse(JSON.stringify({ format: EDITS_FORMAT, blocks: [editsFileEntry(5n, hash, edits)] }))
  expect(file.blocks[0]).toEqual({
    number: '0x5',
    hash: bytesToHex(hash),
    chainId: '0x1092',
    accounts: [
      { address: `0x${'ed'.repeat(20)}`, balance: '0x1234', code: '0x6001', storage: { '0xaa': '0xbb' } },
      { address: `0x${'01'.repeat(20)}`, nonce: '0x7' },
    ],
  })
  expect(parseEditsFile(file).get(bytesToHex(hash))).toEqual(edits)
})

test('a bad companion file names what is wrong', () => {
  expect(() => parseEditsFile({ format: 'other', blocks: [] })).toThrow(`not a ${EDITS_FORMAT} file`)
  expect(() => parseEditsFile({ format: EDITS_FORMAT, blocks: [{ hash: '0x12', accounts: [] }] })).toThrow('blocks[0].hash: expected 32 bytes')
  const bad = { format: EDITS_FORMAT, blocks: [{ hash: bytesToHex(hash), accounts: [{ address: `0x${'ed'.repeat(20)}`, balance: 12 }] }] }
  expect(() => parseEditsFile(bad)).toThrow('blocks[0].accounts[0].balance: expected a hex quantity')
})
