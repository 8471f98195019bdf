/**
 * The `mosaic` namespace: the state-diff stream (src/statediff) over JSON-RPC, in the stream's
 * JSON form (src/statediff/codec-json.ts).
 *
 * - `mosaic_getStateDiff(block)`: the commit diff of a block — a number or tag (the canonical
 *   block there), a hash or an EIP-1898 object (any stored block) — or null when there is none.
 * - `eth_subscribe("mosaic_stateDiffs"[, {number, hash}])` (WebSocket): each notification of the
 *   stream (`committed`, `reorged` with the reverted blocks newest first, `reverted`) from the
 *   head on; given a block (the subscriber's head, after a reconnect) from that block on, with
 *   the way back to the canonical chain first when it left it. The stream is pushed: a client
 *   that stops reading is disconnected by the WebSocket's send-queue limit, never waited for.
 *   Served where the transport serves the `mosaic` namespace (`--ws.api`).
 */
import { bytesToHex } from '../../primitives/index.ts'
import { diffJson, notificationJson, StateDiffError, type BlockRef, type StateDiffStream, type Subscription } from '../../statediff/index.ts'
import { headerHash } from '../../types/index.ts'
import { resolveHeader } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError, UnsupportedError } from '../errors.ts'
import { args, blockSelector, field, hash, knownFields, object, quantity } from '../params.ts'

function streamOf(ctx: RpcContext): StateDiffStream {
  if (!ctx.stateDiffs) throw new ServerError('this node has no state-diff stream')
  return ctx.stateDiffs
}

export const mosaicMethods: Methods = {
  mosaic_getStateDiff(ctx, p) {
    const stream = streamOf(ctx)
    const header = resolveHeader(ctx, blockSelector(args(p, 1, 1)[0], 0))
    if (!header) return null
    try {
      return diffJson(stream.diffOf({ number: header.number, hash: headerHash(header) }))
    } catch (e) {
      if (e instanceof StateDiffError) throw new ServerError(e.message)
      throw e
    }
  },
}

/** The optional start of a subscription: the subscriber's head, a stored block. */
function startingBlock(ctx: RpcContext, v: unknown): BlockRef | undefined {
  if (v == null) return undefined
  const o = object(v, 1)
  knownFields(o, 1, ['number', 'hash'])
  const ref = { number: quantity(o.number, field(1, 'number'), 64), hash: hash(o.hash, field(1, 'hash')) }
  const h = ctx.chain.headerByHash(ref.hash)
  if (!h || h.number !== ref.number) throw new ServerError(`block ${ref.number} ${bytesToHex(ref.hash)} is not known`)
  return ref
}

let subscribers = 0

/** eth_subscribe's `mosaic_stateDiffs`: starts a stream subscription that notifies each notification's JSON form. */
export function stateDiffListener(ctx: RpcContext, opt: unknown): (notify: (r: unknown) => boolean, end: () => void) => () => void {
  if (ctx.subscriptions?.exposes?.('mosaic') === false) throw new UnsupportedError('no "mosaic_stateDiffs" subscription: the mosaic namespace is not served on this transport (--ws.api)')
  const stream = streamOf(ctx)
  const from = startingBlock(ctx, opt) ?? (() => {
    const head = ctx.chain.head()
    return { number: head.number, hash: headerHash(head) }
  })()
  return (notify, end) => {
    // the first notification may come while subscribe() runs, before `sub` is set
    let sub: Subscription | undefined
    let gone = false
    sub = stream.subscribe(
      {
        onNotification(n) {
          // a pushed consumer has its blocks once they are sent: acknowledged, so the node keeps nothing for it
          if (sub?.position) sub.acknowledge(sub.position.number)
          if (!notify(notificationJson(n))) {
            gone = true
            sub?.close()
          }
        },
      },
      { name: `mosaic_stateDiffs subscriber ${++subscribers}`, from },
    )
    if (gone) sub.close()
    // a subscription the stream cannot serve (its block's history is gone) ends rather than going silent
    sub.done.catch(() => end())
    return () => sub.close()
  }
}
