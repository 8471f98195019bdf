import { expect, test } from 'bun:test'
import { bytesToHex, decodeRlp, encodeRlp, RlpError } from '../primitives/index.ts'
import {
  blockHash,
  decodeBlock,
  decodeBlockBody,
  encodeBlock,
  encodeBlockBody,
  encodeTransaction,
  headerHash,
  recoverSenders,
  TransactionError,
  transactionHash,
  type Block,
} from './index.ts'
import { SAMPLE_KEY, SAMPLE_UNSIGNED, sampleBlock } from './testing/samples.ts'
import { signTransaction } from './tx-sign.ts'
import type { UnsignedTransaction } from './transaction.ts'

const fresh = (b: Block): Block => ({
  header: { ...b.header },
  transactions: b.transactions.map((t) => ({ ...t })),
  ommers: b.ommers.map((o) => ({ ...o })),
  withdrawals: b.withdrawals,
})

test('block round trip with every transaction type, an ommer and withdrawals', () => {
  const block = sampleBlock()
  const bytes = encodeBlock(block)
  const back = decodeBlock(bytes.slice())
  expect(back).toEqual(block)
  expect(bytesToHex(encodeBlock(fresh(back)))).toBe(bytesToHex(bytes))
  expect(bytesToHex(blockHash(back))).toBe(bytesToHex(headerHash(block.header)))
  expect(back.transactions.map((t) => bytesToHex(transactionHash(t)))).toEqual(block.transactions.map((t) => bytesToHex(transactionHash({ ...t }))))
  expect(recoverSenders(back.transactions).every((s) => s !== null)).toBe(true)
  // Typed transactions sit in the block as byte strings holding their canonical encoding.
  const txs = (decodeRlp(bytes) as unknown[])[1] as unknown[]
  expect(Array.isArray(txs[0])).toBe(true)
  expect(bytesToHex(txs[3] as Uint8Array)).toBe(bytesToHex(encodeTransaction(block.transactions[3]!)))
})

/** The sample block as London had it: no withdrawals, no Cancun/Prague header fields. */
function londonBlock(): Block {
  const b = sampleBlock()
  const { withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot, requestsHash, ...header } = b.header
  return { ...b, header, withdrawals: undefined }
}

test('pre-Shanghai block without withdrawals; bodies', () => {
  const block = londonBlock()
  const back = decodeBlock(encodeBlock(block))
  expect(back.withdrawals).toBeUndefined()
  // EIP-4895: the withdrawals list is there exactly when the header has a withdrawals root.
  expect(() => decodeBlock(encodeBlock({ ...sampleBlock(), withdrawals: undefined }))).toThrow(/withdrawals root but no withdrawals list/)
  expect(() => decodeBlock(encodeBlock({ ...block, withdrawals: [] }))).toThrow(/withdrawals list but no withdrawals root/)
  const body = { transactions: block.transactions, ommers: [], withdrawals: [] }
  expect(decodeBlockBody(encodeBlockBody(body))).toEqual(body)
})

test('a bad transaction inside a block is a TransactionError naming its index; bad shapes RlpError', () => {
  const block = sampleBlock()
  const [header, , ommers, withdrawals] = decodeRlp(encodeBlock(block)) as never[]
  // A type-2 transaction with an empty payload.
  const badTx = encodeRlp([header, [Uint8Array.of(2, 0xc0)], ommers, withdrawals] as never)
  expect(() => decodeBlock(badTx)).toThrow(TransactionError)
  expect(() => decodeBlock(badTx)).toThrow(/transaction 0: too few fields/)
  // A legacy transaction wrapped in a byte string is not a typed transaction.
  const wrappedLegacy = encodeRlp([header, [encodeTransaction(block.transactions[0]!)], ommers, withdrawals] as never)
  expect(() => decodeBlock(wrappedLegacy)).toThrow(/transaction 0/)
  expect(() => decodeBlock(encodeRlp([header, [], ommers, withdrawals, []] as never))).toThrow(RlpError)
  expect(() => decodeBlock(encodeRlp([]))).toThrow(RlpError)
})

test('a transaction of the block that does not decode keeps its kind and type (blob transaction without `to`)', () => {
  const blob = signTransaction({ ...SAMPLE_UNSIGNED.eip4844!, to: null } as unknown as UnsignedTransaction, SAMPLE_KEY)
  let err: unknown
  try {
    decodeBlock(encodeBlock({ ...sampleBlock(), transactions: [blob] }))
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(TransactionError)
  expect([(err as TransactionError).kind, (err as TransactionError).txType]).toEqual(['create-not-allowed', 3])
})
