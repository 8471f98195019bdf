/**
 * The whole Engine API over a chain, in process: `createEngine` builds every method's handler
 * from small capability inputs — the chain (ChainReader, ForkChoice, BlockImporter), optionally
 * the pool (its best transactions, for building) and a blob source (getBlobs, blobs bundles) —
 * and queues the ordered ones (order.ts). The node serves `methods` over HTTP (server.ts);
 * `mosaic enginetest` and tests drive `call` directly, with the same answers and errors.
 */
import type { BlockImporter, ChainReader, ForkChoice } from '../blockchain/index.ts'
import type { Hash } from '../primitives/index.ts'
import type { Block, BlockBody, Header } from '../types/index.ts'
import { PayloadBuilder, type BuildPool, type PayloadBuilderOptions, type SidecarReader } from './builder.ts'
import { EngineMethodNotFoundError } from './errors.ts'
import { forkchoiceUpdated } from './forkchoice.ts'
import { getPayload } from './get-payload.ts'
import { descendantOf, InvalidBlocks, latestValidOf } from './invalid-blocks.ts'
import { getBlobsV1, getBlobsV2, type BlobReader } from './methods/blobs.ts'
import { withCapabilities } from './methods/capabilities.ts'
import { getClientVersionV1 } from './methods/client-version.ts'
import { getPayloadBodiesByHashV1, getPayloadBodiesByRangeV1, type BodyReader } from './methods/payload-bodies.ts'
import { newPayload } from './new-payload.ts'
import { inOrder } from './order.ts'
import type { EngineMethods, PayloadStatus, SyncTarget } from './types.ts'

/** The chain as the Engine API uses it (Blockchain fits). */
export type EngineChain = ChainReader & ForkChoice & BlockImporter

/** What the engine reports as it goes (the node logs it). */
export interface EngineEvents {
  onPayload?(block: Block, hash: Hash, status: PayloadStatus): void
  onHead?(head: Header, hash: Hash): void
  onBuildError?(err: unknown): void
  /** A head or payload the chain cannot reach from its stored blocks answered SYNCING (the sync component's target). */
  onSyncTarget?(target: SyncTarget): void
}

export interface EngineOptions extends EngineEvents {
  chain: EngineChain
  /** The pool's best transactions; without it payloads are built empty. */
  pool?: BuildPool
  /** Blobs by versioned hash (getBlobs); without it getBlobsV1 answers nulls and V2 null. */
  blobs?: BlobReader
  /** Sidecars kept apart from the pool's transactions. */
  sidecars?: SidecarReader
  /** The node's version (engine_getClientVersionV1; default `0.0.0`: the caller knows it, this layer does not). */
  version?: string
  /** 4 bytes of the build's commit as `0x` hex (default: detected). */
  commit?: string
  build?: Pick<PayloadBuilderOptions, 'intervalMs' | 'timeoutMs' | 'maxPayloads' | 'sliceMs' | 'resolveMs' | 'schedule' | 'top'>
  /** Invalid blocks remembered (default 512). */
  maxInvalid?: number
}

/** A block found invalid outside the Engine API (sync's import of a target's chain), with the descendants to refuse with it. */
export interface KnownInvalidBlock {
  hash: Hash
  /** Its parent: the last valid ancestor (stored). */
  parentHash: Hash
  validationError: string
  descendants: readonly Hash[]
}

export interface Engine {
  /** Every method, the ordered ones queued in arrival order already. */
  readonly methods: EngineMethods
  /** One call; an error answer throws the RpcError the HTTP server would send. */
  call(method: string, params?: unknown): Promise<unknown>
  /**
   * Remembers `bad` and its descendants as invalid: forkchoiceUpdated to any of them, and
   * newPayload of them or their children, answer INVALID with `bad`'s parent as latestValidHash
   * (zero for a PoW parent) and the reason. Consumer: the engine component, from sync.
   */
  markInvalid(bad: KnownInvalidBlock): void
  /** Stops the builds' timers. */
  stop(): void
}

/** The chain's bodies for getPayloadBodiesBy*. */
export function bodyReader(chain: Pick<ChainReader, 'blockByHash' | 'canonicalHash' | 'head'>): BodyReader {
  const body = (b: Block | undefined): BlockBody | undefined => b && { transactions: b.transactions, ommers: b.ommers, withdrawals: b.withdrawals }
  return {
    bodyByHash: (h) => body(chain.blockByHash(h)),
    canonicalBody: (n) => {
      const h = chain.canonicalHash(n)
      return h && body(chain.blockByHash(h))
    },
    headNumber: () => chain.head().number,
  }
}

const NO_BLOBS: BlobReader = { blobByVersionedHash: () => undefined }

export function createEngine(opts: EngineOptions): Engine {
  const { chain } = opts
  const invalid = new InvalidBlocks(opts.maxInvalid)
  const builder = new PayloadBuilder({ chain, pool: opts.pool, sidecars: opts.sidecars, ...opts.build, onError: opts.onBuildError })
  const np = { chain, invalid, builder, onStatus: opts.onPayload, onSyncTarget: opts.onSyncTarget }
  const fcu = { chain, invalid, builder, onHead: opts.onHead, onSyncTarget: opts.onSyncTarget }
  const gp = { spec: chain.spec, builder }
  const blobs = { spec: chain.spec, blobs: opts.blobs ?? NO_BLOBS, timestamp: () => chain.head().timestamp }
  const bodies = bodyReader(chain)
  const table: EngineMethods = {
    engine_newPayloadV1: newPayload(1, np),
    engine_newPayloadV2: newPayload(2, np),
    engine_newPayloadV3: newPayload(3, np),
    engine_newPayloadV4: newPayload(4, np),
    engine_forkchoiceUpdatedV1: forkchoiceUpdated(1, fcu),
    engine_forkchoiceUpdatedV2: forkchoiceUpdated(2, fcu),
    engine_forkchoiceUpdatedV3: forkchoiceUpdated(3, fcu),
    engine_getPayloadV1: getPayload(1, gp),
    engine_getPayloadV2: getPayload(2, gp),
    engine_getPayloadV3: getPayload(3, gp),
    engine_getPayloadV4: getPayload(4, gp),
    engine_getPayloadV5: getPayload(5, gp),
    engine_getPayloadBodiesByHashV1: getPayloadBodiesByHashV1(bodies),
    engine_getPayloadBodiesByRangeV1: getPayloadBodiesByRangeV1(bodies),
    engine_getBlobsV1: getBlobsV1(blobs),
    engine_getBlobsV2: getBlobsV2(blobs),
    engine_getClientVersionV1: getClientVersionV1({ version: opts.version ?? '0.0.0', commit: opts.commit }),
  }
  const methods = inOrder(withCapabilities(table))
  return {
    methods,
    async call(method, params) {
      const h = methods[method]
      if (!h) throw new EngineMethodNotFoundError(method)
      return await h(params)
    },
    markInvalid(bad) {
      const entry = { latestValidHash: latestValidOf(bad.parentHash, chain.headerByHash(bad.parentHash)), validationError: bad.validationError }
      invalid.add(bad.hash, entry)
      const child = descendantOf(entry)
      for (const d of bad.descendants) invalid.add(d, child)
    },
    stop: () => builder.stop(),
  }
}
