/**
 * Layer 10: profiles, the compositions of components that ship as executables: `execution`,
 * `txpool`, `node` and `statesync` (a chain follower feeding stores, or with `--source
 * nats://…` a read replica of a NATS state-diff stream).
 */
import { executionProfile } from './execution.ts'
import { nodeProfile } from './node.ts'
import { statesyncProfile } from './statesync.ts'
import { txpoolProfile } from './txpool.ts'
import type { Profile } from './profile.ts'

export type { Profile, ProfileDefaults } from './profile.ts'
export { catalog, type CatalogEntry } from './catalog.ts'
export { executionProfile } from './execution.ts'
export { txpoolProfile } from './txpool.ts'
export { nodeProfile } from './node.ts'
export { statesyncProfile } from './statesync.ts'
export { definePlugin, loadPlugins, applyPlugins, PluginError, type MosaicPlugin, type PluginMethod } from './plugins.ts'

export const profiles: Readonly<Record<string, Profile>> = {
  execution: executionProfile,
  txpool: txpoolProfile,
  node: nodeProfile,
  statesync: statesyncProfile,
}
