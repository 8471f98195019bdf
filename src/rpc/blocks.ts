/**
 * From a block selector (tag, number, EIP-1898 hash) to the header, block and state it names.
 * `pending` reads as the head for blocks and state (the dev node has no separate pending state);
 * execution at `pending` uses the next header from `PendingBlock` when there is one.
 */
import { bytesToHex, equalBytes } from '../primitives/index.ts'
import { headerHash, type Block, type Header } from '../types/index.ts'
import type { StateView } from './backend.ts'
import type { RpcContext } from './context.ts'
import { ServerError } from './errors.ts'
import type { BlockSelector } from './params.ts'

export function resolveHeader(ctx: RpcContext, sel: BlockSelector): Header | undefined {
  const chain = ctx.chain
  if ('hash' in sel) {
    const h = chain.headerByHash(sel.hash)
    if (h && sel.requireCanonical) {
      const canon = chain.canonicalHash(h.number)
      if (!canon || !equalBytes(canon, sel.hash)) throw new ServerError(`hash ${bytesToHex(sel.hash)} is not currently canonical`)
    }
    return h
  }
  if ('number' in sel) return sel.number > chain.head().number ? undefined : chain.headerByNumber(sel.number)
  switch (sel.tag) {
    case 'latest':
    case 'pending':
      return chain.head()
    case 'earliest':
      return chain.headerByNumber(0n)
    case 'safe':
      return chain.safe() ?? (() => { throw new ServerError('safe block not found') })()
    case 'finalized':
      return chain.finalized() ?? (() => { throw new ServerError('finalized block not found') })()
  }
}

export function requireHeader(ctx: RpcContext, sel: BlockSelector): Header {
  const h = resolveHeader(ctx, sel)
  if (!h) throw new ServerError('header not found')
  return h
}

export function resolveBlock(ctx: RpcContext, sel: BlockSelector): Block | undefined {
  const h = resolveHeader(ctx, sel)
  return h ? ctx.chain.blockByHash(headerHash(h)) : undefined
}

/** The state after the selected block; "header not found" or a pruned-state error otherwise. */
export function requireState(ctx: RpcContext, sel: BlockSelector): { header: Header; state: StateView } {
  const header = requireHeader(ctx, sel)
  const state = ctx.chain.stateAt(headerHash(header))
  if (!state) throw new ServerError(`historical state ${bytesToHex(header.stateRoot)} is not available`)
  return { header, state }
}

/** The header execution at `sel` runs under: the block's own, or the next one for `pending`. */
export function executionHeader(ctx: RpcContext, sel: BlockSelector, header: Header): Header {
  return 'tag' in sel && sel.tag === 'pending' && ctx.pending ? ctx.pending.nextHeader() : header
}
