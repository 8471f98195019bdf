/** debug_getRaw*: consensus encodings of blocks, headers, transactions and receipts. */
import { encodeBlock, encodeHeader, encodeReceipt, encodeTransaction, headerHash } from '../../types/index.ts'
import { resolveBlock, resolveHeader } from '../blocks.ts'
import type { Methods } from '../context.ts'
import { ServerError } from '../errors.ts'
import { hex } from '../format/hex.ts'
import { args, blockSelector, hash } from '../params.ts'
import { minedTransaction } from './eth-tx.ts'

export const debugRawMethods: Methods = {
  debug_getRawHeader(ctx, p) {
    const h = resolveHeader(ctx, blockSelector(args(p, 1, 1)[0], 0))
    if (!h) throw new ServerError('header not found')
    return hex(encodeHeader(h))
  },
  debug_getRawBlock(ctx, p) {
    const b = resolveBlock(ctx, blockSelector(args(p, 1, 1)[0], 0))
    if (!b) throw new ServerError('block not found')
    return hex(encodeBlock(b))
  },
  debug_getRawTransaction(ctx, p) {
    const mined = minedTransaction(ctx, hash(args(p, 1, 1)[0], 0))
    return mined ? hex(encodeTransaction(mined.block.transactions[mined.index]!)) : '0x'
  },
  debug_getRawReceipts(ctx, p) {
    const b = resolveBlock(ctx, blockSelector(args(p, 1, 1)[0], 0))
    if (!b) throw new ServerError('block not found')
    return (ctx.chain.receipts(headerHash(b.header)) ?? []).map((r) => hex(encodeReceipt(r)))
  },
}
