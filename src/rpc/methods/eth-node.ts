/**
 * eth_ facts about the node rather than the chain, for tools that still ask: the fee recipient of
 * the next block (eth_coinbase), no proof-of-work hash rate, and anvil's protocol version.
 */
import type { Methods } from '../context.ts'
import { hex, qty } from '../format/hex.ts'
import { args } from '../params.ts'

export const ethNodeMethods: Methods = {
  // the block the node would build next names it: the dev miner's etherbase, zero otherwise
  eth_coinbase: (ctx, p) => (args(p, 0), hex(ctx.pending?.nextHeader().coinbase ?? new Uint8Array(20))),
  eth_hashrate: (_ctx, p) => (args(p, 0), qty(0)),
  // geth dropped the method; anvil answers 1, and tools that probe it expect a number
  eth_protocolVersion: (_ctx, p) => (args(p, 0), 1),
}
