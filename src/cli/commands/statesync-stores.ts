/**
 * The stores of `mosaic statesync --store`: a built-in name (memory, rocksdb, sqlite, lmdb),
 * or a plugin file through the plugin API (src/profiles/plugins.ts) whose component provides
 * `stateStore`. The component's `create` gets `{ dir }` as its configuration, a directory of
 * its own, and returns the store as its service:
 *
 *   export default definePlugin({
 *     name: 'my-store',
 *     components: [defineComponent({ provides: 'stateStore', requires: [], description: '…',
 *       create: (_deps, config: { dir: string }) => ({ service: openMyStore(config.dir) }) })],
 *   })
 *
 * examples/statesync-store-plugin.ts is one.
 */
import { BUILTIN_STORES, StateDiffError, type StateStore } from '../../statediff/index.ts'
import { loadPlugins } from '../../profiles/plugins.ts'

declare module '../../node/component.ts' {
  interface Services {
    /** A store the statesync testbed feeds (`--store FILE`). */
    stateStore: StateStore
  }
}

const METHODS = ['head', 'apply', 'revert', 'account', 'slot', 'code', 'flush', 'stats', 'close'] as const

export const isStoreFile = (spec: string): boolean => spec.includes('/') || /\.(ts|js|mjs|mts)$/.test(spec)

/** The name a `--store` value gives its store before it is opened (a plugin's file name without extension). */
export function storeLabel(spec: string): string {
  if (!isStoreFile(spec)) return spec
  const base = spec.split('/').pop()!
  return base.replace(/\.(ts|js|mjs|mts)$/, '')
}

/** Opens the store a `--store` value names, with `dir` for its files. */
export async function openStore(spec: string, dir: string): Promise<{ name: string; store: StateStore }> {
  const builtin = BUILTIN_STORES[spec]
  if (builtin) return { name: spec, store: await builtin({ dir }) }
  if (!isStoreFile(spec)) throw new StateDiffError('BAD_STORE', `unknown store ${JSON.stringify(spec)}`, { details: `choose ${Object.keys(BUILTIN_STORES).join(', ')}, or give a plugin file (./my-store.ts)` })
  const [plugin] = await loadPlugins([spec])
  const component = plugin!.components?.find((c) => c.provides === 'stateStore')
  if (!component) throw new StateDiffError('BAD_STORE', `plugin ${spec} (${plugin!.name}) has no component that provides stateStore`)
  let service: unknown
  try {
    service = (await component.create({}, { dir })).service
  } catch (e) {
    throw new StateDiffError('BAD_STORE', `store ${plugin!.name} (${spec}) failed to open`, { details: e instanceof Error ? e.message : String(e), cause: e })
  }
  const missing = METHODS.filter((m) => typeof (service as Record<string, unknown> | undefined)?.[m] !== 'function')
  if (missing.length) throw new StateDiffError('BAD_STORE', `store ${plugin!.name} (${spec}) is not a StateStore`, { details: `it lacks ${missing.join(', ')}` })
  return { name: plugin!.name, store: service as StateStore }
}
