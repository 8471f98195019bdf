/**
 * A profile: the components one use case runs, their options, and how parsed options become
 * each component's section. `mosaic --profile NAME` runs one; `dist/mosaic-NAME` is built from
 * one profile's entry so it contains only what that profile imports.
 */
import type { Component, ConfigSections, Logger, OptionSpec, ParsedConfig } from '../node/index.ts'

export interface Profile {
  name: string
  /** One line for `mosaic --help` and `mosaic components`. */
  summary: string
  /** The shorthand flag that selects it (`--execution-only`). */
  shorthand?: string
  /** Its components (plugins may replace or add some). */
  components: readonly Component[]
  /** Components it will have, by name, that this build lacks (for `mosaic components`). */
  planned?: readonly string[]
  /** Components it needs that this build does not have yet; such a profile refuses to start. */
  missing?: readonly string[]
  options: readonly OptionSpec[]
  /** Turns parsed options into each component's section. */
  configure(parsed: ParsedConfig, log: Logger): ConfigSections
}
