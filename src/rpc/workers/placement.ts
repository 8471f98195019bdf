/**
 * Where an eth_call or eth_callBundle runs. A trip to a worker costs two messages (tens of µs),
 * more than a light call itself, so calls that proved light stay on the event loop: a call is
 * known by its target and selector, a bundle by its number of transactions, and runs in-thread
 * once the last call like it took under `lightMs` (on a worker or in-thread); a call that took
 * longer goes back to the workers. Unknown calls (bundles aside), calls with state overrides
 * (new code), and every other method go to a worker. At worst one call
 * whose cost depends on its arguments runs long on the event loop before its kind is moved.
 */

const MAX_KINDS = 10_000
const BUNDLE = 'bundle:'

export interface Placement {
  /** The kind of a call that may run in-thread, or undefined for one that always goes to a worker. */
  kind(method: string, params: unknown): string | undefined
  light(kind: string): boolean
  record(kind: string, ms: number): void
}

/**
 * A bundle is known by its size: its transactions' targets are inside them, still undecoded.
 * An unknown kind of bundle runs in-thread first: most are a few light transactions, and a
 * worker would decode and recover them again (its caches are its own).
 */
function bundleKind(params: unknown): string | undefined {
  const b = Array.isArray(params) ? (params[0] as { txs?: unknown } | null) : undefined
  return typeof b === 'object' && b !== null && Array.isArray(b.txs) ? `${BUNDLE}${b.txs.length}` : undefined
}

export function createPlacement(lightMs: number): Placement {
  let last = new Map<string, number>()
  return {
    kind(method, params) {
      if (method === 'eth_callBundle') return bundleKind(params)
      if (method !== 'eth_call' || !Array.isArray(params) || params.length > 2) return undefined
      const c = params[0] as { to?: unknown; data?: unknown; input?: unknown } | null
      if (typeof c !== 'object' || c === null || typeof c.to !== 'string') return undefined
      const data = typeof c.input === 'string' ? c.input : typeof c.data === 'string' ? c.data : ''
      return `${c.to.toLowerCase()}:${data.slice(0, 10)}`
    },
    light: (kind) => (last.get(kind) ?? (kind.startsWith(BUNDLE) ? 0 : Infinity)) < lightMs,
    record(kind, ms) {
      if (last.size >= MAX_KINDS && !last.has(kind)) last = new Map()
      last.set(kind, ms)
    },
  }
}
