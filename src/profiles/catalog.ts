/**
 * The component catalog: every component in this build (from the runnable profiles) and the
 * planned ones the other profiles name, with what each provides and requires and which
 * profiles use it. Source of `mosaic components` and the README's table.
 */
import type { Profile } from './profile.ts'

export interface CatalogEntry {
  name: string
  provides?: string
  requires: string[]
  /** Services it uses when present (only on components that have some). */
  optional?: string[]
  description: string
  profiles: string[]
  planned: boolean
}

/** Every component of every profile, once each (an alternate provider gets its own row). */
export function catalog(profiles: Readonly<Record<string, Profile>>): CatalogEntry[] {
  const rows = new Map<string, CatalogEntry>()
  for (const p of Object.values(profiles)) {
    for (const c of p.components) {
      const name = c.name ?? c.provides
      const e = rows.get(name) ?? { name, provides: c.provides, requires: [...c.requires], ...(c.optional?.length ? { optional: [...c.optional] } : {}), description: c.description, profiles: [], planned: false }
      if (!e.profiles.includes(p.name)) e.profiles.push(p.name)
      rows.set(name, e)
    }
    for (const name of p.planned ?? []) {
      const e = rows.get(name) ?? { name, requires: [], description: 'not in this build yet', profiles: [], planned: true }
      if (!e.profiles.includes(p.name)) e.profiles.push(p.name)
      rows.set(name, e)
    }
  }
  return [...rows.values()]
}
