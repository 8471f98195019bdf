/**
 * Calls forwarded to the upstream for RPC (reads of blocks up to the fork block), answered from
 * the fork cache when asked before (those blocks do not change), so an `--offline` restart
 * answers them too. A null answer (an unknown hash) is not cached: it may yet appear.
 */
import { RemoteError } from './errors.ts'
import type { Fork } from './fork.ts'

export function forwardCall(fork: Fork, method: string, params: unknown[]): Promise<unknown> | unknown {
  const key = `r:${method}:${JSON.stringify(params)}`
  if (fork.cache.has(key)) return fork.cache.get(key)
  if (!fork.client) throw new RemoteError('offline-miss', `--offline: ${method} ${JSON.stringify(params).slice(0, 200)} is not in the fork cache`, { details: 'run once with the upstream reachable to cache it' })
  return fork.client.call(method, params, `${method} ${JSON.stringify(params).slice(0, 200)}`).then((v) => {
    if (v !== null && v !== undefined) fork.cache.put(key, v)
    return v
  })
}
