import { expect, test } from 'bun:test'
import { DEFAULT_BLOB_SCHEDULE } from '../chainspec/index.ts'
import { EMPTY_TRIE_ROOT } from '../trie/index.ts'
import type { Block, Header } from '../types/index.ts'
import { sampleHeaders } from '../types/testing/samples.ts'
import { BlockValidationError, checkBlockResult, GAS_PER_BLOB, withdrawalsRoot, type BlockResult } from './index.ts'

const STATE_ROOT = new Uint8Array(32).fill(7)
const result: BlockResult = { receipts: [], transactions: [], gasUsed: 0n, blobGasUsed: 0n, logsBloom: new Uint8Array(256), receiptsRoot: EMPTY_TRIE_ROOT }

function kind(over: Partial<Header>, stateRoot = STATE_ROOT): string | undefined {
  const header: Header = { ...sampleHeaders()[0]!, gasUsed: 0n, transactionsRoot: EMPTY_TRIE_ROOT, stateRoot: STATE_ROOT, receiptsRoot: EMPTY_TRIE_ROOT, logsBloom: new Uint8Array(256), blobGasUsed: 0n, requestsHash: undefined, ...over }
  const block: Block = { header, transactions: [], ommers: [], withdrawals: [] }
  header.withdrawalsRoot = over.withdrawalsRoot ?? withdrawalsRoot(block)
  try {
    checkBlockResult(block, result, { stateRoot, blob: DEFAULT_BLOB_SCHEDULE.cancun })
  } catch (e) {
    return (e as BlockValidationError).kind
  }
  return undefined
}

test("after execution the header's claims are compared in the execution-specs' order", () => {
  const wrong = new Uint8Array(32).fill(1)
  expect(kind({})).toBeUndefined()
  expect(kind({ gasUsed: 1n, transactionsRoot: wrong })).toBe('INVALID_GAS_USED')
  expect(kind({ transactionsRoot: wrong }, wrong)).toBe('INVALID_TRANSACTIONS_ROOT')
  expect(kind({ receiptsRoot: wrong }, wrong)).toBe('INVALID_STATE_ROOT')
  expect(kind({ receiptsRoot: wrong, withdrawalsRoot: wrong })).toBe('INVALID_RECEIPTS_ROOT')
  expect(kind({ withdrawalsRoot: wrong, blobGasUsed: 1n })).toBe('INVALID_WITHDRAWALS_ROOT')
  expect(kind({ blobGasUsed: 1n })).toBe('INCORRECT_BLOB_GAS_USED')
  expect(kind({ blobGasUsed: 7n * GAS_PER_BLOB })).toBe('BLOB_GAS_USED_ABOVE_LIMIT')
})
