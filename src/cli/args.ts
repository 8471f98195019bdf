/**
 * Minimal flag parser shared by the subcommands: `--flag`, `--flag value`, `--flag=value`.
 * Unknown flags are errors, never ignored.
 */
import { UsageError } from './command.ts'

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[]
  /** Flags that are switches. */
  booleans?: readonly string[]
  /** Flags that take a value and may be given more than once (all values kept, in order). */
  lists?: readonly string[]
}

export interface ParsedArgs {
  flags: Map<string, string | true>
  /** The values of `lists` flags, in order (absent when not given). */
  lists: Map<string, string[]>
  positional: string[]
}

export function parseArgs(args: string[], spec: FlagSpec): ParsedArgs {
  const values = new Set(spec.values ?? [])
  const booleans = new Set([...(spec.booleans ?? []), 'help'])
  const repeatable = new Set(spec.lists ?? [])
  const flags = new Map<string, string | true>()
  const lists = new Map<string, string[]>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (!a.startsWith('--') || a === '-') {
      if (a === '-h') flags.set('help', true)
      else positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq < 0 ? undefined : eq)
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`)
      flags.set(name, true)
    } else if (values.has(name) || repeatable.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args[++i]
      if (v === undefined) throw new UsageError(`--${name} needs a value`)
      flags.set(name, v)
      if (repeatable.has(name)) lists.set(name, [...(lists.get(name) ?? []), v])
    } else {
      throw new UsageError(`unknown flag --${name}`)
    }
  }
  return { flags, lists, positional }
}
