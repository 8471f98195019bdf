/**
 * A worker's chain: a ChainReader and PendingBlock whose reads are asked of the server's thread
 * (./chain-host.ts) through a blocking port. Answers are cached for the generation the current
 * job runs on (the same block's state is asked for again and again by calls to one contract),
 * and dropped when a job of another generation starts; the pending block (the clock, the pool)
 * is asked each time.
 */
import type { ChainSpec } from '../../chainspec/index.ts'
import { bytesToHex, type Address, type Hash } from '../../primitives/index.ts'
import type { AccountInfo } from '../../state/index.ts'
import type { Block, Header, Receipt } from '../../types/index.ts'
import type { ChainReader, PendingBlock, StateView, TxLocation } from '../backend.ts'
import { RpcError } from '../errors.ts'
import type { ReadOp, ReadReply, ReadRequest } from './protocol.ts'

/** Thrown out of a job whose chain moved: the job is sent again. */
export class StaleChain extends Error {
  override name = 'StaleChain'
}

const MAX_CACHED = 100_000

export interface BridgedChain {
  chain: ChainReader
  pending: PendingBlock
  /** Starts job `job` on generation `gen`. */
  begin(job: number, gen: number): void
}

const keyOf = (v: unknown): string => (v instanceof Uint8Array ? bytesToHex(v) : String(v))

export function bridgedChain(spec: ChainSpec, ask: (req: ReadRequest) => unknown): BridgedChain {
  let job = 0
  let gen = -1
  let cache = new Map<string, unknown>()
  const ask1 = (op: ReadOp, args: unknown[]): unknown => {
    const reply = ask({ job, op, args }) as ReadReply | { error: { code: number; message: string; data?: unknown } }
    if ('stale' in reply) throw new StaleChain()
    if ('error' in reply) throw new RpcError(reply.error.message, { code: reply.error.code, data: reply.error.data })
    return reply.value
  }
  const read = <T>(op: ReadOp, ...args: unknown[]): T => {
    const k = args.length === 0 ? op : `${op}:${args.map(keyOf).join(':')}`
    if (cache.has(k)) return cache.get(k) as T
    const v = ask1(op, args)
    if (cache.size >= MAX_CACHED) cache = new Map()
    cache.set(k, v)
    return v as T
  }
  const states = new Map<string, StateView | undefined>()
  const stateAt = (h: Hash): StateView | undefined => {
    const k = bytesToHex(h)
    if (states.has(k)) return states.get(k)
    const root = read<Hash | undefined>('stateRoot', h)
    const view: StateView | undefined = root && {
      stateRoot: root,
      getAccount: (a: Address) => read<AccountInfo | undefined>('account', h, a),
      getStorage: (a: Address, s: bigint) => read<bigint>('storage', h, a, s),
      hasStorage: (a: Address) => read<boolean>('hasStorage', h, a),
      proof: () => {
        throw new RpcError('proofs are not served by EVM workers')
      },
    }
    states.set(k, view)
    return view
  }
  const chain: ChainReader = {
    spec,
    head: () => read<Header>('head'),
    headerByNumber: (n) => read('headerByNumber', n),
    headerByHash: (h) => read('headerByHash', h),
    blockByHash: (h) => read<Block | undefined>('blockByHash', h),
    canonicalHash: (n) => read<Hash | undefined>('canonicalHash', n),
    safe: () => ask1('safe', []) as Header | undefined,
    finalized: () => ask1('finalized', []) as Header | undefined,
    receipts: (h) => read<Receipt[] | undefined>('receipts', h),
    senders: (h) => read<Address[] | undefined>('senders', h),
    transactionLocation: (h) => read<TxLocation | undefined>('transactionLocation', h),
    stateAt,
    onHead: () => () => {},
  }
  const pending: PendingBlock = {
    nextHeader: () => ask1('nextHeader', []) as Header,
    // undefined where the node has no pending block, as an absent `block` answers in-thread
    block: () => ask1('pendingBlock', []) as { block: Block; senders: Address[] },
  }
  return {
    chain,
    pending,
    begin(id, g) {
      job = id
      if (g !== gen) {
        gen = g
        cache = new Map()
        states.clear()
      }
    },
  }
}
