/**
 * From parsed options to each component's configuration: the profile's section defaults go
 * under the parsed sections, node-wide facts (the chain, the data directory, the genesis) are
 * resolved once and lazily, and each component's `configure` makes its own typed configuration
 * (one without it gets its section and a logger).
 */
import { genesisHeader, type ChainSpec } from '../chainspec/index.ts'
import { defaultDataDir, resolveChainSpec, type Component, type ConfigSections, type ConfigureContext, type Logger } from '../node/index.ts'
import type { Header } from '../types/index.ts'
import type { ProfileDefaults } from './profile.ts'

function configureContext(sections: ConfigSections, defaults: ProfileDefaults, log: Logger): ConfigureContext {
  let spec: ChainSpec | undefined
  let genesis: Header | undefined
  const datadirFlag = sections.storage?.datadir as string | undefined
  const ctx: ConfigureContext = {
    log,
    spec: () => (spec ??= resolveChainSpec(sections.chain?.chain as string | undefined, datadirFlag, defaults.chain)),
    datadir: () => datadirFlag ?? defaultDataDir(ctx.spec().name),
    genesis: () => (genesis ??= genesisHeader(ctx.spec())),
  }
  return ctx
}

/** Each component's configuration, by the service it provides. */
export function configureComponents(components: readonly Component[], parsed: ConfigSections, defaults: ProfileDefaults, log: Logger): ConfigSections {
  const ctx = configureContext(parsed, defaults, log)
  const under = typeof defaults.sections === 'function' ? defaults.sections(ctx) : (defaults.sections ?? {})
  const sections: ConfigSections = { ...parsed }
  for (const [name, values] of Object.entries(under)) sections[name] = { ...values, ...parsed[name] }
  const out: ConfigSections = {}
  for (const c of components) out[c.provides] = c.configure ? c.configure(sections, ctx) : { ...sections[c.provides], log: log.with({ component: c.provides }) }
  return out
}
