/**
 * EIP-7966: eth_sendRawTransactionSync and eth_sendTransactionSync send as their asynchronous
 * siblings do (./eth-send.ts), then wait for the transaction's receipt and answer it. The wait
 * ends after the timeout the caller gives in milliseconds (a JSON number or a quantity), at most
 * and by default 30 s (anvil's), with error code 4 and the hash as data, as the EIP says. With
 * automine the transaction is mined inside the send, so the receipt is there at once.
 */
import { hexToBytes, type Hash } from '../../primitives/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { RpcError } from '../errors.ts'
import { args } from '../params.ts'
import { int } from './dev.ts'
import { ethSendMethods } from './eth-send.ts'
import { blockReceiptsJson, minedTransaction } from './eth-tx.ts'

const MAX_WAIT_MS = 30_000

/** EIP-7966's error for a transaction not mined within the timeout. */
const TIMEOUT_CODE = 4

function receiptNow(ctx: RpcContext, h: Hash): unknown {
  const mined = minedTransaction(ctx, h)
  return mined && blockReceiptsJson(ctx, mined.block)[mined.index]
}

function waitForReceipt(ctx: RpcContext, txHash: string, ms: number): Promise<unknown> {
  const h = hexToBytes(txHash)
  const now = receiptNow(ctx, h)
  if (now) return Promise.resolve(now)
  return new Promise((resolve, reject) => {
    const done = () => {
      stop()
      clearTimeout(timer)
    }
    const stop = ctx.chain.onHead(() => {
      const r = receiptNow(ctx, h)
      if (r) {
        done()
        resolve(r)
      }
    })
    const timer = setTimeout(() => {
      done()
      reject(new RpcError(`the transaction was added to the pool but not mined within ${ms} ms`, { code: TIMEOUT_CODE, data: txHash }))
    }, ms)
  })
}

/** A timeout that is absent, 0 or beyond the maximum is the maximum (the EIP: invalid ones get the default). */
function timeoutOf(v: unknown, at: number): number {
  if (v == null) return MAX_WAIT_MS
  const ms = int(v, at)
  return ms === 0n || ms > BigInt(MAX_WAIT_MS) ? MAX_WAIT_MS : Number(ms)
}

export const ethSendSyncMethods: Methods = {
  async eth_sendRawTransactionSync(ctx, p) {
    const a = args(p, 2, 1)
    const ms = timeoutOf(a[1], 1)
    const hash = (await ethSendMethods.eth_sendRawTransaction!(ctx, [a[0]])) as string
    return waitForReceipt(ctx, hash, ms)
  },
  async eth_sendTransactionSync(ctx, p) {
    const a = args(p, 2, 1)
    const ms = timeoutOf(a[1], 1)
    const hash = (await ethSendMethods.eth_sendTransaction!(ctx, [a[0]])) as string
    return waitForReceipt(ctx, hash, ms)
  },
}
