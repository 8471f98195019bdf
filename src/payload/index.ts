/**
 * Layer 6: block production. `buildBlock` makes a child of a stored block from candidate
 * transactions (executed once, invalid ones skipped) on `nextHeaderTemplate`, the child header
 * every producer starts from; `DevMiner` mines the dev chain on demand,
 * per transaction (automine) or on an interval. Consumers: the execution profile, the Engine API.
 */
export { BlockBuilder, buildBlock, type BuildChain, type BuildOptions, type BuildPosition, type BuiltBlock, type Candidate } from './build.ts'
export { nextHeaderTemplate, type HeaderTemplate, type PayloadAttributes } from './next-header.ts'
export type { DevBlockProducer, DevControls } from './dev-controls.ts'
export { DevMiner, type DevMinerOptions, type MinerPool } from './dev-miner.ts'
export { DevEdits } from './dev-edits.ts'
export { openDevEdits } from './dev-edits-store.ts'
export { dumpLatestState, type DumpedAccount } from './dev-state-dump.ts'
export { parseAnvilState, toAnvilState, StateFileError } from './anvil-state.ts'
export { withDevEdits, type LatestState } from './latest-state.ts'
