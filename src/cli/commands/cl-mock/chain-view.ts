/**
 * What cl-mock reads of a chain through `eth_getBlockByNumber` (the engine port's eth_ subset,
 * common.md): a block's hash, number, timestamp and next withdrawal index, checked before use;
 * and the forkchoice state it sends, with safe and finalized trailing the head by one and two
 * epochs as a beacon chain's do when every slot is justified.
 */
import type { EngineClient } from '../../../engine/index.ts'
import { bytesToHex as hexOf, type Hex } from '../../../primitives/index.ts'
import { answerReader, callFailure, type Endpoint } from './errors.ts'

export interface BlockSummary {
  hash: Hex
  parentHash: Hex
  number: bigint
  timestamp: bigint
  /** One past the block's last withdrawal index (0 without withdrawals). */
  nextWithdrawalIndex: bigint
}

/** An RPC client with the endpoint it talks to (for error messages). */
export interface Peer {
  client: EngineClient
  endpoint: Endpoint
}

export async function call<T>(peer: Peer, method: string, params: unknown[] = []): Promise<T> {
  try {
    return await peer.client.call<T>(method, params)
  } catch (err) {
    throw callFailure(err, peer.endpoint)
  }
}

const hexQuantity = (n: bigint): Hex => `0x${n.toString(16)}` as Hex

/** The block at `tag` (a number or 'latest'), or undefined when the node has none there. */
export async function blockSummary(peer: Peer, tag: bigint | 'latest'): Promise<BlockSummary | undefined> {
  const at = `eth_getBlockByNumber(${typeof tag === 'bigint' ? tag : tag}) from the ${peer.endpoint.role}`
  const v = await call<unknown>(peer, 'eth_getBlockByNumber', [typeof tag === 'bigint' ? hexQuantity(tag) : tag, false])
  if (v === null) return undefined
  const r = answerReader(at)
  if (typeof v !== 'object' || Array.isArray(v)) r.fail('block', 'expected an object')
  const o = v as Record<string, unknown>
  const summary: BlockSummary = {
    hash: hexOf(r.data(o.hash, 'hash', { length: 32 })),
    parentHash: hexOf(r.data(o.parentHash, 'parentHash', { length: 32 })),
    number: r.quantity(o.number, 'number', 64),
    timestamp: r.quantity(o.timestamp, 'timestamp', 64),
    nextWithdrawalIndex: 0n,
  }
  if (typeof tag === 'bigint' && summary.number !== tag) r.fail('number', `block ${summary.number} where ${tag} was asked for`)
  if (o.withdrawals !== undefined && o.withdrawals !== null) {
    const list = r.list(o.withdrawals, 'withdrawals')
    const last = list[list.length - 1] as Record<string, unknown> | undefined
    if (last) summary.nextWithdrawalIndex = r.quantity(last.index, `withdrawals[${list.length - 1}].index`, 64) + 1n
  }
  return summary
}

export const SLOTS_PER_EPOCH = 32n

/** Block hashes by number along the chain being driven, for the trailing safe and finalized blocks. */
export interface Trail {
  /** `hash` is now the block at `number`; later numbers (an abandoned branch) are forgotten. */
  record(number: bigint, hash: Hex): void
  /** The forkchoice state with `head` at `number`: safe one epoch behind, finalized two (never below genesis). */
  state(number: bigint, head: Hex): Promise<{ headBlockHash: Hex; safeBlockHash: Hex; finalizedBlockHash: Hex }>
}

/** `lookup` finds blocks from before the run (the driven node's canonical ones). */
export function createTrail(lookup: (number: bigint) => Promise<Hex | undefined>): Trail {
  const hashes = new Map<bigint, Hex>()
  const at = async (n: bigint, head: Hex, headNumber: bigint): Promise<Hex> => {
    if (n === headNumber) return head
    const known = hashes.get(n)
    if (known) return known
    const found = await lookup(n)
    if (!found) return `0x${'00'.repeat(32)}` as Hex
    hashes.set(n, found)
    return found
  }
  return {
    record(number, hash) {
      for (const n of hashes.keys()) if (n > number || n < number - 2n * SLOTS_PER_EPOCH - 1n) hashes.delete(n)
      hashes.set(number, hash)
    },
    async state(number, head) {
      const back = (k: bigint) => (number > k ? number - k : 0n)
      return {
        headBlockHash: head,
        safeBlockHash: await at(back(SLOTS_PER_EPOCH), head, number),
        finalizedBlockHash: await at(back(2n * SLOTS_PER_EPOCH), head, number),
      }
    },
  }
}
