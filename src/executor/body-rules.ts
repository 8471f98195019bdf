/**
 * Rules a block body must meet against its header before execution: the transactions and
 * withdrawals roots, no ommers after the merge, and blob gas used equal to the blobs carried
 * (EIP-4844) within the per-block limit. Receipts, logs bloom, gas used and the state root are
 * checked after execution.
 */
import { encodeRlp, equalBytes, bytesToHex } from '../primitives/index.ts'
import { orderedTrieRoot } from '../trie/index.ts'
import { encodeTransaction, isForkAtLeast, withdrawalToRlp, type BlockBody, type ForkName, type Header } from '../types/index.ts'
import { BlockValidationError, GAS_PER_BLOB, type BlobParams } from './header-rules.ts'

/** Root of a block's transactions: keyed by rlp(index), valued by the canonical encoding. */
export function transactionsRoot(body: BlockBody): Uint8Array {
  return orderedTrieRoot(body.transactions.map(encodeTransaction))
}

export function withdrawalsRoot(body: BlockBody): Uint8Array {
  return orderedTrieRoot((body.withdrawals ?? []).map((w) => encodeRlp(withdrawalToRlp(w))))
}

/**
 * `rootsFromBody`: the header's transactions and withdrawals roots were computed from this very
 * body (the Engine API builds the header from the payload), so they are not computed again.
 */
export function validateBody(header: Header, body: BlockBody, ctx: { fork: ForkName; blob?: BlobParams; rootsFromBody?: boolean }): void {
  if (isForkAtLeast(ctx.fork, 'paris') && body.ommers.length > 0)
    throw new BlockValidationError('IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS', `${body.ommers.length} ommers after the merge`)
  const txRoot = ctx.rootsFromBody ? header.transactionsRoot : transactionsRoot(body)
  if (!equalBytes(txRoot, header.transactionsRoot))
    throw new BlockValidationError('INVALID_TRANSACTIONS_ROOT', `transactions root ${bytesToHex(txRoot)}, header has ${bytesToHex(header.transactionsRoot)}`)
  if (header.withdrawalsRoot !== undefined) {
    if (!body.withdrawals) throw new BlockValidationError('INVALID_WITHDRAWALS_ROOT', 'header has a withdrawals root but the body has no withdrawals list')
    const root = ctx.rootsFromBody ? header.withdrawalsRoot : withdrawalsRoot(body)
    if (!equalBytes(root, header.withdrawalsRoot))
      throw new BlockValidationError('INVALID_WITHDRAWALS_ROOT', `withdrawals root ${bytesToHex(root)}, header has ${bytesToHex(header.withdrawalsRoot)}`)
  } else if (body.withdrawals) {
    throw new BlockValidationError('INVALID_WITHDRAWALS_ROOT', 'withdrawals in a block before Shanghai')
  }
  if (header.blobGasUsed !== undefined && ctx.blob) {
    let blobs = 0n
    for (const tx of body.transactions) if (tx.type === 3) blobs += BigInt(tx.blobVersionedHashes.length)
    const used = blobs * GAS_PER_BLOB
    if (used > BigInt(ctx.blob.max) * GAS_PER_BLOB) throw new BlockValidationError('BLOB_GAS_USED_ABOVE_LIMIT', `${blobs} blobs, at most ${ctx.blob.max}`)
    if (used !== header.blobGasUsed) throw new BlockValidationError('INCORRECT_BLOB_GAS_USED', `blobs use ${used} gas, header says ${header.blobGasUsed}`)
  }
}
