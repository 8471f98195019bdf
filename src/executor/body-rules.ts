/**
 * Rules a block body must meet before execution: no ommers after the merge, a withdrawals list
 * exactly from Shanghai. The roots and totals are compared after execution, in the
 * execution-specs' order (`checkBlockResult`), so that a transaction's own error is named first.
 */
import { encodeRlp } from '../primitives/index.ts'
import { orderedTrieRoot } from '../trie/index.ts'
import { encodeTransaction, isForkAtLeast, withdrawalToRlp, type BlockBody, type ForkName, type Header } from '../types/index.ts'
import { BlockValidationError } from './header-rules.ts'

/** Root of a block's transactions: keyed by rlp(index), valued by the canonical encoding. */
export function transactionsRoot(body: BlockBody): Uint8Array {
  return orderedTrieRoot(body.transactions.map(encodeTransaction))
}

export function withdrawalsRoot(body: BlockBody): Uint8Array {
  return orderedTrieRoot((body.withdrawals ?? []).map((w) => encodeRlp(withdrawalToRlp(w))))
}

export function validateBody(header: Header, body: BlockBody, ctx: { fork: ForkName }): void {
  if (isForkAtLeast(ctx.fork, 'paris') && body.ommers.length > 0)
    throw new BlockValidationError('IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS', `${body.ommers.length} ommers after the merge`)
  if (header.withdrawalsRoot !== undefined && !body.withdrawals)
    throw new BlockValidationError('INVALID_WITHDRAWALS_ROOT', 'header has a withdrawals root but the body has no withdrawals list')
  if (header.withdrawalsRoot === undefined && body.withdrawals) throw new BlockValidationError('INVALID_WITHDRAWALS_ROOT', 'withdrawals in a block before Shanghai')
}
