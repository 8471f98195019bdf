/**
 * engine_forkchoiceUpdatedV1–V3 (paris.md, shanghai.md, cancun.md): the consensus client's
 * head, safe and finalized blocks, and optionally a payload to build on the head. In the spec's
 * order (paris.md forkchoiceUpdatedV1 1–8):
 *
 * 1. the state's structure (-32602)
 * 2. a remembered invalid head: INVALID with its latestValidHash; an unknown one: SYNCING, and
 *    it becomes the sync target (`onSyncTarget`: the sync component fetches it from peers)
 * 3. safe and finalized (when not zero) must be stored and on the head's chain, else -38002;
 *    checked before anything moves, so the update is all or nothing (5: "atomically")
 * 4. a head that is a canonical ancestor of the current head: VALID without moving it and
 *    without a build (2; geth too). Otherwise the head moves (a reorg undoes and redoes change
 *    sets); a head whose branch forks behind the kept state answers SYNCING.
 * 5. attributes, once the state is applied and never rolling it back (7): structure and fork
 *    (-38003, -38005, method-params.ts), timestamp after the head's (-38003), then the build.
 *
 * Mosaic chains are proof-of-stake from genesis: no terminal PoW block checks (3).
 */
import { ChainError, type ChainReader, type ForkChoice } from '../blockchain/index.ts'
import { bytesToHex, equalBytes, type Hash } from '../primitives/index.ts'
import type { Header } from '../types/index.ts'
import type { PayloadBuilder } from './builder.ts'
import { EngineServerError, InvalidForkchoiceStateError, InvalidPayloadAttributesError } from './errors.ts'
import type { InvalidBlocks } from './invalid-blocks.ts'
import { forkchoiceUpdatedParams, payloadAttributesParams } from './method-params.ts'
import { formatForkchoiceUpdated } from './responses.ts'
import type { EngineHandler, ForkchoiceState, PayloadStatus, SyncTarget } from './types.ts'

export interface ForkchoiceDeps {
  chain: Pick<ChainReader, 'spec' | 'headerByHash' | 'canonicalHash'> & ForkChoice
  invalid: InvalidBlocks
  builder: Pick<PayloadBuilder, 'start'>
  /** After the head moved (logging). */
  onHead?(head: Header, hash: Hash): void
  /** A head that is not stored answered SYNCING: the block to sync to (the sync component's target). */
  onSyncTarget?(target: SyncTarget): void
}

const isZero = (h: Hash) => h.every((b) => b === 0)

/** Whether `anc` is `head` or one of its ancestors: back along the branch to the canonical chain, then by number. */
export function isAncestor(chain: Pick<ChainReader, 'headerByHash' | 'canonicalHash'>, ancHash: Hash, anc: Header, headHash: Hash, head: Header): boolean {
  if (anc.number > head.number) return false
  let hash = headHash
  let h: Header | undefined = head
  while (h.number > anc.number) {
    const canonical = chain.canonicalHash(h.number)
    if (canonical && equalBytes(canonical, hash)) {
      const at = chain.canonicalHash(anc.number)
      return !!at && equalBytes(at, ancHash)
    }
    hash = h.parentHash
    h = chain.headerByHash(hash)
    if (!h) return false
  }
  return equalBytes(hash, ancHash)
}

interface Applied {
  status: PayloadStatus
  /** The head, when it is VALID. */
  head?: Header
  /** A canonical ancestor: the head stayed, and no build may start. */
  skipped?: boolean
}

/** Steps 2–4: the forkchoice state applied, or why not. */
export function applyForkchoice(deps: ForkchoiceDeps, state: ForkchoiceState): Applied {
  const { chain } = deps
  const headHash = state.headBlockHash
  const bad = deps.invalid.get(headHash)
  if (bad) return { status: { status: 'INVALID', ...bad } }
  const head = chain.headerByHash(headHash)
  if (!head) {
    deps.onSyncTarget?.({ hash: headHash, state })
    return { status: { status: 'SYNCING', latestValidHash: null, validationError: null } }
  }

  for (const [name, hash] of [['finalized', state.finalizedBlockHash], ['safe', state.safeBlockHash]] as const) {
    if (isZero(hash)) continue
    const h = chain.headerByHash(hash)
    if (!h) throw new InvalidForkchoiceStateError(`${name} block ${bytesToHex(hash)} is not known`)
    if (!isAncestor(chain, hash, h, headHash, head)) throw new InvalidForkchoiceStateError(`${name} block ${bytesToHex(hash)} is not an ancestor of the head ${bytesToHex(headHash)}`)
  }

  const current = chain.headBlockHash()
  const moves = !equalBytes(current, headHash)
  const canonical = moves ? chain.canonicalHash(head.number) : undefined
  const skipped = !!canonical && equalBytes(canonical, headHash)
  const marker = (h: Hash) => (isZero(h) ? undefined : h)
  try {
    // one batch: the head move (unless skipped) with the safe and finalized markers
    chain.setForkchoice({ head: moves && !skipped ? headHash : undefined, safe: marker(state.safeBlockHash), finalized: marker(state.finalizedBlockHash) })
  } catch (err) {
    if (err instanceof ChainError && err.kind === 'STATE_UNAVAILABLE') return { status: { status: 'SYNCING', latestValidHash: null, validationError: null } }
    throw err
  }
  if (moves && !skipped) deps.onHead?.(head, headHash)
  return { status: { status: 'VALID', latestValidHash: headHash, validationError: null }, head, skipped }
}

export function forkchoiceUpdated(version: 1 | 2 | 3, deps: ForkchoiceDeps): EngineHandler {
  return (raw) => {
    const { state, attributes } = forkchoiceUpdatedParams(raw)
    const applied = applyForkchoice(deps, state)
    if (!applied.head || attributes === null || applied.skipped) return formatForkchoiceUpdated(applied.status, null)
    const attrs = payloadAttributesParams(version, attributes, deps.chain.spec)
    if (attrs.timestamp <= applied.head.timestamp)
      throw new InvalidPayloadAttributesError(`timestamp ${attrs.timestamp} is not after the head's ${applied.head.timestamp}`)
    let id: Uint8Array
    try {
      id = deps.builder.start(state.headBlockHash, attrs, version)
    } catch (err) {
      // paris.md forkchoiceUpdated 9: outside the normal flow (a chain whose blocks cannot be built)
      throw new EngineServerError(`cannot build on ${bytesToHex(state.headBlockHash)}: ${err instanceof Error ? err.message : String(err)}`, err)
    }
    return formatForkchoiceUpdated(applied.status, id)
  }
}
