/**
 * A profile: the components one use case runs, their options, and its defaults. Each component
 * turns the parsed sections into its own configuration (`configure`); a profile adds only what
 * differs for its use case (the default chain, section defaults such as the default RPC
 * namespaces). `mosaic --profile NAME` runs one; `dist/mosaic-NAME` is built from one profile's
 * entry so it contains only what that profile imports.
 */
import type { Component, ConfigSections, ConfigureContext, OptionSpec } from '../node/index.ts'

export interface ProfileDefaults {
  /** The chain when neither --chain nor the data directory names one. */
  chain: string
  /** Section values under the parsed ones (a flag, file or environment value wins). */
  sections?: ConfigSections | ((ctx: ConfigureContext) => ConfigSections)
}

export interface Profile {
  name: string
  /** One line for `mosaic --help` and `mosaic components`. */
  summary: string
  /** The shorthand flag that selects it (`--execution-only`). */
  shorthand?: string
  /** Flags the shorthand stands for besides the profile (`--mainnet`: `--chain mainnet`). */
  shorthandArgs?: readonly string[]
  /** Its components (plugins may replace or add some). */
  components: readonly Component[]
  /** Components it will have, by name, that this build lacks (for `mosaic components`). */
  planned?: readonly string[]
  /** Components it needs that this build does not have yet; such a profile refuses to start. */
  missing?: readonly string[]
  /**
   * Components that run only while a condition of the configuration holds, by the service they
   * provide (the execution profile's dev miner, or its Engine API) or, where several provide
   * one service, by component name (the txpool profile's stateless or stateful pool, the
   * statesync profile's follower or replica RPC); the others always run.
   * Help and `mosaic components` list them all.
   */
  when?: Readonly<Record<string, (sections: ConfigSections, ctx: ConfigureContext) => boolean>>
  /** Its flags, in help order (usually its components' options). */
  options: readonly OptionSpec[]
  defaults: ProfileDefaults
}

/** The components' options in order, each flag once. */
export function componentOptions(components: readonly Component[]): OptionSpec[] {
  const seen = new Set<string>()
  return components.flatMap((c) => c.options ?? []).filter((o) => !seen.has(o.flag) && !!seen.add(o.flag))
}
