/**
 * Fork mode's own anvil methods. anvil_setRpcUrl: the same fork read through another upstream
 * of the same chain (checked: chain id, and the fork block's hash). anvil_reset in fork mode: `[{forking: {jsonRpcUrl?, blockNumber?}}]` moves the fork to another
 * block (by default the upstream's head minus a few, as at start) and optionally another
 * upstream of the same chain. The fork's own blocks and pending dev edits are dropped; the pool
 * re-checks its transactions against the new state. Snapshots taken before it no longer revert.
 */
import type { LatestState } from '../../payload/index.ts'
import { InvalidParamsError } from '../../rpc/index.ts'
import type { ForkSession } from './fork.ts'

export async function anvilReset(fork: ForkSession, latest: LatestState | undefined, params: unknown): Promise<null> {
  const arg = Array.isArray(params) ? params[0] : undefined
  if (arg !== undefined && arg !== null && (typeof arg !== 'object' || Array.isArray(arg))) throw new InvalidParamsError('anvil_reset: expected {forking: {jsonRpcUrl?, blockNumber?}}')
  const forking = (arg as { forking?: unknown } | null | undefined)?.forking
  if (forking !== undefined && forking !== null && (typeof forking !== 'object' || Array.isArray(forking))) throw new InvalidParamsError('anvil_reset: forking must be an object')
  const f = (forking ?? {}) as { jsonRpcUrl?: unknown; blockNumber?: unknown }
  if (f.jsonRpcUrl !== undefined && (typeof f.jsonRpcUrl !== 'string' || !/^https?:\/\//.test(f.jsonRpcUrl))) throw new InvalidParamsError('anvil_reset: forking.jsonRpcUrl must be an http(s) URL')
  let blockNumber: bigint | undefined
  if (f.blockNumber !== undefined && f.blockNumber !== null) {
    const b = f.blockNumber
    const ok = (typeof b === 'number' && Number.isSafeInteger(b) && b >= 0) || (typeof b === 'string' && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(b))
    if (!ok) throw new InvalidParamsError('anvil_reset: forking.blockNumber must be a non-negative block number')
    blockNumber = BigInt(b as number | string)
  }
  await fork.reset({ url: f.jsonRpcUrl as string | undefined, blockNumber })
  latest?.edits?.clear()
  return null
}

export async function anvilSetRpcUrl(fork: ForkSession, params: unknown): Promise<null> {
  const url = Array.isArray(params) && params.length === 1 ? params[0] : undefined
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new InvalidParamsError('anvil_setRpcUrl: expected [url], an http(s) URL')
  await fork.setUpstream(url)
  return null
}
