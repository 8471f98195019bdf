/**
 * The stores of `mosaic statesync --store`: a built-in name (memory, rocksdb, sqlite, lmdb,
 * postgres; `postgres:URL` names its server, else DATABASE_URL or the PG* variables do),
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

/** A built-in store with an argument: `postgres:URL` is `postgres` given `URL`. */
function builtinWithArg(spec: string): { name: string; arg?: string } | undefined {
  const colon = spec.indexOf(':')
  const name = colon < 0 ? spec : spec.slice(0, colon)
  if (!BUILTIN_STORES[name]) return undefined
  return colon < 0 ? { name } : { name, arg: spec.slice(colon + 1) }
}

export const isStoreFile = (spec: string): boolean => !builtinWithArg(spec) && (spec.includes('/') || /\.(ts|js|mjs|mts)$/.test(spec))

/** The name a `--store` value gives its store before it is opened (a plugin's file name without extension). */
export function storeLabel(spec: string): string {
  const builtin = builtinWithArg(spec)
  if (builtin) return builtin.name
  if (!isStoreFile(spec)) return spec
  const base = spec.split('/').pop()!
  return base.replace(/\.(ts|js|mjs|mts)$/, '')
}

/** Opens the store a `--store` value names, with `dir` for its files. */
export async function openStore(spec: string, dir: string): Promise<{ name: string; store: StateStore }> {
  const builtin = builtinWithArg(spec)
  if (builtin) return { name: builtin.name, store: await BUILTIN_STORES[builtin.name]!({ dir, arg: builtin.arg }) }
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
