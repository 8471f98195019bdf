/** Price rules shared by the pool modes: replacement by price bump, and which of two pays less. */
import { gasFeeCap, gasTipCap, type Transaction } from '../types/index.ts'
import { TxPoolError } from './errors.ts'
import { effectiveTip } from './ordering.ts'
import type { PooledTransaction } from './types.ts'

/** A transaction replaces one with the same sender and nonce only with `priceBump`% more fee cap and tip (geth's PriceBump). */
export function checkReplacement(old: Transaction, tx: Transaction, priceBump: number): void {
  const bump = BigInt(100 + priceBump)
  const oldFee = gasFeeCap(old), oldTip = gasTipCap(old)
  const fee = gasFeeCap(tx), tip = gasTipCap(tx)
  if (fee <= oldFee || tip <= oldTip || fee * 100n < oldFee * bump || tip * 100n < oldTip * bump)
    throw new TxPoolError('replacement-underpriced', `new fee cap ${fee} and tip ${tip} must be at least ${priceBump}% above ${oldFee} and ${oldTip}`)
}

/** Whether `a` pays less than `b` (effective tip at `baseFee`, then fee cap). */
export function cheaper(a: PooledTransaction, b: PooledTransaction, baseFee: bigint): boolean {
  const ta = effectiveTip(a, baseFee), tb = effectiveTip(b, baseFee)
  if (ta !== tb) return ta < tb
  return gasFeeCap(a.tx) < gasFeeCap(b.tx)
}
