/**
 * Field-by-field comparison of two nodes' answers with a documented list of intended
 * differences. Every leaf where the answers differ must match a listed rule, else it is an
 * unexpected difference; every listed rule must be seen at least once, so the list cannot go
 * stale (as test/known-failures.json for the conformance suites). `differential` asks both nodes
 * the same call and compares the answers.
 */
import { rpcRaw } from './processes.ts'

export interface Difference {
  /** Which answers it applies to (`receipt`, `block`, `callTracer`, ...): the comparison's kind. */
  kind: string
  /** The JSON path inside the answer, e.g. `.logs.0.blockHash`; `*` matches one segment. */
  path: string
  /** Why the nodes differ there. */
  reason: string
  /** An extra check on the two values (e.g. "Mosaic's is exactly one more"), when the difference is exact; a difference no rule's check accepts is a failed check. */
  check?: (mosaic: unknown, anvil: unknown) => boolean
}

interface Rule extends Difference {
  re: RegExp
  seen: number
}

export class Comparison {
  private readonly rules: Rule[]
  readonly unexpected: string[] = []
  readonly failedChecks: string[] = []
  compared = 0

  constructor(differences: readonly Difference[]) {
    this.rules = differences.map((d) => ({ ...d, seen: 0, re: new RegExp(`^${d.path.replace(/[.$]/g, '\\$&').replace(/\*/g, '[^.]+')}$`) }))
  }

  /** Compares `mosaic` with `anvil` under `kind`; `label` names the case in messages. */
  compare(kind: string, label: string, mosaic: unknown, anvil: unknown): void {
    this.compared++
    this.walk(kind, label, '', mosaic, anvil)
  }

  private walk(kind: string, label: string, path: string, m: unknown, a: unknown): void {
    if (m !== null && a !== null && typeof m === 'object' && typeof a === 'object' && Array.isArray(m) === Array.isArray(a)) {
      const keys = new Set([...Object.keys(m as object), ...Object.keys(a as object)])
      for (const k of keys) this.walk(kind, label, `${path}.${k}`, (m as Record<string, unknown>)[k], (a as Record<string, unknown>)[k])
      return
    }
    if (m === a) return
    const shown = `${kind} ${label} ${path}: mosaic ${JSON.stringify(m)?.slice(0, 120)}, anvil ${JSON.stringify(a)?.slice(0, 120)}`
    const candidates = this.rules.filter((r) => r.kind === kind && r.re.test(path))
    if (candidates.length === 0) {
      this.unexpected.push(shown)
      return
    }
    // several rules may cover one place: the first whose check holds explains the difference
    const rule = candidates.find((r) => !r.check || r.check(m, a))
    if (!rule) {
      this.failedChecks.push(shown)
      return
    }
    rule.seen++
  }

  /** Rules that never matched a difference. */
  unseen(): string[] {
    return this.rules.filter((r) => r.seen === 0).map((r) => `${r.kind} ${r.path}`)
  }
}

/** An answer as compared: the result, or `{error}` when the node refused the call. */
async function answer(url: string, method: string, params: unknown[]): Promise<any> {
  const r = await rpcRaw(url, method, params)
  return r.error ? { error: r.error } : r.result
}

/**
 * The same call to Mosaic and anvil (`urls()`: theirs, read at each call, as the nodes start in
 * a `beforeAll`): `both` returns the two answers, `check` also compares them under `kind` in
 * `cmp` and returns Mosaic's.
 */
export function differential(cmp: Comparison, urls: () => [mosaic: string, anvil: string]) {
  const both = (method: string, params: unknown[]): Promise<[any, any]> => {
    const [m, a] = urls()
    return Promise.all([answer(m, method, params), answer(a, method, params)])
  }
  const check = async (kind: string, label: string, method: string, params: unknown[]): Promise<any> => {
    const [m, a] = await both(method, params)
    cmp.compare(kind, label, m, a)
    return m
  }
  return { both, check }
}
