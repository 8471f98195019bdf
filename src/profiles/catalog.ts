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
  description: string
  profiles: string[]
  planned: boolean
}

import { p2pComponent } from './components/p2p.ts'

/** Components that exist but no runnable profile uses yet. */
const LIBRARY: CatalogEntry[] = [p2pComponent].map((c) => ({ name: c.provides, provides: c.provides, requires: [...c.requires], description: c.description, profiles: [], planned: false }))

export function catalog(profiles: Readonly<Record<string, Profile>>): CatalogEntry[] {
  const byName = new Map<string, CatalogEntry>()
  for (const e of LIBRARY) byName.set(e.name, { ...e, profiles: [] })
  for (const p of Object.values(profiles)) {
    for (const c of p.components) {
      const e = byName.get(c.provides) ?? { name: c.provides, provides: c.provides, requires: [...c.requires], description: c.description, profiles: [], planned: false }
      e.profiles.push(p.name)
      byName.set(c.provides, e)
    }
    for (const name of p.planned ?? []) {
      const e = byName.get(name) ?? { name, requires: [], description: 'not in this build yet', profiles: [], planned: true }
      if (!e.profiles.includes(p.name)) e.profiles.push(p.name)
      byName.set(name, e)
    }
  }
  return [...byName.values()]
}
