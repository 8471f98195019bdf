/**
 * World state (layer 3): flat reads through `AccountReader`, a journaled overlay per block
 * (`JournaledState`, the EVM's `Host`), the `StateDiff` of a transaction and of a block, and the
 * state root (native secure-trie builder).
 *
 * Flow: base (`MemoryState`, later storage) → `JournaledState` (one per block; the executor runs
 * each transaction with begin/finalize) → `blockDiff()` → `MemoryState.apply` / `rootAfter`.
 */
export type { AccountDiff, AccountInfo, AccountReader, StateDiff } from './types.ts'
export { addressKey, keyToAddress } from './key.ts'
export { MemoryState, type MemoryAccount } from './memory-state.ts'
export { JournaledState, type JournaledStateOptions } from './journaled-state.ts'
export { secureRoot, stateRoot, storageRoot, type RootAccount } from './root.ts'
export { FlatState, CodeReader, EMPTY_CODE_HASH, type CodeSource, encodeFlatAccount, decodeFlatAccount, encodeSlotValue, type FlatAccount, type FlatReader } from './flat-state.ts'
export { changeSetOf, encodeChangeSet, decodeChangeSet, type AccountChange, type ChangeSet, type ChangeSetCode } from './changeset.ts'
export { CachedFlatState } from './flat-cache.ts'
export { StateOverlay } from './overlay.ts'
export { commitChangeSet, readTrieAccount, decodeTrieAccount, type CommitResult, type TrieAccount } from './commit.ts'
export { proveAccount, type AccountProof } from './proof.ts'
export { writeChangeSet } from './flat-write.ts'
export type { StateProvider } from './provider.ts'
