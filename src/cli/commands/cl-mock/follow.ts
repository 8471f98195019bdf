/**
 * `cl-mock --follow URL`: the target engine mirrors another node's head, as a consensus client
 * that follows gossip feeds its execution client the blocks others proposed.
 *
 * The followed node's public JSON-RPC is polled for its latest block; each block past the
 * engine's head is fetched whole with `debug_getRawBlock` (Mosaic, geth, reth and Nethermind
 * serve it; the transactions come in their consensus encoding, which an ExecutionPayload needs
 * and `eth_getBlockByNumber` does not give), turned into an ExecutionPayload and fed through
 * newPayload and forkchoiceUpdated (safe and finalized trailing, chain-view.ts). Versions come
 * from each block's own structure (forks.ts `versionsOfHeader`), so no schedule is needed.
 *
 * The followed node is not trusted: answers are size-capped (the client), the block must decode,
 * have the number asked for, be a proof-of-stake block and stand for exactly its header once
 * made a payload (the payload's header hashes to the block's hash), and link to the block fed
 * before it. A block that does not link means the followed node reorganised: cl-mock walks back
 * (at most MAX_REORG blocks) to the newest of its blocks the engine holds and feeds from there.
 *
 * Limit: from Prague, a block's execution requests are not part of the block and no standard
 * JSON-RPC method serves them; a block whose requestsHash is not that of no requests stops the
 * run with a message saying so.
 */
import { formatExecutionPayload, parseExecutionPayload, payloadHeader, type PayloadShape } from '../../../engine/index.ts'
import type { Hex } from '../../../primitives/index.ts'
import { bigintToHex, bytesToHex, equalBytes } from '../../../primitives/index.ts'
import { decodeBlock, EMPTY_OMMERS_HASH, EMPTY_REQUESTS_HASH, headerHash, type Block } from '../../../types/index.ts'
import { blockSummary, call, type Peer } from './chain-view.ts'
import { answerReader, ClMockError } from './errors.ts'
import { versionsOfHeader } from './forks.ts'
import { engineTrail, importPayload, newPayloadParams, type RunControl } from './slots.ts'

export interface FollowOptions {
  /** Between polls of a followed node that has nothing new. */
  pollMs: number
  /** Stop after feeding this many blocks (default: until stopped). */
  blocks?: number
}

/** How far back cl-mock looks for a block the engine holds after the followed node reorganised. */
export const MAX_REORG = 128n

/** A followed block as the engine takes it. */
export interface FollowedPayload {
  number: bigint
  hash: Hex
  parentHash: Hex
  txs: number
  gas: bigint
  newPayload: 1 | 2 | 3 | 4
  forkchoice: 1 | 2 | 3
  params: unknown[]
}

const ZERO_NONCE = new Uint8Array(8)

/** A decoded block as newPayload parameters, or why it cannot be one (see the header). */
export function blockToPayload(block: Block, what: string): FollowedPayload {
  const h = block.header
  const r = answerReader(what)
  if (h.difficulty !== 0n || !equalBytes(h.nonce, ZERO_NONCE) || block.ommers.length > 0 || !equalBytes(h.ommersHash, EMPTY_OMMERS_HASH))
    r.fail('header', 'not a proof-of-stake block (difficulty, nonce or ommers set)')
  if (h.baseFeePerGas === undefined) r.fail('header', 'no baseFeePerGas: not a post-merge block')
  if ((h.blobGasUsed === undefined) !== (h.parentBeaconBlockRoot === undefined)) r.fail('header', 'blob gas fields and parentBeaconBlockRoot must come together (EIP-4844, EIP-4788)')
  if ((h.withdrawalsRoot === undefined) !== (block.withdrawals === undefined)) r.fail('block', 'withdrawals and withdrawalsRoot must come together (EIP-4895)')
  let requests: Hex[] | undefined
  if (h.requestsHash !== undefined) {
    if (!equalBytes(h.requestsHash, EMPTY_REQUESTS_HASH))
      throw new ClMockError(`${what}: the block carries execution requests (requestsHash ${bytesToHex(h.requestsHash)}); JSON-RPC does not serve them, so --follow cannot rebuild its payload`)
    requests = []
  }
  let hash: Uint8Array
  try {
    hash = headerHash(h)
  } catch (err) {
    throw new ClMockError(`${what}: ${err instanceof Error ? err.message : String(err)}`, err)
  }
  const shape: PayloadShape = h.blobGasUsed !== undefined ? 3 : h.withdrawalsRoot !== undefined ? 2 : 1
  const json = formatExecutionPayload(block, hash, shape)
  let again: Uint8Array
  try {
    const p = parseExecutionPayload(json, [shape])
    again = headerHash(payloadHeader(p, { parentBeaconBlockRoot: h.parentBeaconBlockRoot, executionRequests: requests && [] }))
  } catch (err) {
    throw new ClMockError(`${what}: not an ExecutionPayload: ${err instanceof Error ? err.message : String(err)}`, err)
  }
  if (!equalBytes(again, hash)) r.fail('block', `its payload hashes to ${bytesToHex(again)}, not to the block's ${bytesToHex(hash)}: a header field outside the payload, or a body that does not match the header`)
  const v = versionsOfHeader(h)
  const beacon = h.parentBeaconBlockRoot && bytesToHex(h.parentBeaconBlockRoot)
  return {
    number: h.number,
    hash: bytesToHex(hash),
    parentHash: bytesToHex(h.parentHash),
    txs: block.transactions.length,
    gas: h.gasUsed,
    newPayload: v.newPayload,
    forkchoice: v.forkchoice,
    params: newPayloadParams(v.newPayload, json, block.transactions.flatMap((tx) => (tx.type === 3 ? tx.blobVersionedHashes : [])), beacon, requests),
  }
}

