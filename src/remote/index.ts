/**
 * Layer 7: state read from an upstream JSON-RPC node at a pinned block, cached locally. Fork
 * mode (`--fork-url`, the execution profile) runs on it, and so does the txpool profile's
 * stateful pool (`--state.url`), which follows the upstream's head (./head-follower.ts) with a
 * fresh `RemoteState` per head.
 *
 * Flow: `openFork` resolves the chain id, the fork block and its header (./fork.ts) →
 * `RemoteState` reads accounts, slots and block hashes of that block lazily (./remote-state.ts),
 * each checked with `eth_getProof` against the block's state root when the upstream has it, and
 * keeps every answer in the fork cache (./cache.ts, `<datadir>/fork-cache/<chain>/<block>.jsonl`)
 * so that a restart works `--offline` → `openForkStore` (./fork-store.ts) shows it to the chain
 * as the flat tables under a local store, so the chain, the journal (`JournaledState`), the EVM
 * and the dev controls run unchanged and local writes win.
 *
 * Reads are synchronous. Everything above reads state synchronously (the EVM's `Host`, the flat
 * state, the chain), so a miss blocks: ./sync-upstream.ts posts the calls to a worker that owns
 * the asynchronous client (./upstream.ts: JSON-RPC batches, several in flight, retries with
 * backoff on errors and rate limits — HTTP 429, -32005 — and a RemoteError naming the upstream
 * and the key when it stays unreachable), and waits on a shared buffer (Atomics.wait). This was
 * chosen over "execute, collect the missing keys, fetch, re-execute": that needs a retry loop at
 * every entry point (eth_call, estimateGas, tracing, the pool, the miner) and repeats execution
 * once per round of misses, while a blocked read costs one round trip per key, once: after it,
 * the key is a memory (or disk) read. Keys known ahead (`RemoteState.prefetch`) go in one batch.
 *
 * Besides state, ./forwarder.ts passes a txpool node's transactions on to its execution node
 * (`--txpool.forward`), waiting with backoff while that node is down.
 *
 * Consumers: the execution profile's `fork` component (src/profiles/components/fork.ts), the
 * txpool profile's `state-node`, `state-txpool` and `forward` components.
 */
export { RemoteError, type RemoteErrorKind } from './errors.ts'
export { UpstreamClient, type UpstreamOptions, type RpcCall, type RpcOutcome } from './upstream.ts'
export { openSyncUpstream, type SyncUpstream } from './sync-upstream.ts'
export { openForkCache, type ForkCache } from './cache.ts'
export { RemoteState, type RemoteAccount, type RemoteStateOptions } from './remote-state.ts'
export { openForkStore, type ForkStore, type ForkStoreOptions } from './fork-store.ts'
export { openFork, switchUpstream, DEFAULT_CONFIRMATIONS, type Fork, type ForkOptions } from './fork.ts'
export { headerFromJson } from './header-json.ts'
export { forwardCall } from './forward.ts'
export { startForwarder, type Forwarder, type ForwarderOptions } from './forwarder.ts'
export { followHead, accountReaderOf, type HeadFollower, type HeadFollowerOptions, type RemoteHead } from './head-follower.ts'
