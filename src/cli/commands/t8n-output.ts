/**
 * The t8n outputs as JSON in geth's layout: `result` (roots, receipts, rejected transactions, the
 * block values used), `alloc` (the post state, address → {code, storage, balance, nonce}, empty
 * fields left out) and `body` (the RLP of the included transactions, as a hex string).
 * Receipts and logs carry a zero block hash: t8n knows no header.
 */
import { bigintToHex, bigintToWord, bytesToHex, ZERO_ADDRESS, ZERO_HASH, type Hex } from '../../primitives/index.ts'
import { keyToAddress, type MemoryState } from '../../state/index.ts'
import type { IncludedTx, TransitionResult } from './t8n-apply.ts'

const ZERO_HASH_HEX = bytesToHex(ZERO_HASH)

function receiptJson(t: IncludedTx, i: number, number: bigint): Record<string, unknown> {
  const q = bigintToHex
  const out: Record<string, unknown> = {}
  if (t.tx.type !== 0) out.type = q(t.tx.type)
  Object.assign(out, {
    root: '0x',
    status: q(t.receipt.status ?? 0),
    cumulativeGasUsed: q(t.receipt.cumulativeGasUsed),
    logsBloom: bytesToHex(t.receipt.logsBloom),
    logs: t.receipt.logs.map((l, k) => ({
      address: bytesToHex(l.address),
      topics: l.topics.map(bytesToHex),
      data: bytesToHex(l.data),
      blockNumber: q(number),
      transactionHash: bytesToHex(t.hash),
      transactionIndex: q(i),
      blockHash: ZERO_HASH_HEX,
      logIndex: q(t.firstLogIndex + k),
      removed: false,
    })),
    transactionHash: bytesToHex(t.hash),
    contractAddress: bytesToHex(t.contractAddress ?? ZERO_ADDRESS),
    gasUsed: q(t.gasUsed),
    effectiveGasPrice: q(t.effectiveGasPrice),
  })
  return out
}

export function resultJson(r: TransitionResult): Record<string, unknown> {
  const q = bigintToHex
  const receipts = r.included.map((t, i) => {
    const json = receiptJson(t, i, r.number)
    if (t.tx.type === 3) Object.assign(json, { blobGasUsed: q(t.blobGasUsed), blobGasPrice: q(r.blobBaseFee ?? 0n) })
    return Object.assign(json, { blockHash: ZERO_HASH_HEX, blockNumber: q(r.number), transactionIndex: q(i) })
  })
  const out: Record<string, unknown> = {
    stateRoot: bytesToHex(r.stateRoot),
    txRoot: bytesToHex(r.txRoot),
    receiptsRoot: bytesToHex(r.receiptsRoot),
    logsHash: bytesToHex(r.logsHash),
    logsBloom: bytesToHex(r.logsBloom),
    receipts,
  }
  if (r.rejected.length > 0) out.rejected = r.rejected
  out.currentDifficulty = null // post-merge: no difficulty
  out.gasUsed = q(r.gasUsed)
  out.currentBaseFee = q(r.baseFee)
  if (r.withdrawalsRoot) out.withdrawalsRoot = bytesToHex(r.withdrawalsRoot)
  if (r.excessBlobGas !== undefined) {
    out.currentExcessBlobGas = q(r.excessBlobGas)
    out.blobGasUsed = q(r.blobGasUsed ?? 0n)
  }
  if (r.requestsHash) out.requestsHash = bytesToHex(r.requestsHash)
  out.requests = r.requests ? r.requests.map(bytesToHex) : null
  return out
}

/** The post state as a geth alloc, accounts in address order. */
export function allocJson(state: MemoryState): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of [...state.accounts.keys()].sort()) {
    const a = state.accounts.get(key)!
    const acct: Record<string, unknown> = {}
    if (a.code.length > 0) acct.code = bytesToHex(a.code)
    if (a.storage.size > 0) {
      const storage: Record<Hex, Hex> = {}
      for (const k of [...a.storage.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) storage[bytesToHex(bigintToWord(k))] = bytesToHex(bigintToWord(a.storage.get(k)!))
      acct.storage = storage
    }
    acct.balance = bigintToHex(a.balance)
    if (a.nonce > 0n) acct.nonce = bigintToHex(a.nonce)
    out[bytesToHex(keyToAddress(key))] = acct
  }
  return out
}

export const bodyJson = (r: TransitionResult): Hex => bytesToHex(r.body)
