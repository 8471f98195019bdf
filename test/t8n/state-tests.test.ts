/**
 * GeneralStateTests through `mosaic t8n`: each Cancun post entry becomes a t8n input (pre →
 * alloc; env plus the fields t8n requires: a zero beacon root, no withdrawals, the state tests'
 * block hashes keccak(decimal number); the entry's transaction as JSON with its secretKey, and
 * again as the entry's signed `txbytes` in txsRlp). The result's stateRoot must be the entry's
 * `hash` and logsHash its `logs`; an entry with `expectException` must come back rejected.
 * The fixture roots were computed by other clients, so this checks t8n independently of Mosaic.
 */
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { keccak256 } from '../../src/crypto/index.ts'
import { bytesToHex, decodeRlp, encodeRlp, hexToBytes, utf8ToBytes } from '../../src/primitives/index.ts'
import { describeFixtures, jsonFiles, knownFailure } from '../fixtures.ts'
import { t8n, ZERO32, type T8nInput } from './run.ts'

type J = Record<string, any>

const DIRS = [
  'Cancun',
  'Shanghai',
  'Pyspecs/cancun',
  'stExample',
  'stLogTests',
  'stCreate2',
  'stTransactionTest',
  'stEIP3607',
  'stSelfBalance',
  'stRefundTest',
]

function blockHashes(number: bigint): Record<string, string> {
  const out: Record<string, string> = {}
  for (let n = number > 256n ? number - 256n : 0n; n < number; n++) out[`0x${n.toString(16)}`] = bytesToHex(keccak256(utf8ToBytes(n.toString())))
  return out
}

function envOf(e: J): J {
  return {
    currentCoinbase: e.currentCoinbase,
    currentGasLimit: e.currentGasLimit,
    currentNumber: e.currentNumber,
    currentTimestamp: e.currentTimestamp,
    currentRandom: e.currentRandom ?? e.currentDifficulty,
    currentBaseFee: e.currentBaseFee ?? '0x0a',
    currentExcessBlobGas: e.currentExcessBlobGas ?? '0x00',
    parentBeaconBlockRoot: ZERO32,
    withdrawals: [],
    blockHashes: blockHashes(BigInt(e.currentNumber)),
  }
}

/** The entry's transaction in geth's JSON form, unsigned with its secretKey. */
function txOf(t: J, idx: J): J {
  const al = t.accessLists?.[idx.data]
  const tx: J = { nonce: t.nonce, gas: t.gasLimit[idx.gas], value: t.value[idx.value], input: t.data[idx.data], to: t.to || null, secretKey: t.secretKey }
  if (t.blobVersionedHashes) Object.assign(tx, { type: '0x3', maxFeePerBlobGas: t.maxFeePerBlobGas, blobVersionedHashes: t.blobVersionedHashes })
  else if (t.maxFeePerGas !== undefined) tx.type = '0x2'
  else if (al) tx.type = '0x1'
  if (t.maxFeePerGas !== undefined) Object.assign(tx, { maxFeePerGas: t.maxFeePerGas, maxPriorityFeePerGas: t.maxPriorityFeePerGas })
  else tx.gasPrice = t.gasPrice
  if (tx.type) tx.accessList = al ?? []
  return tx
}

/** An RLP list holding the canonical tx bytes in block-body form (typed ones as a byte string). */
function txsRlpOf(txbytes: string): string {
  const b = hexToBytes(txbytes)
  return bytesToHex(encodeRlp([b[0]! >= 0xc0 ? (decodeRlp(b) as Uint8Array[]) : b]))
}

