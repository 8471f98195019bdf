/**
 * Fork mode's reads of the past: a block at or before the fork block is the upstream's (the
 * fork keeps only the fork block's header, with an empty body), and so is the state before it.
 * Requests that name such a block — by number, `earliest`, or a hash the fork does not hold —
 * are forwarded to the upstream; everything else is answered locally. Consumer: the RPC
 * component, with the fork's `ForkUpstream` (src/profiles/components/rpc.ts).
 */
import { bytesToHex, type Hash } from '../primitives/index.ts'
import type { Handler, Methods } from './context.ts'
import { blockSelector } from './params.ts'

/** The upstream as fork-mode RPC sees it. */
export interface ForkUpstream {
  /** The fork block: the upstream's blocks end here, the fork's own begin after it. */
  readonly forkBlock: bigint
  readonly forkHash: Hash
  /** The upstream's answer (cached by the fork; immutable below the fork block). */
  call(method: string, params: unknown[]): Promise<unknown>
}

/** Which parameter names the block, and whether the fork block itself is forwarded. */
interface Rule {
  at: number
  /** true: forward the fork block too (its body and proofs are the upstream's). */
  inclusive: boolean
}

const BY_BLOCK: Record<string, Rule> = {
  eth_getBlockByNumber: { at: 0, inclusive: true },
  eth_getBlockTransactionCountByNumber: { at: 0, inclusive: true },
  eth_getTransactionByBlockNumberAndIndex: { at: 0, inclusive: true },
  eth_getBlockReceipts: { at: 0, inclusive: true },
  eth_getProof: { at: 2, inclusive: true },
  eth_getBalance: { at: 1, inclusive: false },
  eth_getTransactionCount: { at: 1, inclusive: false },
  eth_getCode: { at: 1, inclusive: false },
  eth_getStorageAt: { at: 2, inclusive: false },
  eth_call: { at: 1, inclusive: false },
  eth_estimateGas: { at: 1, inclusive: false },
  eth_createAccessList: { at: 1, inclusive: false },
}

/** Looked up locally first; the upstream's when the fork does not know the hash. */
const BY_HASH_OR_NULL = ['eth_getBlockByHash', 'eth_getTransactionByHash', 'eth_getTransactionReceipt', 'eth_getBlockTransactionCountByHash']

function forwards(params: unknown[], rule: Rule, up: ForkUpstream): boolean {
  const v = params[rule.at]
  if (v === undefined || v === null) return false
  let sel
  try {
    sel = blockSelector(v, `param ${rule.at}`)
  } catch {
    return false // the local handler gives the parameter error
  }
  if ('tag' in sel) return sel.tag === 'earliest'
  if ('number' in sel) return rule.inclusive ? sel.number <= up.forkBlock : sel.number < up.forkBlock
  return rule.inclusive && bytesToHex(sel.hash) === bytesToHex(up.forkHash)
}

export function withForkForwarding(methods: Methods, up: ForkUpstream): Methods {
  const out: Methods = { ...methods }
  for (const [name, rule] of Object.entries(BY_BLOCK)) {
    const local = methods[name]
    if (!local) continue
    out[name] = (ctx, params) => {
      const list = Array.isArray(params) ? params : []
      return forwards(list, rule, up) ? up.call(name, list) : local(ctx, params)
    }
  }
  for (const name of BY_HASH_OR_NULL) {
    const local: Handler | undefined = methods[name]
    if (!local) continue
    out[name] = async (ctx, params) => {
      const list = Array.isArray(params) ? params : []
      if (name === 'eth_getBlockByHash' && typeof list[0] === 'string' && list[0].toLowerCase() === bytesToHex(up.forkHash)) return up.call(name, list)
      const mine = await local(ctx, params)
      return mine === null || mine === undefined ? up.call(name, list) : mine
    }
  }
  return out
}
