/**
 * Best-first ordering for block building: among the senders' next executable transactions,
 * the highest effective tip at the block's base fee (min(tip, feeCap − baseFee)) goes first,
 * earlier arrival breaking ties; each sender's transactions stay in nonce order, and a sender
 * whose next transaction cannot pay the base fee (or blob base fee) contributes nothing more.
 */
import { effectiveTip, gasFeeCap } from '../types/index.ts'
import type { PooledTransaction } from './types.ts'

function payable(p: PooledTransaction, baseFee: bigint, blobBaseFee: bigint | undefined): boolean {
  if (gasFeeCap(p.tx) < baseFee) return false
  return !(p.tx.type === 3 && blobBaseFee !== undefined && p.tx.maxFeePerBlobGas < blobBaseFee)
}

/** `lists`: each sender's executable transactions in nonce order. */
export function bestOrder(lists: readonly PooledTransaction[][], baseFee: bigint, blobBaseFee?: bigint): PooledTransaction[] {
  const heads = lists.map((l) => ({ list: l, at: 0 })).filter((h) => h.list.length > 0 && payable(h.list[0]!, baseFee, blobBaseFee))
  const better = (a: PooledTransaction, b: PooledTransaction) => {
    const ta = effectiveTip(a.tx, baseFee)
    const tb = effectiveTip(b.tx, baseFee)
    return ta !== tb ? ta > tb : a.seq < b.seq
  }
  const out: PooledTransaction[] = []
  // a binary max-heap over the senders' current heads
  const heap = heads
  const cur = (i: number) => heap[i]!.list[heap[i]!.at]!
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && better(cur(l), cur(m))) m = l
      if (r < heap.length && better(cur(r), cur(m))) m = r
      if (m === i) return
      ;[heap[i], heap[m]] = [heap[m]!, heap[i]!]
      i = m
    }
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)
  while (heap.length > 0) {
    const top = heap[0]!
    out.push(top.list[top.at]!)
    top.at++
    if (top.at >= top.list.length || !payable(top.list[top.at]!, baseFee, blobBaseFee)) {
      heap[0] = heap[heap.length - 1]!
      heap.pop()
    }
    if (heap.length > 0) down(0)
  }
  return out
}
