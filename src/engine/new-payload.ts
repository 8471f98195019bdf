/**
 * engine_newPayloadV1–V4 (paris.md, shanghai.md, cancun.md, prague.md): a payload in, its
 * status out; the block is stored but the head does not move (forkchoiceUpdated moves it).
 *
 * 1. parameters, fork and shape (method-params.ts: -32602, -38005)
 * 2. the checks before execution (payload-block.ts): INVALID / INVALID_BLOCK_HASH, lvh null
 * 3. a remembered invalid block, or a child of one: INVALID with the remembered latestValidHash
 *    (paris.md "Payload validation" 4), without executing it
 * 4. stored already: VALID
 * 5. parent not stored, or its state no longer kept: SYNCING (nothing to validate against); a
 *    block whose parent is not stored becomes the sync target (`onSyncTarget`, with the block)
 * 6. import with `setHead: false`: VALID with its hash, or INVALID with the parent as
 *    latestValidHash (zero for a PoW parent, "Payload validation" 3) and the reason, remembered.
 *
 * Side branches are executed on their parent's state when it is kept (the chain undoes and
 * redoes change sets), so they are fully validated: VALID, never ACCEPTED.
 */
import { ChainError, type BlockImporter, type ChainReader, type ImportOptions } from '../blockchain/index.ts'
import { BlockValidationError } from '../executor/index.ts'
import type { Hash } from '../primitives/index.ts'
import { startRecoverSendersInOrder, type Block, type SendersInOrder } from '../types/index.ts'
import type { PayloadBuilder } from './builder.ts'
import { descendantOf, latestValidOf, type InvalidBlocks } from './invalid-blocks.ts'
import { newPayloadParams } from './method-params.ts'
import { payloadToBlock } from './payload-block.ts'
import { formatPayloadStatus } from './responses.ts'
import type { EngineHandler, PayloadStatus, SyncTarget } from './types.ts'

export interface NewPayloadDeps {
  chain: Pick<ChainReader, 'spec' | 'headerByHash'> & Pick<BlockImporter, 'importBlock' | 'insertExecuted'>
  invalid: InvalidBlocks
  /** Blocks this node built: stored from their execution. */
  builder?: Pick<PayloadBuilder, 'executed'>
  /** After each verdict (logging). */
  onStatus?(block: Block, hash: Hash, status: PayloadStatus): void
  /** A block whose parent is not stored answered SYNCING: the block to sync to. */
  onSyncTarget?(target: SyncTarget): void
}

const SYNCING: PayloadStatus = { status: 'SYNCING', latestValidHash: null, validationError: null }
const valid = (hash: Hash): PayloadStatus => ({ status: 'VALID', latestValidHash: hash, validationError: null })

/**
 * The chain's verdict on a decoded block (steps 3–6). `prepared`: what the payload's decoding
 * did already for the import (its senders' recovery under way, the header's roots computed
 * from this body).
 */
export function validatePayload(deps: NewPayloadDeps, block: Block, hash: Hash, prepared: Pick<ImportOptions, 'senders' | 'rootsFromBody'> = {}): PayloadStatus {
  const { chain, invalid } = deps
  const known = invalid.get(hash)
  if (known) return { status: 'INVALID', ...known }
  const parentHash = block.header.parentHash
  const badParent = invalid.get(parentHash)
  if (badParent) {
    const entry = descendantOf(badParent)
    invalid.add(hash, entry)
    return { status: 'INVALID', ...entry }
  }
  const parent = chain.headerByHash(parentHash)
  if (!parent) {
    if (chain.headerByHash(hash)) return valid(hash)
    deps.onSyncTarget?.({ hash, block })
    return SYNCING
  }
  try {
    // a stored block (step 4) is importBlock's `known`, without a second lookup here
    const executed = deps.builder?.executed(hash)
    if (!executed) chain.importBlock(block, { ...prepared, setHead: false })
    else if (!chain.headerByHash(hash)) chain.insertExecuted(executed, { setHead: false })
  } catch (err) {
    if (err instanceof BlockValidationError) {
      const entry = { latestValidHash: latestValidOf(parentHash, parent), validationError: err.details ?? err.message }
      invalid.add(hash, entry)
      return { status: 'INVALID', ...entry }
    }
    if (err instanceof ChainError && err.kind === 'STATE_UNAVAILABLE') return SYNCING
    throw err
  }
  return valid(hash)
}

export function newPayload(version: 1 | 2 | 3 | 4, deps: NewPayloadDeps): EngineHandler {
  return (raw) => {
    const p = newPayloadParams(version, raw, deps.chain.spec)
    // the senders are recovered in the background from decoding on, while the hash is checked
    // and the block executed (the import takes them transaction by transaction)
    let senders: SendersInOrder | undefined
    try {
      const sidecar = { version, expectedBlobVersionedHashes: p.expectedBlobVersionedHashes, parentBeaconBlockRoot: p.parentBeaconBlockRoot, executionRequests: p.executionRequests }
      const made = payloadToBlock(p.payload, sidecar, (txs) => (senders = startRecoverSendersInOrder(txs)))
      if ('status' in made) return formatPayloadStatus(made.status)
      // payloadHeader computed the header's roots from this very body
      const status = validatePayload(deps, made.block, made.blockHash, { senders, rootsFromBody: true })
      deps.onStatus?.(made.block, made.blockHash, status)
      return formatPayloadStatus(status)
    } finally {
      senders?.all() // collects the background job, whatever the verdict
    }
  }
}
