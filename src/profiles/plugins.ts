/**
 * Plugins: a module (TypeScript or JavaScript, loaded by Bun) whose default export (or
 * `plugin` export) is a `MosaicPlugin`. Its components are added to the profile; one that
 * provides a service the profile already has replaces the profile's (a different store, a
 * different pool ordering). Its RPC namespaces are added to the server.
 *
 *   export default definePlugin({ name: 'hello', rpc: { hello_world: () => 'hi' } })
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { defineComponent, type Component } from '../node/index.ts'
import { MosaicError } from '../primitives/index.ts'

declare module '../node/component.ts' {
  interface Services {
    /** RPC methods added by plugins, by full name; the rpc component serves them. */
    rpcMethods: Readonly<Record<string, PluginMethod>>
  }
}

/** An RPC method a plugin adds: `(params, services) => result` (may be async). */
export type PluginMethod = (params: unknown[], services: Record<string, unknown>) => unknown

export interface MosaicPlugin {
  name: string
  components?: Component[]
  /** Extra RPC methods by full name (`myns_method`). */
  rpc?: Record<string, PluginMethod>
}

export class PluginError extends MosaicError {
  override name = 'PluginError'
  constructor(message: string, details?: string, cause?: unknown) {
    super('PLUGIN', message, { details, cause })
  }
}

/** Types a plugin (no runtime effect). */
export function definePlugin(p: MosaicPlugin): MosaicPlugin {
  return p
}

function check(p: unknown, path: string): MosaicPlugin {
  const bad = (why: string): never => {
    throw new PluginError(`plugin ${path} is not a Mosaic plugin`, why)
  }
  if (!p || typeof p !== 'object') return bad('its default export must be an object made with definePlugin({...})')
  const q = p as Partial<MosaicPlugin>
  if (typeof q.name !== 'string' || !q.name) bad('it has no name')
  if (q.components !== undefined) {
    if (!Array.isArray(q.components)) bad('components must be an array')
    for (const c of q.components!) if (!c || typeof c.provides !== 'string' || !Array.isArray(c.requires) || typeof c.create !== 'function') bad('each component needs provides, requires and create (use defineComponent)')
  }
  if (q.rpc !== undefined) {
    if (typeof q.rpc !== 'object') bad('rpc must map method names to functions')
    for (const [name, fn] of Object.entries(q.rpc!)) {
      if (!/^[a-z][a-zA-Z0-9]*_[a-zA-Z0-9]+$/.test(name)) bad(`RPC method ${JSON.stringify(name)} must be named namespace_method`)
      if (typeof fn !== 'function') bad(`RPC method ${name} is not a function`)
    }
  }
  return q as MosaicPlugin
}

/** Loads the plugin modules named by `--plugin`. */
export async function loadPlugins(paths: readonly string[], cwd = process.cwd()): Promise<MosaicPlugin[]> {
  const out: MosaicPlugin[] = []
  for (const p of paths) {
    const abs = resolve(cwd, p)
    let mod: Record<string, unknown>
    try {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>
    } catch (e) {
      throw new PluginError(`cannot load plugin ${p}`, e instanceof Error ? e.message : String(e), e)
    }
    out.push(check(mod.default ?? mod.plugin, p))
  }
  return out
}

/** The plugins' RPC methods as the `rpcMethods` service. */
export function pluginRpcComponent(methods: Readonly<Record<string, PluginMethod>>) {
  return defineComponent({ name: 'plugin-rpc', provides: 'rpcMethods', requires: [], description: 'RPC methods added by plugins', create: () => ({ service: methods }) })
}

/**
 * The profile's components with the plugins': same service name replaces, new names are added;
 * the plugins' RPC methods come as the `rpcMethods` service.
 */
export function applyPlugins(components: readonly Component[], plugins: readonly MosaicPlugin[]): Component[] {
  // a profile may hold alternatives for one service (the txpool profile's two pools, the statesync
  // profile's rpc and replica-rpc, picked by `when`); a plugin's component replaces all of them, in the place of the first
  let out = [...components]
  for (const p of plugins)
    for (const c of p.components ?? []) {
      const at = out.findIndex((x) => x.provides === c.provides)
      out = out.filter((x) => x.provides !== c.provides)
      out.splice(at < 0 ? out.length : at, 0, c)
    }
  const methods: Record<string, PluginMethod> = Object.assign({}, ...plugins.map((p) => p.rpc ?? {}))
  if (Object.keys(methods).length && !out.some((c) => c.provides === 'rpcMethods')) out.push(pluginRpcComponent(methods))
  return out
}
