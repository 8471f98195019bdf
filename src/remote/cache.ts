/**
 * The fork's read cache: what the upstream said about one block, kept in memory and appended to
 * `<dir>/<chainId>/<block>.jsonl` (one `{"k":…,"v":…}` per line) so that the same fork starts
 * again without the upstream (`--offline`). Keys: `a:<address>` (account or null), `c:<code
 * hash>` (code), `s:<address>:<slot>` (value), `h:<number>` (block hash), `b:<number>` (block
 * JSON), `r:<method>:<params>` (an answer forwarded to RPC). Values are what the upstream sent,
 * already checked. A line cut short by a crash is skipped on load. Two chains can share an id (two
 * local dev nodes): online, the fork compares the cached block's hash with the upstream's and
 * clears a cache that belongs to another chain.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface ForkCache {
  get(key: string): unknown
  has(key: string): boolean
  put(key: string, value: unknown): void
  /** Where it is kept (undefined: memory only, --no-storage-caching). */
  readonly path?: string
  readonly size: number
  /** Forgets everything (the cache turned out to be of another chain with the same id). */
  clear(): void
}

/** A cache for (chainId, block) under `dir`; memory only without a `dir`. */
export function openForkCache(dir: string | undefined, chainId: bigint, block: bigint): ForkCache {
  const map = new Map<string, unknown>()
  const path = dir && join(dir, String(chainId), `${block}.jsonl`)
  if (path && existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue
      try {
        const { k, v } = JSON.parse(line) as { k: string; v: unknown }
        if (typeof k === 'string') map.set(k, v)
      } catch {
        // the last line of a crashed run
      }
    }
  }
  if (path) mkdirSync(dirname(path), { recursive: true })
  return {
    path,
    get size() {
      return map.size
    },
    get: (k) => map.get(k),
    has: (k) => map.has(k),
    clear() {
      map.clear()
      if (path) writeFileSync(path, '')
    },
    put(k, v) {
      map.set(k, v)
      if (path) appendFileSync(path, `${JSON.stringify({ k, v })}\n`)
    },
  }
}
