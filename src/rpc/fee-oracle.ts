/**
 * The tip suggestion (geth's gas price oracle): the lowest tips of each of the last 20 blocks,
 * their 60th percentile, capped at 500 gwei; 1 gwei when there is nothing to sample.
 */
import { headerHash, type Header } from '../types/index.ts'
import type { RpcContext } from './context.ts'
import { effectiveGasPrice } from './format/transaction.ts'

const GWEI = 1_000_000_000n
const ORACLE_BLOCKS = 20
const ORACLE_SAMPLES = 3
const ORACLE_PERCENTILE = 60
const MAX_TIP = 500n * GWEI
const IGNORE_BELOW = 2n

/** Tips paid per transaction in a block (effective gas price minus base fee), with gas used. */
export function blockTips(ctx: RpcContext, h: Header): { tip: bigint; gas: bigint }[] {
  const hash = headerHash(h)
  const block = ctx.chain.blockByHash(hash)
  const receipts = ctx.chain.receipts(hash)
  if (!block || !receipts) return []
  const base = h.baseFeePerGas ?? 0n
  let prev = 0n
  return block.transactions.map((tx, i) => {
    const cum = receipts[i]?.cumulativeGasUsed ?? prev
    const gas = cum - prev
    prev = cum
    return { tip: effectiveGasPrice(tx, h.baseFeePerGas) - base, gas }
  })
}

/** The suggested priority fee (eth_maxPriorityFeePerGas). */
export function suggestTip(ctx: RpcContext): bigint {
  const head = ctx.chain.head().number
  const samples: bigint[] = []
  for (let n = head; n >= 0n && n > head - BigInt(ORACLE_BLOCKS); n--) {
    const h = ctx.chain.headerByNumber(n)
    if (!h) break
    const tips = blockTips(ctx, h).map((t) => t.tip).filter((t) => t >= IGNORE_BELOW).sort(cmp)
    samples.push(...tips.slice(0, ORACLE_SAMPLES))
  }
  if (samples.length === 0) return GWEI
  samples.sort(cmp)
  const tip = samples[Math.floor(((samples.length - 1) * ORACLE_PERCENTILE) / 100)]!
  return tip > MAX_TIP ? MAX_TIP : tip
}

export const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0)
