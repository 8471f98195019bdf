/**
 * CORS for JSON-RPC over HTTP, geth's `--http.corsdomain`: a list of allowed origins, `*` for
 * any, and a `*` inside an origin standing for any run of characters (`http://*.example.com`),
 * compared without regard to case; an origin not on the list gets no CORS headers, so the
 * browser refuses the page the answer. `*` answers `Access-Control-Allow-Origin: *` on every
 * response, as anvil does (the dev node's default). One policy for both HTTP paths: the hono app
 * (app.ts, preflights included) and the raw-socket fast path (fast-http.ts).
 */

export interface CorsPolicy {
  /** The Access-Control-Allow-Origin value for a request from `origin`; undefined: no CORS headers. */
  allowOrigin(origin: string | undefined): string | undefined
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')

/** The policy of `domains`; undefined when the list is empty (no CORS, geth's default). */
export function corsPolicy(domains: readonly string[]): CorsPolicy | undefined {
  if (domains.length === 0) return undefined
  if (domains.includes('*')) return { allowOrigin: () => '*' }
  const exact = new Set<string>()
  const patterns: RegExp[] = []
  for (const d of domains) {
    const o = d.toLowerCase()
    if (o.includes('*')) patterns.push(new RegExp(`^${o.split('*').map(escape).join('.*')}$`))
    else exact.add(o)
  }
  return {
    allowOrigin(origin) {
      if (!origin) return undefined
      const o = origin.toLowerCase()
      return exact.has(o) || patterns.some((p) => p.test(o)) ? origin : undefined
    },
  }
}

/** The CORS header lines of a simple (non-preflight) response, for the raw HTTP writer: empty when none apply. */
export function corsHeaderLines(policy: CorsPolicy, origin: string | undefined): string {
  const allow = policy.allowOrigin(origin)
  return allow === undefined ? 'Vary: Origin\r\n' : `Access-Control-Allow-Origin: ${allow}\r\nVary: Origin\r\n`
}
