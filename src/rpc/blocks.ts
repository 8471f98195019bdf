/**
 * From a block selector (tag, number, EIP-1898 hash) to the header, block and state it names.
 * `pending` reads as the head for state (the dev node has no separate pending state); blocks at
 * `pending` are the one the dev miner would build (`pendingBlock`), and execution at `pending`
 * uses the next header from `PendingBlock` when there is one. With dev controls, `safe` and
 * `finalized` trail the head by one and two epochs of slots, as anvil's do.
 */
import { bytesToHex, equalBytes, type Address } from '../primitives/index.ts'
import { headerHash, type Block, type Header } from '../types/index.ts'
import type { StateView } from './backend.ts'
import type { RpcContext } from './context.ts'
import { InvalidParamsError, ServerError } from './errors.ts'
import type { BlockSelector } from './params.ts'

/** anvil's distances of `safe` and `finalized` behind the dev head (32 slots an epoch). */
const DEV_SAFE_DISTANCE = 32n
const DEV_FINALIZED_DISTANCE = 64n

function trailing(ctx: RpcContext, distance: bigint): Header | undefined {
  const head = ctx.chain.head()
  return ctx.chain.headerByNumber(head.number > distance ? head.number - distance : 0n)
}

/** The block the dev miner would build now, for `pending`; undefined without one. */
export function pendingBlock(ctx: RpcContext, sel: BlockSelector): { block: Block; senders: Address[] } | undefined {
  return 'tag' in sel && sel.tag === 'pending' ? ctx.pending?.block?.() : undefined
}

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
      if (ctx.dev) return trailing(ctx, DEV_SAFE_DISTANCE)
      return chain.safe() ?? (() => { throw new ServerError('safe block not found') })()
    case 'finalized':
      if (ctx.dev) return trailing(ctx, DEV_FINALIZED_DISTANCE)
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
  if (!state) {
    // a dev node answers as anvil does past --prune-history; others as geth
    if (ctx.dev) throw new InvalidParamsError(`BlockOutOfRangeError: block height is ${ctx.chain.head().number} but requested was ${header.number}`)
    throw new ServerError(`historical state ${bytesToHex(header.stateRoot)} is not available`)
  }
  return { header, state }
}

/** The header execution at `sel` runs under: the block's own, or the next one for `pending`. */
export function executionHeader(ctx: RpcContext, sel: BlockSelector, header: Header): Header {
  return 'tag' in sel && sel.tag === 'pending' && ctx.pending ? ctx.pending.nextHeader() : header
}
