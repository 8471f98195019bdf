/** `mosaic components [--json]`: the catalog of components and the profiles that use them. */
import { parseArgs } from '../args.ts'
import type { Command } from '../command.ts'
import { profiles } from '../../profiles/index.ts'
import { catalog } from '../../profiles/catalog.ts'

const USAGE = `Usage: mosaic components [--json]

Lists every component: the service it provides, the services it requires (with \`?\`: used
when present), and the profiles that use it. Components marked "planned" are not in this
build yet.`

export async function runComponents(args: string[], out: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const { flags } = parseArgs(args, { booleans: ['json'] })
  const rows = catalog(profiles)
  if (flags.has('json')) {
    out(`${JSON.stringify(rows, null, 2)}\n`)
    return 0
  }
  const header = ['component', 'provides', 'requires', 'profiles', 'what it does']
  const table = rows.map((r) => [r.name + (r.planned ? ' (planned)' : ''), r.provides ?? '-', [...r.requires, ...(r.optional ?? []).map((o) => `${o}?`)].join(', ') || '-', r.profiles.join(', '), r.description])
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  out(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)].join('\n')}\n`)
  return 0
}

export const components: Command = {
  name: 'components',
  summary: 'list the components: what each provides and requires, and which profiles use it',
  usage: USAGE,
  run: (args) => runComponents(args),
}
