/**
 * BlockchainTests (the ethereum/tests format: `genesisRLP`, `blocks[]` with `rlp` and
 * `expectException`) turned into EEST's `blockchain_test_engine` form on the fly, for
 * `mosaic enginetest --from-blocktests`: each block's RLP becomes the params of the
 * engine_newPayloadVn its fork takes, as a consensus client would send them —
 *
 * | fork           | newPayload | params                                                   | forkchoiceUpdated |
 * | -------------- | ---------- | -------------------------------------------------------- | ----------------- |
 * | Paris          | V1         | ExecutionPayloadV1                                       | V1                |
 * | Shanghai       | V2         | ExecutionPayloadV2                                       | V2                |
 * | Cancun         | V3         | ExecutionPayloadV3, versioned hashes, beacon block root  | V3                |
 * | Prague, Osaka  | V4         | … and the execution requests                             | V3                |
 *
 * The payload's blockHash is the RLP header's hash: a header field the payload cannot carry
 * (difficulty, nonce, ommers) that is wrong, or any other wrong field, shows up as a hash
 * mismatch, which the engine rejects as well. The versioned hashes are those of the block's
 * blob transactions in order; the requests, which a block's RLP does not hold, come from the
 * block entry (`executionRequests`) or from `requestsOf` (enginetest-runner.ts executes the
 * block on a side chain), and are empty when the header commits to none.
 *
 * A block expected to fail for a transaction whose header's transactions root leaves that
 * transaction out (legacy fillers) is sent twice: as it is, and with the root of its body
 * (withBodyRoot), so that the engine refuses the transaction itself too.
 *
 * A block whose RLP does not decode has no payload: it stays in the list as `undecodable`,
 * and it must be one the fixture expects to fail.
 */
import type { ChainSpec } from '../../chainspec/index.ts'
import { transactionsRoot } from '../../executor/index.ts'
import { engineFork, formatExecutionPayload, payloadShapeOf, type EngineFork } from '../../engine/index.ts'
import { bytesToHex, equalBytes, hexToBytes, type Hex } from '../../primitives/index.ts'
import { decodeBlock, EMPTY_REQUESTS_HASH, headerHash, type Block } from '../../types/index.ts'

type J = Record<string, any>

/** One entry of `engineNewPayloads` (EEST), plus `undecodable` for a block RLP with no payload. */
export interface EnginePayloadCase {
  /** engine_newPayloadVn's JSON-RPC params. */
  params: unknown[]
  newPayloadVersion: string | number
  forkchoiceUpdatedVersion: string | number
  /** Set when the payload must be INVALID (the fixture's exception names). */
  validationError?: string
  /** Set when the call must fail with this JSON-RPC error code. */
  errorCode?: string | number
  /** From a BlockchainTest: why the block's RLP has no payload. */
  undecodable?: string
}

/** A blockchain_test_engine fixture, as far as the runner reads it. */
export interface EngineFixture {
  network: string
  genesisBlockHeader?: J
  genesisRLP?: Hex
  pre: J
  postState?: J
  postStateHash?: Hex
  lastblockhash: Hex
  engineNewPayloads: EnginePayloadCase[]
}

/** The engine method versions of a fork's blocks (the table above). */
export function engineVersions(fork: EngineFork): { newPayload: 1 | 2 | 3 | 4; forkchoiceUpdated: 1 | 2 | 3 } {
  switch (fork) {
    case 'paris':
      return { newPayload: 1, forkchoiceUpdated: 1 }
    case 'shanghai':
      return { newPayload: 2, forkchoiceUpdated: 2 }
    case 'cancun':
      return { newPayload: 3, forkchoiceUpdated: 3 }
    default:
      return { newPayload: 4, forkchoiceUpdated: 3 }
  }
}

/** Execution requests of a block the RLP cannot give (Prague on); undefined when not known. */
export type RequestsOf = (block: Block) => readonly Uint8Array[] | undefined

/**
 * A decoded block as the newPayload call of its fork. `requests` are its execution requests
 * (V4); without them the call carries none, which only a header committing to no requests
 * accepts.
 */
export function blockToPayloadCase(block: Block, spec: ChainSpec, requests?: readonly Uint8Array[]): EnginePayloadCase {
  const h = block.header
  const fork = engineFork(spec, h.timestamp)
  const v = engineVersions(fork)
  const params: unknown[] = [formatExecutionPayload(block, headerHash(h), payloadShapeOf(fork))]
  if (v.newPayload >= 3) {
    const hashes: Hex[] = []
    for (const tx of block.transactions) if (tx.type === 3) hashes.push(...tx.blobVersionedHashes.map(bytesToHex))
    params.push(hashes, h.parentBeaconBlockRoot ? bytesToHex(h.parentBeaconBlockRoot) : null)
  }
  if (v.newPayload >= 4) params.push((requests ?? []).map(bytesToHex))
  return { params, newPayloadVersion: v.newPayload, forkchoiceUpdatedVersion: v.forkchoiceUpdated }
}

/**
 * The engine form of a BlockchainTest over `spec` (the chain the runner built for its
 * network). `requestsOf` supplies the execution requests of Prague blocks whose entry lacks
 * them; it is called in block order for each of them.
 */
export function fromBlockTest(t: J, spec: ChainSpec, requestsOf?: RequestsOf): EngineFixture {
  const engineNewPayloads: EnginePayloadCase[] = []
  for (const b of t.blocks as J[]) {
    const expect: string | undefined = b.expectException
    let block: Block
    try {
      block = decodeBlock(hexToBytes(b.rlp))
    } catch (e) {
      engineNewPayloads.push({ params: [], newPayloadVersion: 0, forkchoiceUpdatedVersion: 0, undecodable: e instanceof Error ? e.message : String(e), ...(expect ? { validationError: expect } : {}) })
      continue
    }
    const requests = requestsFor(b, block, requestsOf)
    const c = blockToPayloadCase(block, spec, requests)
    if (expect) c.validationError = expect
    engineNewPayloads.push(c)
    const behind = expect?.includes('TransactionException.') ? withBodyRoot(block) : undefined
    if (behind) engineNewPayloads.push({ ...blockToPayloadCase(behind, spec, requests), validationError: expect })
  }
  return {
    network: t.network,
    genesisRLP: t.genesisRLP,
    genesisBlockHeader: t.genesisBlockHeader,
    pre: t.pre,
    postState: t.postState,
    postStateHash: t.postStateHash,
    lastblockhash: t.lastblockhash,
    engineNewPayloads,
  }
}

/**
 * Legacy fillers left a block's invalid transaction in its body but not in its header's
 * transactions root, so its payload fails on the block hash alone. The same block with the
 * root (and so the hash) of its body must then fail too, on the transaction itself (blocktest
 * checks the same: blocktest-runner.ts reasonBehindRoot). Undefined when the root is right.
 */
export function withBodyRoot(block: Block): Block | undefined {
  const root = transactionsRoot(block)
  if (equalBytes(root, block.header.transactionsRoot)) return undefined
  return { ...block, header: { ...block.header, transactionsRoot: root } }
}

function requestsFor(entry: J, block: Block, requestsOf?: RequestsOf): readonly Uint8Array[] | undefined {
  const hash = block.header.requestsHash
  if (!hash) return undefined
  if (Array.isArray(entry.executionRequests)) return (entry.executionRequests as Hex[]).map((r) => hexToBytes(r))
  return requestsOf?.(block) ?? (equalBytes(hash, EMPTY_REQUESTS_HASH) ? [] : undefined)
}
