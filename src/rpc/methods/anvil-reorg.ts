/**
 * anvil's chain rewrites: anvil_rollback(depth = 1) drops the last blocks, anvil_reorg(depth,
 * [[tx, blockOffset], ...]) replaces the last `depth` blocks with as many new ones, block
 * `blockOffset` of the new branch holding the transactions paired with it. A transaction is a
 * raw signed one (hex) or a request object signed as eth_sendTransaction does (a dev account's
 * key, or impersonated), its nonce counted on from the common ancestor's. Both go through the
 * chain's head move (DevControls), so they are durable and subscribers see the removed blocks.
 */
import { ChainError } from '../../blockchain/index.ts'
import { addressKey } from '../../state/index.ts'
import { recoverSender, TransactionError, type Transaction } from '../../types/index.ts'
import type { Address } from '../../primitives/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError } from '../errors.ts'
import { parseCallArgs } from '../exec/call-args.ts'
import { fillTransaction } from '../exec/fill.ts'
import { args, data, fail, field, type At } from '../params.ts'
import { devOf, int } from './dev.ts'
import { decodeRaw, signWith } from './eth-send.ts'

/** A depth the chain has: at most its height. */
function depthOf(ctx: RpcContext, v: unknown, at: At, what: string): number {
  const depth = int(v, at)
  const height = ctx.chain.head().number
  if (depth > height) fail(at, `${what} depth ${depth} exceeds the chain height ${height}`)
  return Number(depth)
}

/** The chain cannot undo that far (its state history): a server-side limit, said as such. */
function moved<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof ChainError) throw new ServerError(e.message)
    throw e
  }
}

/** One transaction of a pair: raw, or a request signed with the next nonce of its sender. */
function pairTransaction(ctx: RpcContext, v: unknown, at: At, nonces: Map<string, bigint>, commonHash: Uint8Array): { tx: Transaction; sender: Address } {
  if (typeof v === 'string') {
    const raw = data(v, at)
    try {
      const tx = decodeRaw(raw).tx
      return { tx, sender: recoverSender(tx) }
    } catch (e) {
      if (e instanceof ServerError || e instanceof TransactionError) fail(at, `not a signed transaction: ${e.message}`)
      throw e
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'expected a raw transaction (hex) or a transaction object')
  const a = parseCallArgs(v, at)
  const from = a.from ?? ctx.signer?.accounts()[0]
  if (!from) fail(at, 'no sender given and no dev account')
  const key = addressKey(from)
  const nonce = a.nonce ?? nonces.get(key) ?? ctx.chain.stateAt(commonHash)?.getAccount(from)?.nonce ?? 0n
  nonces.set(key, nonce + 1n)
  return { tx: signWith(ctx, fillTransaction(ctx, { ...a, nonce }, from), from).tx, sender: from }
}

export const anvilReorgMethods: Methods = {
  anvil_rollback(ctx, p) {
    const a = args(p, 1)
    // the default depth is checked like a given one: at genesis there is nothing to drop
    const depth = depthOf(ctx, a[0] ?? 1, 0, 'rollback')
    moved(() => devOf(ctx).rollback(depth))
    return null
  },

  anvil_reorg(ctx, p) {
    const [d, list] = args(p, 2, 2)
    const depth = depthOf(ctx, d, 0, 'reorg')
    if (!Array.isArray(list)) fail(1, 'expected a list of [transaction, block offset] pairs')
    const commonHash = ctx.chain.canonicalHash(ctx.chain.head().number - BigInt(depth))!
    // anvil's order: by block offset, nonces counted on in that order
    const pairs = list.map((pair, i) => {
      const at = field(1, i)
      if (!Array.isArray(pair) || pair.length !== 2) fail(at, 'expected a [transaction, block offset] pair')
      const offset = int(pair[1], field(at, 1))
      if (offset >= BigInt(depth)) fail(field(at, 1), `block offset ${offset} is past the new branch: at most depth - 1 = ${depth - 1}`)
      return { v: pair[0] as unknown, at: field(at, 0), offset: Number(offset) }
    }).sort((x, y) => x.offset - y.offset)
    const nonces = new Map<string, bigint>()
    const blocks: { tx: Transaction; sender: Address }[][] = []
    for (const { v, at, offset } of pairs) (blocks[offset] ??= []).push(pairTransaction(ctx, v, at, nonces, commonHash))
    moved(() => devOf(ctx).reorg(depth, Array.from({ length: depth }, (_, i) => blocks[i] ?? [])))
    return null
  },
}
