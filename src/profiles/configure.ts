/**
 * From parsed options to each component's configuration: the profile's section defaults go
 * under the parsed sections, node-wide facts (the chain, the data directory, the genesis) are
 * resolved once and lazily, the profile's conditions (`when`) pick the components that run, and
 * each of those makes its own typed configuration with `configure` (one without it gets its
 * section and a logger).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { devChain, genesisHeader, hasDevOptions, type ChainSpec, type DevChainOptions } from '../chainspec/index.ts'
import { DataDirError, defaultDataDir, resolveChainSpec, type Component, type ConfigSections, type ConfigureContext, type Logger } from '../node/index.ts'
import type { Header } from '../types/index.ts'
import type { Profile, ProfileDefaults } from './profile.ts'

/** --chain (or the data directory's record, or the profile's default), with anvil's dev-chain flags applied. */
function chainSpecOf(sections: ConfigSections, datadir: string | undefined, fallback: string | undefined): ChainSpec {
  const chainFlag = sections.chain?.chain as string | undefined
  const devFlag = sections.chain?.dev === true
  // without --datadir, the default chain's default directory's record counts too (`make run` after `--chain-id 5`)
  const recordIn = datadir ?? (chainFlag || devFlag || !fallback ? undefined : defaultDataDir(fallback))
  const base = resolveChainSpec(chainFlag ?? (devFlag ? 'dev' : undefined), recordIn, fallback)
  const flags = Object.fromEntries(Object.entries(sections.dev ?? {}).filter(([, v]) => v !== undefined)) as DevChainOptions
  if (devFlag && base.name !== 'dev') throw new DataDirError(`--dev asks for the dev chain, but the chain is ${base.name}`, 'drop --dev or --chain')
  if (base.name !== 'dev') {
    if (hasDevOptions(flags)) throw new DataDirError(`dev-chain flags (--chain-id, --accounts, --mnemonic, …) apply to the dev chain only, and the chain is ${base.name}`, 'drop them, or run the dev chain')
    return base
  }
  // the flags over what the data directory recorded; anvil stamps its genesis with the time it
  // starts, so the dev node's new chain gets the current time (recorded, so a restart reopens
  // it). Only there: `--chain dev` named on purpose (nodes that peer, sync or follow each other)
  // keeps the fixed genesis, or no two of them would share a chain.
  const opts: DevChainOptions = { ...base.devOptions, ...flags }
  const devNode = fallback === 'dev' && chainFlag === undefined && !devFlag
  const fresh = sections.storage?.memory === true || !existsSync(join(datadir ?? defaultDataDir('dev'), 'chain.json'))
  if (opts.timestamp === undefined && fresh && devNode) opts.timestamp = BigInt(Math.floor(Date.now() / 1000))
  return hasDevOptions(opts) ? devChain(opts) : base
}

function configureContext(sections: ConfigSections, defaults: ProfileDefaults, log: Logger): ConfigureContext {
  let spec: ChainSpec | undefined
  let genesis: Header | undefined
  const datadirFlag = sections.storage?.datadir as string | undefined
  const ctx: ConfigureContext = {
    log,
    spec: () => (spec ??= chainSpecOf(sections, datadirFlag, defaults.chain)),
    datadir: () => datadirFlag ?? defaultDataDir(ctx.spec().name),
    genesis: () => (genesis ??= genesisHeader(ctx.spec())),
  }
  return ctx
}

/**
 * The components that run (those of `profile.when` only while their condition holds) and each
 * one's configuration, by the service it provides. A component left out is not configured.
 */
export function configureProfile(
  components: readonly Component[],
  parsed: ConfigSections,
  profile: { defaults: ProfileDefaults; when?: Profile['when'] },
  log: Logger,
): { components: Component[]; config: ConfigSections } {
  const ctx = configureContext(parsed, profile.defaults, log)
  const defaults = profile.defaults
  const under = typeof defaults.sections === 'function' ? defaults.sections(ctx) : (defaults.sections ?? {})
  const sections: ConfigSections = { ...parsed }
  for (const [name, values] of Object.entries(under)) sections[name] = { ...values, ...parsed[name] }
  const running = components.filter((c) => (profile.when?.[c.name ?? c.provides] ?? profile.when?.[c.provides])?.(sections, ctx) ?? true)
  const config: ConfigSections = {}
  for (const c of running) config[c.provides] = c.configure ? c.configure(sections, ctx) : { ...sections[c.provides], log: log.with({ component: c.provides }) }
  return { components: running, config }
}
