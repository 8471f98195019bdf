/**
 * From a structurally valid ExecutionPayload to a Block, with the checks newPayload runs before
 * any execution and "in all cases even during active sync" (paris.md newPayloadV1 1–2,
 * cancun.md newPayloadV3 3, prague.md newPayloadV4 2), in the spec's order:
 *
 * 1. no zero-length transaction                      → INVALID, latestValidHash null
 * 2. blockHash = keccak(rlp(header)) with the header's
 *    constant post-merge fields (EIP-3675, EIP-4399),
 *    V3+ parentBeaconBlockRoot, V4+ requestsHash     → INVALID_BLOCK_HASH (V1) / INVALID (V2+)
 * 3. every transaction decodes                       → INVALID, latestValidHash null
 * 4. V3+: the blob versioned hashes are the expected → INVALID, latestValidHash null
 *
 * The transactions root is taken over the bytes as sent, so the hash check needs no decoding.
 */
import { equalBytes, bytesToHex, type Hash } from '../primitives/index.ts'
import { withdrawalsRoot } from '../executor/index.ts'
import { orderedTrieRoot } from '../trie/index.ts'
import {
  computeRequestsHash,
  decodeTransaction,
  EMPTY_OMMERS_HASH,
  headerHash,
  TransactionError,
  type Block,
  type Header,
  type Transaction,
} from '../types/index.ts'
import type { ExecutionPayload, PayloadStatus } from './types.ts'

/** What a newPayload version adds to the payload (its other parameters). */
export interface PayloadSidecar {
  /** The method version: V1 reports a hash mismatch as INVALID_BLOCK_HASH (shanghai.md 2). */
  version: 1 | 2 | 3 | 4
  /** V3+ (cancun.md). */
  expectedBlobVersionedHashes?: readonly Hash[]
  /** V3+ (cancun.md, EIP-4788). */
  parentBeaconBlockRoot?: Hash
  /** V4+ (prague.md, EIP-7685): type-ordered `type || data` requests. */
  executionRequests?: readonly Uint8Array[]
}

/** The block, or the status newPayload answers without executing anything. */
export type PayloadBlock = { block: Block; blockHash: Hash } | { status: PayloadStatus }

/** EIP-3675: the header fields a proof-of-stake block fixes. */
const ZERO_NONCE = new Uint8Array(8)

/** The execution header a payload stands for (its transactions root over the raw bytes). */
export function payloadHeader(p: ExecutionPayload, sidecar: Omit<PayloadSidecar, 'version'> = {}): Header {
  const h: Header = {
    parentHash: p.parentHash,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: p.feeRecipient,
    stateRoot: p.stateRoot,
    transactionsRoot: orderedTrieRoot(p.transactions),
    receiptsRoot: p.receiptsRoot,
    logsBloom: p.logsBloom,
    difficulty: 0n,
    number: p.blockNumber,
    gasLimit: p.gasLimit,
    gasUsed: p.gasUsed,
    timestamp: p.timestamp,
    extraData: p.extraData,
    // EIP-4399: prevRandao takes mixHash's place
    mixHash: p.prevRandao,
    nonce: ZERO_NONCE,
    baseFeePerGas: p.baseFeePerGas,
  }
  if (p.withdrawals) h.withdrawalsRoot = withdrawalsRoot({ transactions: [], ommers: [], withdrawals: p.withdrawals })
  if (p.blobGasUsed !== undefined) {
    h.blobGasUsed = p.blobGasUsed
    h.excessBlobGas = p.excessBlobGas
    if (sidecar.parentBeaconBlockRoot) h.parentBeaconBlockRoot = sidecar.parentBeaconBlockRoot
  }
  if (sidecar.executionRequests) h.requestsHash = computeRequestsHash(sidecar.executionRequests)
  return h
}

const invalid = (validationError: string, status: 'INVALID' | 'INVALID_BLOCK_HASH' = 'INVALID'): PayloadBlock => ({
  status: { status, latestValidHash: null, validationError },
})

/**
 * Runs checks 1–4 above; the block when they pass. The transactions are decoded before the
 * hash is checked (a decoding failure is still answered after a hash mismatch), so that
 * `onDecoded` can start work on them (sender recovery) while the roots and the hash are computed.
 */
export function payloadToBlock(p: ExecutionPayload, sidecar: PayloadSidecar, onDecoded?: (transactions: Transaction[]) => void): PayloadBlock {
  const empty = p.transactions.findIndex((t) => t.length === 0)
  if (empty >= 0) return invalid(`transaction ${empty} is empty`)

  const transactions: Transaction[] = new Array(p.transactions.length)
  let undecodable: PayloadBlock | undefined
  for (let i = 0; i < p.transactions.length && !undecodable; i++) {
    try {
      transactions[i] = decodeTransaction(p.transactions[i]!)
    } catch (err) {
      if (!(err instanceof TransactionError)) throw err
      undecodable = invalid(`transaction ${i}: ${err.message}`)
    }
  }
  if (!undecodable) onDecoded?.(transactions)

  const header = payloadHeader(p, sidecar)
  const hash = headerHash(header)
  if (!equalBytes(hash, p.blockHash))
    return invalid(`blockhash mismatch: payload says ${bytesToHex(p.blockHash)}, its header hashes to ${bytesToHex(hash)}`, sidecar.version === 1 ? 'INVALID_BLOCK_HASH' : 'INVALID')
  if (undecodable) return undecodable

  if (sidecar.expectedBlobVersionedHashes) {
    const mismatch = versionedHashesMismatch(transactions, sidecar.expectedBlobVersionedHashes)
    if (mismatch) return invalid(mismatch)
  }

  const block: Block = { header, transactions, ommers: [] }
  if (p.withdrawals) block.withdrawals = p.withdrawals
  return { block, blockHash: hash }
}

/**
 * cancun.md newPayloadV3 3: the blob transactions' versioned hashes, concatenated in order,
 * must be exactly the expected list. Undefined when they are, else what differs.
 */
export function versionedHashesMismatch(transactions: readonly Transaction[], expected: readonly Hash[]): string | undefined {
  const actual: Hash[] = []
  for (const tx of transactions) if (tx.type === 3) actual.push(...tx.blobVersionedHashes)
  if (actual.length !== expected.length) return `the payload's blob transactions carry ${actual.length} versioned hashes, ${expected.length} expected`
  for (let i = 0; i < actual.length; i++)
    if (!equalBytes(actual[i]!, expected[i]!)) return `versioned hash ${i} is ${bytesToHex(actual[i]!)}, expected ${bytesToHex(expected[i]!)}`
  return undefined
}
