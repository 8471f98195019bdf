/** Price rules shared by the pool modes: replacement by price bump, and which of two pays less. */
import { effectiveTip, gasFeeCap, gasTipCap, type Transaction } from '../types/index.ts'
import { TxPoolError } from './errors.ts'
import type { PooledTransaction } from './types.ts'

const bumped = (next: bigint, prev: bigint, bump: bigint): boolean => next > prev && next * 100n >= prev * bump

/**
 * A transaction replaces one with the same sender and nonce only with `priceBump`% more fee cap
 * and tip (geth's PriceBump). A blob transaction is replaced only by a blob transaction with
 * `blobPriceBump`% more fee cap, tip and blob fee cap (geth's blobpool, --blobpool.pricebump 100).
 */
export function checkReplacement(old: Transaction, tx: Transaction, priceBump: number, blobPriceBump = priceBump): void {
  const fee = gasFeeCap(tx), tip = gasTipCap(tx)
  const oldFee = gasFeeCap(old), oldTip = gasTipCap(old)
  if (old.type === 3) {
    if (tx.type !== 3) throw new TxPoolError('replacement-underpriced', 'a blob transaction can only be replaced by a blob transaction')
    const b = BigInt(100 + blobPriceBump)
    if (!bumped(fee, oldFee, b) || !bumped(tip, oldTip, b) || !bumped(tx.maxFeePerBlobGas, old.maxFeePerBlobGas, b))
      throw new TxPoolError(
        'replacement-underpriced',
        `new fee cap ${fee}, tip ${tip} and blob fee cap ${tx.maxFeePerBlobGas} must be at least ${blobPriceBump}% above ${oldFee}, ${oldTip} and ${old.maxFeePerBlobGas}`,
      )
    return
  }
  const bump = BigInt(100 + priceBump)
  if (!bumped(fee, oldFee, bump) || !bumped(tip, oldTip, bump))
    throw new TxPoolError('replacement-underpriced', `new fee cap ${fee} and tip ${tip} must be at least ${priceBump}% above ${oldFee} and ${oldTip}`)
}

/** Whether `a` pays less than `b` (effective tip at `baseFee`, then fee cap). */
export function cheaper(a: PooledTransaction, b: PooledTransaction, baseFee: bigint): boolean {
  const ta = effectiveTip(a.tx, baseFee), tb = effectiveTip(b.tx, baseFee)
  if (ta !== tb) return ta < tb
  return gasFeeCap(a.tx) < gasFeeCap(b.tx)
}
