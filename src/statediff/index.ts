/**
 * Layer 7: the state-diff stream and the statesync testbed.
 *
 * What flows: the chain's head events (src/blockchain: each added or removed block with its
 * change set, src/state/changeset.ts) → `BlockDiff`s (./diff.ts: per touched account its
 * before and after, each changed slot before and after, wiped storage, new code by hash) →
 * notifications with reth ExEx's semantics (./types.ts: ChainCommitted, ChainReorged,
 * ChainReverted; a revert carries the inverse diffs, newest first, then the new branch's
 * commits) → consumers: `StateStore`s, file sinks, plugins.
 *
 * - ./stream.ts: subscriptions with a cursor each. A consumer names its head; the stream
 *   delivers from there (`onCommit`, `onRevert`, `onNotification`), from memory while it keeps
 *   up and from the chain's stored change sets when it is behind (the chain keeps every block's
 *   change set; `stateHistory` only bounds reorg depth and state reads, so a consumer any
 *   distance behind is served, and one whose change set is missing is told:
 *   HISTORY_UNAVAILABLE). `acknowledge(height)` is ExEx's FinishedHeight; `retainedFrom()` is
 *   the floor a pruner must respect.
 * - ./store.ts: the `StateStore` interface (apply, revert, reads at the head, flush, stats,
 *   close, optional stateRoot) and its head, written atomically with each block so that a
 *   restarted consumer resumes after it: every block applied exactly once per store, across a
 *   crash of either side. ./stores/: memory, RocksDB (Mosaic's own layer), SQLite, LMDB, PostgreSQL.
 * - ./codec-json.ts, ./codec-rlp.ts: the wire forms (JSON lines; RLP), ./file-sink.ts: a sink
 *   and reader of diff files.
 * - ./workload/: the seeded workload generator (transfers, token churn, storage churn,
 *   creations, self-destructs, reorgs). ./testbed/: `mosaic statesync`'s engine: feed every
 *   store the same stream in step, verify each against Mosaic's state, measure, report.
 *
 * - ./nats-sink.ts, ./nats-source.ts (wire form ./nats-wire.ts): the scale-out log. The
 *   stream's block events go into one JetStream stream per chain, a message per commit or
 *   revert, acknowledged upstream only after JetStream's publish ack; replicas follow it through
 *   durable consumers, each message acknowledged after their store applied and flushed it.
 *
 * Consumers: `mosaic statesync` (src/cli); in every profile with a chain the `stateDiffs`
 * service (src/profiles/components/state-diffs.ts) for plugins, the RPC subscription
 * `eth_subscribe("mosaic_stateDiffs")` and `mosaic_getStateDiff` (src/rpc/methods/mosaic.ts),
 * the statesync profile's stores and replicas, and the NATS sink — each another consumer of the
 * same subscriptions and codecs.
 */
export type { AccountDiff, AccountState, BlockDiff, BlockRef, CodeEntry, Notification, NotificationKind, SlotChange } from './types.ts'
export { notificationTip } from './types.ts'
export { blockDiffOf, invertDiff, diffEntries, destructedAccounts, entryDelta, type DiffBlock } from './diff.ts'
export { StateDiffError, type StateDiffErrorKind } from './errors.ts'
export { chainDiffSource, type DiffSource } from './source.ts'
export { createStateDiffStream, type DiffConsumer, type StateDiffStream, type StreamOptions, type SubscribeOptions, type Subscription } from './stream.ts'
export { encodeNotificationJson, decodeNotificationJson, diffJson, notificationJson } from './codec-json.ts'
export { encodeNotificationRlp, decodeNotificationRlp } from './codec-rlp.ts'
export { createDiffFileSink, readDiffFile, diffFileFormat, type DiffFileFormat, type DiffFileSink } from './file-sink.ts'
export type { StateStore, StoreFactory, StoreOptions, StoreStats } from './store.ts'
export { BUILTIN_STORES, openMemoryStateStore, openRocksStateStore, openSqliteStateStore, openLmdbStateStore, openPostgresStateStore, checkFollows, headAfter, diskUsage, writeRetrying, type RetryOptions } from './stores/index.ts'
export { openNatsSink, attachNatsSink, type NatsSink, type NatsSinkOptions } from './nats-sink.ts'
export { openNatsSource, type NatsSource, type NatsSourceOptions, type Feed, type FeedOptions } from './nats-source.ts'
export { natsStreamName, natsSubject, parseNatsUrl, decodeBlockEvent, encodeBlockEvent, type NatsAddress } from './nats-wire.ts'
