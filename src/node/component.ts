/**
 * Components: the unit Mosaic is composed from. A component provides one named service and
 * requires others by name; the builder wires them in dependency order. Services are typed
 * through the `Services` registry, which each component extends by declaration merging:
 *
 *   declare module '../node/component.ts' { interface Services { storage: KeyValueStore } }
 *
 * Boundaries carry plain data so that a service can later move to another process.
 */

/** Name → type of every service a component can provide. Extended by declaration merging. */
// biome-ignore lint: an interface that modules extend
export interface Services {}

export type ServiceName = keyof Services & string

/** What a component's `create` returns: the service, and optional lifecycle hooks. */
export interface Instance<S> {
  service: S
  start?(): void | Promise<void>
  stop?(): void | Promise<void>
}

export interface Component<P extends string = string, R extends string = string> {
  /** Its name in the catalog when several components provide the same service (default: the service). */
  name?: string
  /** The service this component provides. */
  provides: P
  /** Services it needs, created and started before it. */
  requires: readonly R[]
  /** One line for `mosaic components`. */
  description: string
  create(deps: ServicesOf<R>, config: Record<string, unknown>): Instance<ServiceType<P>> | Promise<Instance<ServiceType<P>>>
}

type ServiceType<N extends string> = N extends keyof Services ? Services[N] : unknown
export type ServicesOf<R extends string> = { [K in R]: ServiceType<K> }

/** Declares a component; types `create`'s dependencies and result from the names. */
export function defineComponent<const P extends string, const R extends string = never>(c: Component<P, R>): Component<P, R> {
  return c
}
