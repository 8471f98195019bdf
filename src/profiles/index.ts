/**
 * Layer 10: profiles, the compositions of components that ship as executables. `execution` and
 * `txpool` run; the others are declared with the components they still lack.
 */
import { executionProfile } from './execution.ts'
import { nodeProfile, statesyncProfile } from './planned.ts'
import { txpoolProfile } from './txpool.ts'
import type { Profile } from './profile.ts'

export type { Profile, ProfileDefaults } from './profile.ts'
export { catalog, type CatalogEntry } from './catalog.ts'
export { executionProfile } from './execution.ts'
export { txpoolProfile } from './txpool.ts'
export { definePlugin, loadPlugins, applyPlugins, PluginError, type MosaicPlugin, type PluginMethod } from './plugins.ts'

export const profiles: Readonly<Record<string, Profile>> = {
  execution: executionProfile,
  txpool: txpoolProfile,
  node: nodeProfile,
  statesync: statesyncProfile,
}
