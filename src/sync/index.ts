/**
 * sync (layer 7): fetching and importing blocks from eth peers, beacon-style — the consensus
 * client names the target through the Engine API, peers supply the blocks, the chain executes
 * them.
 *
 * What flows through it:
 *
 *   Engine API (forkchoiceUpdated / newPayload answering SYNCING)
 *        → `Syncer.setTarget` (a newer target replaces the current one while sync runs)
 *        → headers back from the target, 1,024 per request (`GetBlockHeaders`, reverse): the
 *          batch below the stored ones by hash, up to 8 more below it by number from other peers
 *          in parallel (scheduler.ts), each checked against its child's parentHash and the header
 *          rules (header-chain.ts); a batch by number that does not link to the one above is
 *          another branch's and is asked again by hash; stored in the skeleton table, contiguous
 *          from the target down, until they meet a stored block (skeleton.ts)
 *        → bodies forward from the meeting point, 128 per request (16 first, doubling), asked
 *          for during import so that it never waits a round trip, spread over the peers by
 *          measured throughput (scheduler.ts), each matched to its header's transactions root,
 *          ommers hash and withdrawals root (bodies.ts), at most 1,024 blocks past the import
 *          point (memory stays flat however long the chain is)
 *        → `BlockImporter.importBlock` in order, the head moving with each block; at the target
 *          the forkchoice's safe and finalized blocks are applied, so the consensus client's
 *          next forkchoiceUpdated answers VALID.
 *
 * A block of the target's chain that fails import abandons the target (it is not synced again
 * when named again) and goes to `Syncer.onInvalid`'s listeners with its downloaded descendants:
 * the engine component feeds them to the Engine API's invalid blocks, so the consensus client's
 * next forkchoiceUpdated (or a newPayload on that chain) answers INVALID with the bad block's
 * parent as latestValidHash (paris.md), not SYNCING.
 *
 * Peers that send headers that do not chain or break the rules, bodies that match no header,
 * or nothing in time are dropped with a disconnect reason and a log line, and their work goes to
 * the others (oversize responses and responses to nothing end the session in the eth handler
 * already, src/p2p/eth/handler.ts). With no peer left, sync waits and says so every few seconds.
 *
 * Restart: the target (with the forkchoice's safe and finalized hashes) and the downloaded
 * headers are in the store (one atomic batch per response); blocks are committed one batch each
 * by the chain. A node killed at any point starts again from the committed head, fetches only
 * the bodies (and headers) it does not have, and applies the stored safe and finalized at the end.
 *
 * Progress: `Syncer.progress()` is eth_syncing's object (geth's startingBlock, currentBlock,
 * highestBlock) or false; a log line every 8 s gives blocks/s, Mgas/s, peers and time left.
 *
 * Who calls it: the `sync` component (src/profiles/components/sync.ts) wires it to the eth
 * service, the chain and the store, the Engine API's `onSyncTarget` and RPC's eth_syncing.
 */
export { SyncError, SyncPeerError, type SyncErrorKind, type SyncPeerErrorKind } from './errors.ts'
export { checkChild, checkReverseBatch, decodeHeaders } from './header-chain.ts'
export { emptyBodyOf, matchBodies } from './bodies.ts'
export { createScheduler, RATE_WEIGHT, type PeerRate, type Scheduler } from './scheduler.ts'
export { openSkeleton, type Skeleton, type SkeletonState } from './skeleton.ts'
export { createProgressMeter, formatDuration, type ProgressMeter, type SyncProgress } from './progress.ts'
export { createSyncer, MAX_REPORTED_DESCENDANTS, type InvalidChain, type SyncOptions, type Syncer } from './syncer.ts'
export { SYNC_LIMITS, type SyncChain, type SyncLimits, type SyncLog, type SyncTargetInput } from './types.ts'
