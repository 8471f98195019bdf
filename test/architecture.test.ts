/**
 * The import graph of src/ (type-only imports included): no cycles between files, and imports
 * between components point down the layers of ARCHITECTURE.md ("Components and layers").
 */
import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC = resolve(import.meta.dir, '../src')

/** The layer of each folder under src/, as ARCHITECTURE.md's table gives it (same layer: allowed). */
const LAYERS: Record<string, number> = {
  primitives: 0,
  crypto: 1,
  types: 2,
  trie: 2,
  storage: 3,
  state: 3,
  evm: 4,
  chainspec: 5,
  executor: 5,
  blockchain: 6,
  txpool: 6,
  payload: 6,
  bundles: 6,
  p2p: 7,
  sync: 7,
  statediff: 7,
  remote: 7,
  appearances: 7,
  rpc: 8,
  engine: 8,
  node: 9,
  cli: 10,
  profiles: 10,
}

/** Upward imports that are known and meant, as `from -> to` (src-relative file -> folder). */
const UPWARD_ALLOWED = new Set([
  // JournaledState implements the EVM's Host (a type-only import): the interface belongs to its consumer
  'state/journaled-state.ts -> evm',
])

/** Known cycles, each the sorted list of its files (none: a new one fails the test). */
const CYCLES_ALLOWED = new Set<string>([])

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) sourceFiles(p, out)
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p)
  }
  return out
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec)
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (c.endsWith('.ts') && existsSync(c)) return c
  return undefined
}

const files = sourceFiles(SRC)
const graph = new Map<string, string[]>()
for (const f of files) {
  const deps: string[] = []
  for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
    const target = resolveImport(f, m[1]!)
    if (target) deps.push(target)
  }
  graph.set(f, deps)
}
const rel = (f: string) => relative(SRC, f)
const folder = (f: string) => rel(f).split('/')[0]!

/** Strongly connected components with more than one file (Tarjan). */
function cycles(): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const scc: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      scc.push(rel(w))
    } while (w !== v)
    if (scc.length > 1) found.push(scc.sort())
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return found
}

describe('architecture', () => {
  test('the import graph is read', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(graph.get(join(SRC, 'evm/forks.ts'))!.length).toBeGreaterThan(5)
  })

  test('no import cycles in src/', () => {
    const found = cycles().map((c) => c.join(' ')).filter((c) => !CYCLES_ALLOWED.has(c))
    expect(found).toEqual([])
  })

  test('every folder of src/ has a layer', () => {
    const folders = new Set(files.map(folder).filter((f) => !f.endsWith('.ts')))
    expect([...folders].filter((f) => !(f in LAYERS))).toEqual([])
  })

  test('imports between components point down the layers', () => {
    const upward: string[] = []
    for (const [f, deps] of graph) {
      const from = folder(f)
      if (!(from in LAYERS)) continue
      for (const d of deps) {
        const to = folder(d)
        if (to in LAYERS && LAYERS[to]! > LAYERS[from]! && !UPWARD_ALLOWED.has(`${rel(f)} -> ${to}`)) upward.push(`${rel(f)} -> ${rel(d)}`)
      }
    }
    expect(upward).toEqual([])
  })
})
