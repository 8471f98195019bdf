/**
 * Fork mode's reads of the past: a block at or before the fork block is the upstream's (the
 * fork keeps only the fork block's header, with an empty body), and so is the state before it.
 * Requests that name such a block — by number, `earliest`, or a hash the fork does not hold —
 * are forwarded to the upstream, as are traces of transactions the fork does not hold and
 * eth_getLogs up to the fork block; everything else is answered locally. Before a local execution
 * (eth_call & co.) the accounts and slots its call object names are fetched in one batch, rather
 * than one round trip each as the EVM reaches them. Consumer: the RPC
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
  /** Fetches accounts and slots in one batch before an execution that will read them. */
  prefetch?(accounts: string[], slots: [address: string, slot: string][]): void
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
  debug_traceBlockByNumber: { at: 0, inclusive: true },
  debug_traceCall: { at: 1, inclusive: false },
}

/** Executions whose call object (params[0]) names accounts and slots to fetch in one batch first. */
const EXECUTIONS = ['eth_call', 'eth_estimateGas', 'eth_createAccessList', 'eth_sendTransaction']

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const SLOT = /^0x[0-9a-fA-F]{1,64}$/

/** The sender, the recipient and the access list of a call object (well-formed entries only; the handler validates). */
function keysOf(call: unknown): { accounts: string[]; slots: [string, string][] } {
  const accounts: string[] = []
  const slots: [string, string][] = []
  if (!call || typeof call !== 'object') return { accounts, slots }
  const c = call as { from?: unknown; to?: unknown; accessList?: unknown }
  for (const a of [c.from, c.to]) if (typeof a === 'string' && ADDRESS.test(a)) accounts.push(a)
  if (Array.isArray(c.accessList))
    for (const e of c.accessList.slice(0, 256) as { address?: unknown; storageKeys?: unknown }[]) {
      if (typeof e?.address !== 'string' || !ADDRESS.test(e.address)) continue
      accounts.push(e.address)
      if (Array.isArray(e.storageKeys)) for (const k of e.storageKeys.slice(0, 256)) if (typeof k === 'string' && SLOT.test(k)) slots.push([e.address, k])
    }
  return { accounts, slots }
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

/** A filter bound as a number (hex string or `earliest`), or undefined for tags the fork answers. */
function boundOf(v: unknown): bigint | undefined {
  if (v === 'earliest') return 0n
  return typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v) ? BigInt(v) : undefined
}

/**
 * eth_getLogs over a range that starts at or before the fork block: the upstream's logs up to
 * it, then the fork's own after it (the fork block's body is the upstream's).
 */
function logsAcrossFork(local: Handler, up: ForkUpstream): Handler {
  return async (ctx, params) => {
    const f = Array.isArray(params) ? params[0] : undefined
    if (!f || typeof f !== 'object' || 'blockHash' in f) return local(ctx, params)
    const { fromBlock, toBlock } = f as { fromBlock?: unknown; toBlock?: unknown }
    const from = boundOf(fromBlock)
    if (from === undefined || from > up.forkBlock) return local(ctx, params)
    const to = boundOf(toBlock)
    if (to !== undefined && to <= up.forkBlock) return up.call('eth_getLogs', [f])
    const before = (await up.call('eth_getLogs', [{ ...f, toBlock: `0x${up.forkBlock.toString(16)}` }])) as unknown[]
    const after = (await local(ctx, [{ ...f, fromBlock: `0x${(up.forkBlock + 1n).toString(16)}` }])) as unknown[]
    return [...(before ?? []), ...(after ?? [])]
  }
}

export function withForkForwarding(methods: Methods, up: ForkUpstream): Methods {
  const out: Methods = { ...methods }
  if (methods.eth_getLogs) out.eth_getLogs = logsAcrossFork(methods.eth_getLogs, up)
  for (const [name, rule] of Object.entries(BY_BLOCK)) {
    const local = methods[name]
    if (!local) continue
    out[name] = (ctx, params) => {
      const list = Array.isArray(params) ? params : []
      return forwards(list, rule, up) ? up.call(name, list) : local(ctx, params)
    }
  }
  for (const name of EXECUTIONS) {
    const inner = out[name]
    if (!inner || !up.prefetch) continue
    out[name] = (ctx, params) => {
      const { accounts, slots } = keysOf(Array.isArray(params) ? params[0] : undefined)
      if (accounts.length > 0) up.prefetch!(accounts, slots)
      return inner(ctx, params)
    }
  }
  // a transaction the fork does not hold is the upstream's (mined before the fork block)
  const localTx = methods.eth_getTransactionByHash
  for (const name of ['debug_traceTransaction', 'debug_getRawTransaction']) {
    const local = methods[name]
    if (!local || !localTx) continue
    out[name] = async (ctx, params) => {
      const list = Array.isArray(params) ? params : []
      const known = await localTx(ctx, [list[0]])
      return known === null || known === undefined ? up.call(name, list) : local(ctx, params)
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
