/**
 * Node configuration, parsed once: every option is declared with its flag (geth/reth names
 * where they exist), type, default and the component section it belongs to. Values come from,
 * in rising precedence: defaults, the TOML file of `--config` (keys as the flag names, dotted
 * names as tables: `[http] port = 8545`), environment variables (`MOSAIC_HTTP_PORT`), and
 * flags. Each component then receives its own section as a plain object.
 *
 * Unknown flags, bad values and unknown TOML keys are a ConfigError naming the option and what
 * it accepts; nothing is silently ignored.
 */
import { readFileSync } from 'node:fs'
import { parse as parseToml } from 'smol-toml'
import { MosaicError } from '../primitives/index.ts'

export class ConfigError extends MosaicError {
  override name = 'ConfigError'
  constructor(message: string, details?: string) {
    super('CONFIG', message, { details })
  }
}

export type OptionType = 'string' | 'int' | 'bool' | 'list' | 'bigint'

export interface OptionSpec {
  /** Flag name without dashes, e.g. `http.port`. */
  flag: string
  type: OptionType
  /** Section (component) and key the value goes to. */
  section: string
  key: string
  default?: unknown
  help: string
  /** Other flag names for the same option (e.g. `dev.period` for `block-time`). */
  aliases?: string[]
  /** A one-letter form, given with one dash (anvil's `-p 8546`, `-a 5`, `-m "…"`). */
  short?: string
  /** For `int`: inclusive bounds. */
  min?: number
  max?: number
  /** For `string`: the accepted values. */
  choices?: readonly string[]
  /** The value when the flag is given without one (anvil's `--prune-history [N]`): the next argument is its value only when it is not a flag. */
  bare?: unknown
}

export type ConfigSections = Record<string, Record<string, unknown>>

export interface ConfigSources {
  argv: string[]
  env?: Record<string, string | undefined>
  /** Reads the TOML file named by --config (tests replace it). */
  readFile?: (path: string) => string
  /** Where an unknown flag's error points (default: `mosaic --help`); a profile names its own help. */
  optionsHint?: string
}

/** The environment variable of a flag: MOSAIC_ + upper case, dots and dashes as underscores. */
export const envName = (flag: string): string => `MOSAIC_${flag.toUpperCase().replace(/[.-]/g, '_')}`

function convert(spec: OptionSpec, raw: unknown, where: string): unknown {
  const bad = (what: string): never => {
    throw new ConfigError(`invalid value for --${spec.flag} (${where})`, `${JSON.stringify(raw)}: ${what}`)
  }
  switch (spec.type) {
    case 'bool':
      if (typeof raw === 'boolean') return raw
      if (raw === 'true' || raw === '1' || raw === '') return true
      if (raw === 'false' || raw === '0') return false
      return bad('expected true or false')
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?[0-9]+$/.test(raw.trim()) ? Number(raw) : NaN
      if (!Number.isSafeInteger(n)) return bad('expected an integer')
      if (spec.min !== undefined && n < spec.min) return bad(`must be at least ${spec.min}`)
      if (spec.max !== undefined && n > spec.max) return bad(`must be at most ${spec.max}`)
      return n
    }
    case 'bigint': {
      const s = typeof raw === 'number' ? String(raw) : raw
      if (typeof s !== 'string' || !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(s.trim())) return bad('expected a non-negative integer')
      return BigInt(s.trim())
    }
    case 'list':
      if (Array.isArray(raw)) return raw.map(String)
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean)
      return bad('expected a comma-separated list')
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') return bad('expected a string')
      if (spec.choices && !spec.choices.includes(String(raw))) return bad(`expected one of ${spec.choices.join(', ')}`)
      return String(raw)
  }
}

/** Flattens a TOML document into flag names: `{http: {port: 1}}` → `http.port`. */
function flattenToml(doc: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = []
  for (const [k, v] of Object.entries(doc)) {
    const name = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) out.push(...flattenToml(v as Record<string, unknown>, name))
    else out.push([name, v])
  }
  return out
}

export interface ParsedConfig {
  sections: ConfigSections
  /** Non-flag arguments (a node takes none; commands may). */
  positional: string[]
  /** Flags given explicitly on the command line (for "did the user ask for X"). */
  explicit: Set<string>
}

