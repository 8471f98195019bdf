/**
 * The server thread's side of a worker's reads: each read of a job is answered from the same
 * ChainReader and PendingBlock an in-thread call would use, so a worker sees exactly what the
 * event loop sees (RocksDB, the caches, the dev node's pending edits, fork mode's remote state).
 *
 * Consistency: a job runs on the chain as it was when the job was sent. The chain's generation
 * changes whenever the head moves or the state readable at the head changes without a new block
 * (`stateVersion`: dev edits); a read of a job from an older generation answers `stale`, and the
 * job starts over on the new chain. Reads a worker cached are tied to their generation too.
 */
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { headerHash, type Header } from '../../types/index.ts'
import type { StateView } from '../backend.ts'
import type { RpcBackend } from '../context.ts'
import { toRpcError } from '../errors.ts'
import type { ReadOp, ReadReply, ReadRequest } from './protocol.ts'

export interface ChainHost {
  /** The current generation (computed on demand: nothing is pushed on a head move). */
  generation(): number
  /** The answer to one read of job `gen`'s. */
  answer(req: ReadRequest, gen: number): ReadReply | { error: ReturnType<ReturnType<typeof toRpcError>['toJSON']> }
}

type Read = (...args: any[]) => unknown

export function createChainHost(backend: RpcBackend): ChainHost {
  const { chain, pending } = backend
  let gen = 0
  let head: Header = chain.head()
  let version = backend.stateVersion?.()
  // a historical view is built from change sets: once per block and generation, not per read
  let views = new Map<string, StateView | undefined>()
  const generation = () => {
    const h = chain.head()
    const v = backend.stateVersion?.()
    if (v !== version || (h !== head && !equalBytes(headerHash(h), headerHash(head)))) {
      gen++
      views = new Map()
    }
    head = h
    version = v
    return gen
  }
  const stateAt = (h: Uint8Array): StateView | undefined => {
    const k = bytesToHex(h)
    if (!views.has(k)) views.set(k, chain.stateAt(h))
    return views.get(k)
  }
  const reads: Record<ReadOp, Read> = {
    head: () => chain.head(),
    headerByNumber: (n: bigint) => chain.headerByNumber(n),
    headerByHash: (h: Uint8Array) => chain.headerByHash(h),
    blockByHash: (h: Uint8Array) => chain.blockByHash(h),
    canonicalHash: (n: bigint) => chain.canonicalHash(n),
    safe: () => chain.safe(),
    finalized: () => chain.finalized(),
    receipts: (h: Uint8Array) => chain.receipts(h),
    senders: (h: Uint8Array) => chain.senders(h),
    transactionLocation: (h: Uint8Array) => chain.transactionLocation(h),
    stateRoot: (h: Uint8Array) => stateAt(h)?.stateRoot,
    account: (h: Uint8Array, a: Uint8Array) => stateAt(h)?.getAccount(a),
    storage: (h: Uint8Array, a: Uint8Array, k: bigint) => stateAt(h)?.getStorage(a, k) ?? 0n,
    hasStorage: (h: Uint8Array, a: Uint8Array) => stateAt(h)?.hasStorage(a) ?? false,
    nextHeader: () => pending?.nextHeader(),
    pendingBlock: () => pending?.block?.(),
  }
  return {
    generation,
    answer(req, jobGen) {
      try {
        if (generation() !== jobGen) return { stale: true }
        return { value: reads[req.op](...req.args) }
      } catch (err) {
        return { error: toRpcError(err).toJSON() }
      }
    },
  }
}
