/**
 * Components: the unit Mosaic is composed from. A component provides one named service,
 * requires others by name and may use optional ones when present; it owns its flags and turns
 * the parsed sections into its typed configuration (`configure`). The builder wires components
 * in dependency order. Services are typed
 * through the `Services` registry, which each component extends by declaration merging:
 *
 *   declare module '../node/component.ts' { interface Services { storage: KeyValueStore } }
 *
 * A service's type is a capability interface (the chain's `Chain`, the pool's `TransactionPool`,
 * a `StateProvider`), not a class, so that a follower, a remote source or a test double can
 * provide it. Boundaries carry plain data so that a service can later move to another process.
 */
import type { ChainSpec } from '../chainspec/index.ts'
import type { Header } from '../types/index.ts'
import type { ConfigSections, OptionSpec } from './config.ts'
import type { Logger } from './log.ts'

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

/** What a component's `configure` may use besides the parsed sections: node-wide facts, resolved once. */
export interface ConfigureContext {
  log: Logger
  /** The chain the node runs: --chain, else the one recorded in --datadir, else the profile's default. */
  spec(): ChainSpec
  /** --datadir, else the chain's default data directory. */
  datadir(): string
  /** The genesis header of `spec()`, computed once (mainnet's state root takes a second). */
  genesis(): Header
}

export interface Component<P extends string = string, R extends string = string, O extends string = string, C = any> {
  /** Its name in the catalog when several components provide the same service (default: the service). */
  name?: string
  /** The service this component provides. */
  provides: P
  /** Services it needs, created and started before it. */
  requires: readonly R[]
  /** Services it uses when present (started before it then), `undefined` otherwise. */
  optional?: readonly O[]
  /** One line for `mosaic components`. */
  description: string
  /** Its flags, parsed into sections (a profile lists them in its help). */
  options?: readonly OptionSpec[]
  /** Its configuration from the parsed sections (the profile's defaults underneath); default: its own section. */
  configure?(sections: ConfigSections, ctx: ConfigureContext): C
  create(deps: ServicesOf<R> & OptionalServicesOf<O>, config: C): Instance<ServiceType<P>> | Promise<Instance<ServiceType<P>>>
}

type ServiceType<N extends string> = N extends keyof Services ? Services[N] : unknown
export type ServicesOf<R extends string> = { [K in R]: ServiceType<K> }
export type OptionalServicesOf<O extends string> = { [K in O]: ServiceType<K> | undefined }

/** Declares a component; types `create`'s dependencies and configuration from the names and `configure`. */
export function defineComponent<const P extends string, const R extends string = never, const O extends string = never, C = Record<string, unknown>>(c: Component<P, R, O, C>): Component<P, R, O, C> {
  return c
}
