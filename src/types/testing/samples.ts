/**
 * Sample values of every structure in src/types, for tests and fuzzing: one transaction of each
 * type (signed with a fixed key), headers of every field count, a block, receipts.
 */
import { hexToBytes, type Address } from '../../primitives/index.ts'
import { signAuthorization } from '../authorization.ts'
import type { Block } from '../block.ts'
import type { Header } from '../header.ts'
import type { Receipt } from '../receipt.ts'
import type { Transaction, UnsignedTransaction } from '../transaction.ts'
import { signTransaction } from '../tx-sign.ts'

export const SAMPLE_KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
const TO: Address = hexToBytes('0x3535353535353535353535353535353535353535')
const word = (b: number) => new Uint8Array(32).fill(b)
const empty = new Uint8Array(0)
const accessList = [{ address: hexToBytes('0x00000000000000000000000000000000000000aa'), storageKeys: [word(1), word(2)] }]
const fee = { maxPriorityFeePerGas: 2n, maxFeePerGas: 100n }

export const SAMPLE_UNSIGNED: Record<string, UnsignedTransaction> = {
  legacy: { type: 0, nonce: 0n, gasPrice: 1n, gasLimit: 21_000n, to: TO, value: 1n, data: empty },
  eip155: { type: 0, nonce: 9n, gasPrice: 20_000_000_000n, gasLimit: 21_000n, to: TO, value: 10n ** 18n, data: empty, chainId: 1n },
  eip2930: { type: 1, chainId: 1n, nonce: 1n, gasPrice: 7n, gasLimit: 60_000n, to: null, value: 0n, data: hexToBytes('0x6000'), accessList },
  eip1559: { type: 2, chainId: 1n, nonce: 2n, ...fee, gasLimit: 50_000n, to: TO, value: 5n, data: hexToBytes('0x00ff'), accessList },
  eip4844: {
    type: 3, chainId: 1n, nonce: 3n, ...fee, gasLimit: 30_000n, to: TO, value: 0n, data: empty, accessList: [],
    maxFeePerBlobGas: 9n, blobVersionedHashes: [hexToBytes(`0x01${'11'.repeat(31)}`), hexToBytes(`0x01${'22'.repeat(31)}`)],
  },
  eip7702: {
    type: 4, chainId: 1n, nonce: 4n, ...fee, gasLimit: 80_000n, to: TO, value: 0n, data: empty, accessList: [],
    authorizationList: [signAuthorization({ chainId: 1n, address: TO, nonce: 5n }, SAMPLE_KEY)],
  },
}

/** One signed transaction of each kind. */
export function sampleTransactions(): Transaction[] {
  return Object.values(SAMPLE_UNSIGNED).map((u) => signTransaction(u, SAMPLE_KEY))
}

const BASE_HEADER: Header = {
  parentHash: word(0x11), ommersHash: word(0x22), coinbase: TO, stateRoot: word(0x33), transactionsRoot: word(0x44),
  receiptsRoot: word(0x55), logsBloom: new Uint8Array(256).fill(0x0f), difficulty: 131_072n, number: 1_000_000n,
  gasLimit: 30_000_000n, gasUsed: 21_000n, timestamp: 1_700_000_000n, extraData: hexToBytes('0x6d6f73616963'),
  mixHash: word(0x66), nonce: hexToBytes('0x0000000000000042'),
}

/** Headers with 15 (Frontier), 16 (London), 17 (Shanghai), 20 (Cancun) and 21 (Prague) fields. */
export function sampleHeaders(): Header[] {
  const london = { ...BASE_HEADER, baseFeePerGas: 7n }
  const shanghai = { ...london, difficulty: 0n, nonce: new Uint8Array(8), withdrawalsRoot: word(0x77) }
  const cancun = { ...shanghai, blobGasUsed: 131_072n, excessBlobGas: 0n, parentBeaconBlockRoot: word(0x88) }
  const prague = { ...cancun, requestsHash: word(0x99) }
  return [{ ...BASE_HEADER }, london, shanghai, cancun, prague]
}

export function sampleBlock(): Block {
  const headers = sampleHeaders()
  return {
    header: headers[4]!,
    transactions: sampleTransactions(),
    ommers: [headers[0]!],
    withdrawals: [{ index: 1n, validatorIndex: 2n, address: TO, amount: 32_000_000_000n }],
  }
}

export function sampleReceipts(): Receipt[] {
  const logs = [{ address: TO, topics: [word(1), word(2)], data: hexToBytes('0xdeadbeef') }]
  const bloom = new Uint8Array(256).fill(1)
  return [
    { type: 0, root: word(0xab), cumulativeGasUsed: 21_000n, logsBloom: bloom, logs: [] },
    { type: 0, status: 1, cumulativeGasUsed: 42_000n, logsBloom: bloom, logs },
    { type: 2, status: 0, cumulativeGasUsed: 63_000n, logsBloom: bloom, logs },
    { type: 3, status: 1, cumulativeGasUsed: 84_000n, logsBloom: bloom, logs: [] },
    { type: 4, status: 1, cumulativeGasUsed: 99_000n, logsBloom: bloom, logs },
  ]
}