/** Block `n` of the followed node, fetched whole and checked; undefined when it has none there. */
export async function followedBlock(source: Peer, n: bigint): Promise<FollowedPayload | undefined> {
  const what = `block ${n} of the followed node ${source.endpoint.url}`
  const raw = await call<unknown>(source, 'debug_getRawBlock', [bigintToHex(n)])
  if (raw === null || raw === '0x') return undefined
  const bytes = answerReader(what).data(raw, 'debug_getRawBlock')
  let block: Block
  try {
    block = decodeBlock(bytes)
  } catch (err) {
    throw new ClMockError(`${what}: does not decode: ${err instanceof Error ? err.message : String(err)}`, err)
  }
  if (block.header.number !== n) throw new ClMockError(`${what}: the node sent block ${block.header.number}`)
  return blockToPayload(block, what)
}

const known = async (engine: Peer, hash: Hex) => (await call<unknown>(engine, 'eth_getBlockByHash', [hash, false])) !== null

/** Feeds the followed node's new blocks into the engine until stopped or `opts.blocks` are fed. */
export async function runFollow(engine: Peer, source: Peer, opts: FollowOptions, ctl: RunControl): Promise<number> {
  const [ours, theirs] = await Promise.all([blockSummary(engine, 0n), blockSummary(source, 0n)])
  if (!ours || !theirs) throw new ClMockError('the engine or the followed node has no genesis block')
  if (ours.hash !== theirs.hash) throw new ClMockError(`the followed node's genesis ${theirs.hash} is not the engine's ${ours.hash}: they are on different chains`)
  const head = (await blockSummary(engine, 'latest'))!
  let last = { number: head.number, hash: head.hash }
  const trail = engineTrail(engine)
  trail.record(last.number, last.hash)
  let fed = 0
  ctl.log.info('Following', { source: source.endpoint.url, endpoint: engine.endpoint.url, head: head.number, hash: head.hash })

  /** After a reorg of the followed node: its newest block the engine holds, at most MAX_REORG back. */
  const rewind = async (from: bigint) => {
    for (let n = from; n >= 0n && n >= from - MAX_REORG; n--) {
      const s = await blockSummary(source, n)
      if (s && (await known(engine, s.hash))) return { number: n, hash: s.hash }
    }
    throw new ClMockError(`the followed node's chain and the engine's part more than ${MAX_REORG} blocks below ${from}`)
  }

  while (!ctl.stopped() && (opts.blocks === undefined || fed < opts.blocks)) {
    const top = await blockSummary(source, 'latest')
    if (!top) throw new ClMockError('the followed node has no latest block')
    if (top.number <= last.number) {
      if (top.number < last.number || top.hash !== last.hash) last = await rewind(top.number)
      if (top.hash === last.hash) {
        await ctl.sleep(opts.pollMs)
        continue
      }
    }
    const started = ctl.now()
    const p = await followedBlock(source, last.number + 1n)
    // gone between the two calls: poll again
    if (!p) continue
    if (p.parentHash !== last.hash) {
      last = await rewind(last.number)
      continue
    }
    await importPayload(engine, trail, p)
    last = { number: p.number, hash: p.hash }
    fed++
    ctl.log.info('Followed', { number: p.number, hash: p.hash, txs: p.txs, gas: p.gas, ms: Math.round(ctl.now() - started) })
  }
  return fed
}
