/**
 * eth_ fee methods: eth_maxPriorityFeePerGas (fee-oracle.ts), eth_gasPrice = tip + head base fee,
 * eth_feeHistory with reward percentiles, eth_blobBaseFee of the next block.
 */
import { blobParamsAt, forkAt } from '../../chainspec/index.ts'
import { blobBaseFee, defaultBlobParams, GAS_PER_BLOB, nextBaseFee, nextExcessBlobGas } from '../../executor/index.ts'
import { isForkAtLeast, type Header } from '../../types/index.ts'
import { requireHeader } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { InvalidParamsError, ServerError } from '../errors.ts'
import { qty } from '../format/hex.ts'
import { blockTips, cmp, suggestTip } from '../fee-oracle.ts'
import { args, array, blockNumber, fail, quantity } from '../params.ts'

const MAX_PERCENTILES = 100

function blobFeeAfter(ctx: RpcContext, h: Header): bigint | undefined {
  const spec = ctx.chain.spec
  const ts = h.timestamp + 12n
  const fork = forkAt(spec, h.number + 1n, ts)
  if (!isForkAtLeast(fork, 'cancun')) return undefined
  const params = blobParamsAt(spec, ts) ?? defaultBlobParams(fork)
  return blobBaseFee(nextExcessBlobGas(h, params, fork), params)
}

function blobFeeOf(ctx: RpcContext, h: Header): bigint {
  if (h.excessBlobGas === undefined) return 0n
  const params = blobParamsAt(ctx.chain.spec, h.timestamp) ?? defaultBlobParams(forkAt(ctx.chain.spec, h.number, h.timestamp))
  return blobBaseFee(h.excessBlobGas, params)
}

function percentiles(v: unknown): number[] {
  if (v === undefined || v === null) return []
  const list = array(v, 2, MAX_PERCENTILES)
  return list.map((p, i) => {
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) throw new InvalidParamsError(`invalid reward percentile: ${JSON.stringify(p)}`)
    if (i > 0 && p < (list[i - 1] as number)) throw new InvalidParamsError(`invalid reward percentile: #${i - 1}:${list[i - 1]} > #${i}:${p}`)
    return p
  })
}

function rewards(ctx: RpcContext, h: Header, ps: number[]): string[] {
  const txs = blockTips(ctx, h).sort((a, b) => cmp(a.tip, b.tip))
  if (txs.length === 0) return ps.map(() => qty(0))
  const used = txs.reduce((s, t) => s + t.gas, 0n)
  return ps.map((p) => {
    const threshold = (Number(used) * p) / 100
    let sum = 0
    for (const t of txs) {
      sum += Number(t.gas)
      if (sum >= threshold) return qty(t.tip)
    }
    return qty(txs.at(-1)!.tip)
  })
}

export const ethFeeMethods: Methods = {
  eth_maxPriorityFeePerGas: (ctx, p) => (args(p, 0), qty(suggestTip(ctx))),
  eth_gasPrice(ctx, p) {
    args(p, 0)
    return qty(suggestTip(ctx) + (ctx.chain.head().baseFeePerGas ?? 0n))
  },
  eth_blobBaseFee(ctx, p) {
    args(p, 0)
    const fee = blobFeeAfter(ctx, ctx.chain.head())
    if (fee === undefined) throw new ServerError('blob base fee is not available before Cancun')
    return qty(fee)
  },
  eth_feeHistory(ctx, p) {
    const a = args(p, 3, 2)
    const count = typeof a[0] === 'number' && Number.isInteger(a[0]) && a[0] >= 0 ? BigInt(a[0]) : quantity(a[0], 0, 64)
    if (count === 0n) return { oldestBlock: qty(0), baseFeePerGas: [], gasUsedRatio: [] }
    const sel = blockNumber(a[1], 1)
    const ps = percentiles(a[2])
    const head = ctx.chain.head().number
    if ('number' in sel && sel.number > head) throw new ServerError(`request beyond head block: requested ${sel.number}, head ${head}`)
    const newest = requireHeader(ctx, sel).number
    const n = count > BigInt(ctx.limits.feeHistoryMaxBlocks) ? BigInt(ctx.limits.feeHistoryMaxBlocks) : count
    const oldest = newest - n + 1n < 0n ? 0n : newest - n + 1n
    const baseFees: string[] = [], ratios: number[] = [], blobFees: string[] = [], blobRatios: number[] = [], reward: string[][] = []
    let last: Header | undefined
    for (let k = oldest; k <= newest; k++) {
      const h = ctx.chain.headerByNumber(k)
      if (!h) fail(1, `block ${k} not found`)
      last = h
      baseFees.push(qty(h.baseFeePerGas ?? 0n))
      ratios.push(h.gasLimit === 0n ? 0 : Number(h.gasUsed) / Number(h.gasLimit))
      blobFees.push(qty(blobFeeOf(ctx, h)))
      const fork = forkAt(ctx.chain.spec, h.number, h.timestamp)
      const maxBlob = isForkAtLeast(fork, 'cancun') ? BigInt((blobParamsAt(ctx.chain.spec, h.timestamp) ?? defaultBlobParams(fork)).max) * GAS_PER_BLOB : 0n
      blobRatios.push(maxBlob === 0n ? 0 : Number(h.blobGasUsed ?? 0n) / Number(maxBlob))
      if (ps.length > 0) reward.push(rewards(ctx, h, ps))
    }
    baseFees.push(qty(last!.baseFeePerGas === undefined ? 0n : nextBaseFee(last!)))
    blobFees.push(qty(blobFeeAfter(ctx, last!) ?? 0n))
    const out: Record<string, unknown> = { oldestBlock: qty(oldest) }
    if (ps.length > 0) out.reward = reward
    Object.assign(out, { baseFeePerGas: baseFees, gasUsedRatio: ratios, baseFeePerBlobGas: blobFees, blobGasUsedRatio: blobRatios })
    return out
  },
}
