/**
 * anvil's pool controls: dropping pooled transactions (one, all, or a sender's), and the blobs
 * of blob transactions, pooled (the blob pool holds their sidecars) or lately mined (the dev
 * miner keeps the last few sidecars, as anvil keeps them with its blocks).
 */
import { equalBytes, type Hash } from '../../primitives/index.ts'
import type { BlobTransactionNetwork } from '../../types/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { UnsupportedError } from '../errors.ts'
import { hex } from '../format/hex.ts'
import { address, args, hash } from '../params.ts'

function poolOf(ctx: RpcContext) {
  if (!ctx.pool) throw new UnsupportedError('this node has no transaction pool')
  return ctx.pool
}

export function dropAll(ctx: RpcContext): void {
  const pool = poolOf(ctx)
  const { pending, queued } = pool.content()
  for (const txs of [...pending.values(), ...queued.values()]) for (const t of txs) pool.remove(t.hash)
}

/** The sidecar of a blob transaction: the pool's while pooled, the miner's once mined. */
function sidecarOf(ctx: RpcContext, txHash: Hash): BlobTransactionNetwork | undefined {
  const pooled = ctx.pool?.sidecarOf(txHash)
  if (pooled) return pooled
  for (const [h, s] of ctx.dev?.minedSidecars() ?? []) if (equalBytes(h, txHash)) return s
  return undefined
}

function blobByVersionedHash(ctx: RpcContext, versioned: Hash): Uint8Array | undefined {
  const pooled = ctx.pool?.blobByVersionedHash(versioned)
  if (pooled) return pooled.blob
  for (const [, s] of ctx.dev?.minedSidecars() ?? []) {
    const i = s.tx.blobVersionedHashes.findIndex((v) => equalBytes(v, versioned))
    if (i >= 0) return s.blobs[i]
  }
  return undefined
}

export const anvilPoolMethods: Methods = {
  anvil_dropTransaction(ctx, p) {
    const h = hash(args(p, 1, 1)[0], 0)
    // anvil answers the hash when it was pooled, null otherwise
    return poolOf(ctx).remove(h) ? hex(h) : null
  },
  anvil_dropAllTransactions(ctx, p) {
    args(p, 0)
    dropAll(ctx)
    return null
  },
  anvil_removePoolTransactions(ctx, p) {
    const who = address(args(p, 1, 1)[0], 0)
    const pool = poolOf(ctx)
    const { pending, queued } = pool.contentFrom(who)
    for (const t of [...pending, ...queued]) pool.remove(t.hash)
    return null
  },
  anvil_getBlobByHash(ctx, p) {
    const blob = blobByVersionedHash(ctx, hash(args(p, 1, 1)[0], 0))
    return blob ? hex(blob) : null
  },
  anvil_getBlobsByTransactionHash(ctx, p) {
    const s = sidecarOf(ctx, hash(args(p, 1, 1)[0], 0))
    return s ? s.blobs.map(hex) : null
  },
}