/** Parses flags, the TOML file, the environment and defaults into sections. */
export function parseConfig(specs: readonly OptionSpec[], src: ConfigSources): ParsedConfig {
  const byFlag = new Map<string, OptionSpec>()
  for (const s of specs) for (const f of [s.flag, ...(s.aliases ?? [])]) byFlag.set(f, s)
  const byShort = new Map<string, OptionSpec>()
  for (const s of specs) if (s.short) byShort.set(s.short, s)
  const values = new Map<OptionSpec, unknown>()
  const explicit = new Set<string>()
  const positional: string[] = []

  // flags first (highest precedence), so --config is known before the file is read
  const fromFlags = new Map<OptionSpec, unknown>()
  const argv = src.argv
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!
    const short = /^-([A-Za-z])(=.*)?$/.exec(a)
    if (short) {
      const s = byShort.get(short[1]!)
      if (!s) throw new ConfigError(`unknown flag -${short[1]}`, 'run `mosaic --help` for the options')
      a = `--${s.flag}${short[2] ?? ''}`
    }
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq < 0 ? undefined : eq)
    const spec = byFlag.get(name)
    if (!spec) throw new ConfigError(`unknown flag --${name}`, src.optionsHint ?? 'run `mosaic --help` for the options')
    let raw: unknown
    if (eq >= 0) raw = a.slice(eq + 1)
    else if (spec.type === 'bool') raw = argv[i + 1] === 'true' || argv[i + 1] === 'false' ? argv[++i] : true
    else if (spec.bare !== undefined && (i + 1 >= argv.length || argv[i + 1]!.startsWith('-'))) raw = spec.bare
    else {
      if (i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) throw new ConfigError(`--${name} needs a value`, spec.help)
      raw = argv[++i]
    }
    const v = convert(spec, raw, 'flag')
    // a list flag given again adds to the list (--store a --store b)
    const prev = spec.type === 'list' ? (fromFlags.get(spec) as string[] | undefined) : undefined
    fromFlags.set(spec, prev ? [...prev, ...(v as string[])] : v)
    explicit.add(spec.flag)
  }

  for (const s of specs) if (s.default !== undefined) values.set(s, s.default)
  const configSpec = specs.find((s) => s.flag === 'config')
  const configPath = (configSpec && fromFlags.get(configSpec)) as string | undefined
  if (configPath) {
    let doc: Record<string, unknown>
    try {
      doc = parseToml((src.readFile ?? ((p) => readFileSync(p, 'utf8')))(configPath)) as Record<string, unknown>
    } catch (e) {
      throw new ConfigError(`cannot read config file ${configPath}`, e instanceof Error ? e.message : String(e))
    }
    for (const [name, v] of flattenToml(doc)) {
      const spec = byFlag.get(name)
      if (!spec || spec.flag === 'config') throw new ConfigError(`unknown option ${name} in ${configPath}`, 'keys are the flag names, e.g. `[http]` then `port = 8545`')
      values.set(spec, convert(spec, v, configPath))
    }
  }
  const env = src.env ?? {}
  for (const s of specs) {
    const v = env[envName(s.flag)]
    if (v !== undefined && v !== '') values.set(s, convert(s, v, envName(s.flag)))
  }
  for (const [s, v] of fromFlags) values.set(s, v)

  const sections: ConfigSections = {}
  for (const s of specs) {
    const sec = (sections[s.section] ??= {})
    if (values.has(s)) sec[s.key] = values.get(s)
  }
  return { sections, positional, explicit }
}

/** `--help` text of the options, grouped by section. */
export function optionsHelp(specs: readonly OptionSpec[]): string {
  const bySection = new Map<string, OptionSpec[]>()
  for (const s of specs) bySection.set(s.section, [...(bySection.get(s.section) ?? []), s])
  const lines: string[] = []
  for (const [section, list] of bySection) {
    lines.push(`${section}:`)
    for (const s of list) {
      const names = [...(s.short ? [`-${s.short}`] : []), ...[s.flag, ...(s.aliases ?? [])].map((f) => `--${f}`)].join(', ')
      const arg = s.type === 'bool' ? '' : ` ${s.type === 'list' ? 'A,B' : s.choices ? s.choices.join('|') : 'VALUE'}`
      const def = s.default !== undefined && s.default !== false ? ` (default: ${Array.isArray(s.default) ? s.default.join(',') : String(s.default)})` : ''
      lines.push(`  ${`${names}${arg}`.padEnd(34)} ${s.help}${def}`)
    }
  }
  return lines.join('\n')
}
