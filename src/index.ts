/**
 * Mosaic as a library: compose a node from a profile, replace or add components, add RPC
 * methods, and start it in-process.
 *
 * @example
 * import { defineNode, defineComponent, openMemoryStore } from 'mosaic'
 * const store = defineComponent({ provides: 'storage', requires: [], description: 'mine', create: () => ({ service: openMemoryStore() }) })
 * const node = await defineNode({ profile: 'execution', args: ['--http.port', '0'], components: [store] }).start()
 * console.log(node.rpcUrl)
 * await node.stop()
 */
import { definePlugin, profiles, type MosaicPlugin, type Profile } from './profiles/index.ts'
import { startProfile } from './profiles/run.ts'
import type { Component, RunningNode } from './node/index.ts'

export { profiles, definePlugin, type MosaicPlugin, type Profile }
export { defineComponent, type Component, type Services } from './node/index.ts'
export { openMemoryStore, openRocksStore, type KeyValueStore } from './storage/index.ts'
export { Blockchain } from './blockchain/index.ts'

export interface NodeDefinition {
  /** A profile name (default `execution`) or a profile object. */
  profile?: string | Profile
  /** Options as on the command line (`['--http.port', '0', '--dev.memory']`). */
  args?: string[]
  /** Environment for MOSAIC_* options (default: none). */
  env?: Record<string, string | undefined>
  /** Components that replace the profile's (same `provides`) or are added. */
  components?: Component[]
  /** RPC methods to add (`ns_method` → handler). */
  rpc?: MosaicPlugin['rpc']
  plugins?: MosaicPlugin[]
  /** Log lines (default: dropped). */
  log?: (line: string) => void
}

export interface MosaicNode {
  services: RunningNode['services']
  /** The HTTP JSON-RPC endpoint, when the profile serves one. */
  rpcUrl?: string
  stop(): Promise<void>
}

/** Defines a node; `start()` assembles and starts it. */
export function defineNode(def: NodeDefinition = {}) {
  return {
    async start(): Promise<MosaicNode> {
      const p = def.profile ?? 'execution'
      const registry = typeof p === 'string' ? profiles : { [p.name]: p }
      const name = typeof p === 'string' ? p : p.name
      const plugins = [...(def.plugins ?? []), definePlugin({ name: 'defineNode', components: def.components, rpc: def.rpc })]
      const { node } = await startProfile(registry, { argv: ['--profile', name, ...(def.args ?? [])], env: def.env ?? {}, err: def.log ?? (() => {}), handleSignals: false }, name, plugins)
      const rpc = node.services.rpc as { httpUrl?: string } | undefined
      return { services: node.services, rpcUrl: rpc?.httpUrl, stop: () => node.stop() }
    },
  }
}