/** geth's words for the fixtures' exceptions (as execution-spec-tests' geth mapper matches them). */
const GETH_WORDS: Record<string, string[]> = {
  INSUFFICIENT_ACCOUNT_FUNDS: ['insufficient funds for gas * price + value'],
  GASLIMIT_PRICE_PRODUCT_OVERFLOW: ['insufficient funds for gas * price + value'],
  INTRINSIC_GAS_TOO_LOW: ['intrinsic gas too low'],
  SENDER_NOT_EOA: ['sender not an eoa'],
  INITCODE_SIZE_EXCEEDED: ['max initcode size exceeded'],
  INSUFFICIENT_MAX_FEE_PER_GAS: ['max fee per gas less than block base fee'],
  INSUFFICIENT_MAX_FEE_PER_BLOB_GAS: ['max fee per blob gas less than block blob gas fee'],
  TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH: ['has invalid hash version'],
  TYPE_3_TX_ZERO_BLOBS: ['blob transaction missing blob hashes'],
  TYPE_3_TX_BLOB_COUNT_EXCEEDED: ['blob transaction has too many blobs', 'would exceed maximum allowance'],
  TYPE_3_TX_CONTRACT_CREATION: ['blob transaction of type create', 'decoding into (types.BlobTx).To'],
  RLP_INVALID_VALUE: ['rlp: input string too long for uint256'],
}

/** Whether `error` is in geth's words for one of the `A|B` expected exceptions. */
function wordsMatch(expected: string, error: string): boolean {
  return expected.split('|').some((x) => (GETH_WORDS[x.replace(/^TransactionException\./, '')] ?? []).some((w) => error.includes(w)))
}

async function check(id: string, input: T8nInput, entry: J, chainId: string): Promise<string | undefined> {
  const r = await t8n(input, 'Cancun', [`--state.chainid=${chainId}`])
  // A value the JSON cannot carry (a field of 2^256, say) stops geth's t8n too (exit 10).
  if (r.code === 10 && entry.expectException) return undefined
  if (r.code !== 0 || !r.out) return `${id}: exit ${r.code}: ${r.err.trim()}`
  const res = r.out.result
  if (entry.expectException) {
    if (res.rejected?.length !== 1) return `${id}: expected ${entry.expectException}, transaction was included`
    if (!wordsMatch(entry.expectException, res.rejected[0].error)) return `${id}: rejected with "${res.rejected[0].error}", expected ${entry.expectException}`
  } else if (res.rejected?.length) return `${id}: rejected: ${res.rejected[0].error}`
  if (res.stateRoot !== entry.hash) return `${id}: stateRoot ${res.stateRoot}, expected ${entry.hash}`
  if (res.logsHash !== entry.logs) return `${id}: logsHash ${res.logsHash}, expected ${entry.logs}`
  return undefined
}

let cases = 0

describeFixtures('GeneralStateTests through t8n', ['ethereum-tests', 'GeneralStateTests'], (root) => {
  for (const dir of DIRS) {
    for (const file of jsonFiles(`${root}/${dir}`)) {
      const rel = relative(root, file)
      test(rel, async () => {
        const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, J>
        const problems: string[] = []
        for (const [name, t] of Object.entries(doc)) {
          if (knownFailure('GeneralStateTests', `${rel}:${name}`)) continue
          const entries: J[] = t.post.Cancun ?? []
          const chainId = t.config?.chainid ? String(BigInt(t.config.chainid)) : '1'
          for (const [i, entry] of entries.entries()) {
            cases++
            const env = envOf(t.env)
            const json = await check(`${name}[${i}] json`, { alloc: t.pre, env, txs: [txOf(t.transaction, entry.indexes)] }, entry, chainId)
            if (json) problems.push(json)
            if (entry.txbytes) {
              const rlp = await check(`${name}[${i}] rlp`, { alloc: t.pre, env, txsRlp: txsRlpOf(entry.txbytes) }, entry, chainId)
              if (rlp) problems.push(rlp)
            }
          }
        }
        expect(problems).toEqual([])
      }, 120_000)
    }
  }
  test('cases run', () => {
    console.log(`GeneralStateTests through t8n: ${cases} Cancun post entries`)
    expect(cases).toBeGreaterThan(300)
  })
})
