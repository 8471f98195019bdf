/**
 * Layer 10: profiles, the compositions of components that ship as executables. `execution`,
 * `txpool` and `node` run; `statesync` runs as a read replica of a NATS state-diff stream
 * (./statesync-replica.ts; the chain-following testbed is `mosaic statesync`).
 */
import { executionProfile } from './execution.ts'
import { nodeProfile } from './node.ts'
import { statesyncReplicaProfile } from './statesync-replica.ts'
import { txpoolProfile } from './txpool.ts'
import type { Profile } from './profile.ts'

export type { Profile, ProfileDefaults } from './profile.ts'
export { catalog, type CatalogEntry } from './catalog.ts'
export { executionProfile } from './execution.ts'
export { txpoolProfile } from './txpool.ts'
export { nodeProfile } from './node.ts'
export { definePlugin, loadPlugins, applyPlugins, PluginError, type MosaicPlugin, type PluginMethod } from './plugins.ts'

export const profiles: Readonly<Record<string, Profile>> = {
  execution: executionProfile,
  txpool: txpoolProfile,
  node: nodeProfile,
  statesync: statesyncReplicaProfile,
}
