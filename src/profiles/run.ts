/**
 * Starting a profile: picks it (`--profile NAME` or a shorthand flag), parses its options once
 * (flags, --config TOML, MOSAIC_* environment), loads plugins, configures (each component its
 * own, ./configure.ts) and starts the components (which the builder stops in reverse on
 * SIGINT/SIGTERM). Every failure before the node runs is a MosaicError with a one-line message. Consumers: the CLI, `defineNode`.
 */
import { createLogger, createStatusLine, optionsHelp, parseConfig, startNode, statusLineWanted, VERSION, type Logger, type OptionSpec, type RunningNode } from '../node/index.ts'
import { MosaicError } from '../primitives/index.ts'
import { configureProfile } from './configure.ts'
import { applyPlugins, loadPlugins, type MosaicPlugin } from './plugins.ts'
import type { Profile } from './profile.ts'

const NODE_OPTIONS: OptionSpec[] = [
  { flag: 'config', type: 'string', section: 'node', key: 'config', help: 'TOML file with the same options (keys as the flag names)' },
  { flag: 'verbosity', type: 'int', section: 'node', key: 'verbosity', default: 3, min: 0, max: 5, help: 'log level: 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 trace' },
  { flag: 'log.format', type: 'string', section: 'node', key: 'logFormat', default: 'text', choices: ['text', 'json'], help: 'log line format' },
  { flag: 'silent', type: 'bool', section: 'node', key: 'silent', help: 'no logs and no start-up text (anvil\'s --silent; the same as --verbosity 0)' },
  { flag: 'plugin', type: 'list', section: 'node', key: 'plugins', help: 'modules that add or replace components and RPC methods' },
]

export interface NodeRunDeps {
  argv: string[]
  env: Record<string, string | undefined>
  err: (text: string) => void
  /** Whether `err` is a terminal: text logs then keep a status line (the sync bar) below them, unless NO_COLOR or TERM=dumb. */
  isTTY?: boolean
  /** The terminal's width. */
  columns?: () => number | undefined
  /** Install SIGINT/SIGTERM handlers (the CLI does; tests do not). */
  handleSignals: boolean
}

export interface StartedNode {
  node: RunningNode
  profile: Profile
  log: Logger
}

/** Splits the profile choice off the arguments. */
export function chooseProfile(argv: string[], registry: Readonly<Record<string, Profile>>, fallback: string): { profile: Profile; rest: string[] } {
  let name: string | undefined
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const pick = (n: string) => {
      if (name && name !== n) throw new NodeError(`conflicting profiles: ${name} and ${n}`, 'choose one')
      name = n
    }
    if (a === '--profile') {
      const v = argv[++i]
      if (!v) throw new NodeError('--profile needs a name', `choose one of ${Object.keys(registry).join(', ')}`)
      pick(v)
    } else if (a.startsWith('--profile=')) pick(a.slice('--profile='.length))
    else {
      const byShorthand = Object.values(registry).find((p) => p.shorthand && `--${p.shorthand}` === a)
      if (byShorthand) {
        pick(byShorthand.name)
        rest.push(...(byShorthand.shorthandArgs ?? []))
      } else rest.push(a)
    }
  }
  const profile = registry[name ?? fallback]
  if (!profile) throw new NodeError(`unknown profile ${JSON.stringify(name)}`, `choose one of ${Object.keys(registry).join(', ')}`)
  return { profile, rest }
}

export class NodeError extends MosaicError {
  override name = 'NodeError'
  constructor(message: string, details?: string) {
    super('NODE', message, { details })
  }
}

export function nodeHelp(profile: Profile): string {
  return [
    `Usage: mosaic [--profile ${profile.name}] [OPTIONS]`,
    '',
    `Profile ${profile.name}: ${profile.summary}`,
    '',
    optionsHelp([...NODE_OPTIONS, ...profile.options]),
    '',
    'Every option can also be set in the --config TOML file or as MOSAIC_<NAME> (e.g. MOSAIC_HTTP_PORT).',
  ].join('\n')
}

/** Parses, configures and starts a profile; throws MosaicError subclasses with one-line messages. */
export async function startProfile(registry: Readonly<Record<string, Profile>>, deps: NodeRunDeps, fallback = 'execution', extraPlugins: readonly MosaicPlugin[] = []): Promise<StartedNode> {
  const { profile, rest } = chooseProfile(deps.argv, registry, fallback)
  if (profile.missing?.length)
    throw new NodeError(`profile ${profile.name} is not available in this build yet`, `it still needs: ${profile.missing.join('; ')}. Run the execution profile (--execution-only) meanwhile`)
  const optionsHint = `run \`mosaic --profile ${profile.name} --help\` for its options`
  const parsed = parseConfig([...NODE_OPTIONS, ...profile.options], { argv: rest, env: deps.env, optionsHint })
  if (parsed.positional.length) throw new NodeError(`unexpected argument ${JSON.stringify(parsed.positional[0])}`, 'a node takes only --options; run `mosaic --help` for the commands')
  const n = parsed.sections.node ?? {}
  const format = n.logFormat as 'text' | 'json'
  const status = format !== 'json' && statusLineWanted(!!deps.isTTY, deps.env) ? createStatusLine({ write: deps.err, columns: deps.columns }) : undefined
  const log = createLogger({ verbosity: n.silent === true ? 0 : (n.verbosity as number), format, write: deps.err, status })
  const plugins: MosaicPlugin[] = [...extraPlugins, ...(await loadPlugins((n.plugins as string[] | undefined) ?? []))]
  const { components, config } = configureProfile(applyPlugins(profile.components, plugins), parsed.sections, profile, log)
  log.info('Starting Mosaic', { version: VERSION, profile: profile.name, plugins: plugins.map((p) => p.name).join(',') || 'none' })
  const node = await startNode(components as never, {
    config,
    handleSignals: deps.handleSignals,
    log: (msg, fields) => (msg === 'started' ? log.debug(msg, fields) : log.info(msg === 'stopped' ? 'Stopped' : msg, fields)),
  })
  return { node, profile, log }
}

