/**
 * Opening a fork: the upstream's chain id (or --fork-chain-id), the fork block (--fork-block-number;
 * a negative number counts back from the upstream's head; by default the head minus
 * `DEFAULT_CONFIRMATIONS`, so that a reorg of the last blocks does not pull the base away), its
 * header (checked by hash), the cache for (chain id, block), and the synchronous reader of that
 * block's state. `--offline` takes all of it from the cache.
 */
import { readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { bigintToHex, bytesToHex, hexToBigint, hexToBytes, isHex, type Hash } from '../primitives/index.ts'
import type { Header } from '../types/index.ts'
import { openForkCache, type ForkCache } from './cache.ts'
import { RemoteError } from './errors.ts'
import { headerFromJson } from './header-json.ts'
import { RemoteState } from './remote-state.ts'
import { openSyncUpstream, type SyncUpstream } from './sync-upstream.ts'
import { UpstreamClient, type UpstreamOptions } from './upstream.ts'

/** Blocks behind the upstream's head that the default fork block stays. */
export const DEFAULT_CONFIRMATIONS = 5n

export interface ForkOptions extends Partial<Omit<UpstreamOptions, 'url'>> {
  url?: string
  /** A block number; negative: that many blocks behind the upstream's head. */
  blockNumber?: bigint
  chainId?: bigint
  /** Where the per-(chain, block) cache files go; undefined: memory only (--no-storage-caching). */
  cacheDir?: string
  /** The cache directory to look in when offline even with --no-storage-caching. */
  offline?: boolean
  /** Try eth_getProof (default true). */
  proofs?: boolean
}

/** An opened fork: what the chain is based on and how to read more. */
export interface Fork {
  /** The upstream (undefined offline). */
  readonly url?: string
  readonly chainId: bigint
  readonly header: Header
  readonly hash: Hash
  readonly remote: RemoteState
  readonly cache: ForkCache
  /** Asynchronous calls (RPC forwarding); undefined offline. */
  readonly client?: UpstreamClient
  close(): void
}

/** The one chain id with a cache of `block` under `dir`, for an offline start without --fork-chain-id. */
function cachedChainId(dir: string | undefined, block: bigint | undefined): bigint {
  const ids = dir && existsSync(dir) ? readdirSync(dir).filter((d) => /^[0-9]+$/.test(d) && (block === undefined || existsSync(join(dir, d, `${block}.jsonl`)))) : []
  if (ids.length !== 1)
    throw new RemoteError('offline-miss', `--offline: ${ids.length === 0 ? 'no fork cache' : `fork caches of chains ${ids.join(', ')}`} under ${dir ?? '(no directory)'}${block === undefined ? '' : ` for block ${block}`}`, { details: 'pass --fork-chain-id (and --fork-block-number)' })
  return BigInt(ids[0]!)
}

/** The block numbers cached for `chainId` under `dir`, newest last. */
function cachedBlocks(dir: string | undefined, chainId: bigint): bigint[] {
  const d = dir && join(dir, String(chainId))
  if (!d || !existsSync(d)) return []
  return readdirSync(d).filter((f) => /^[0-9]+\.jsonl$/.test(f)).map((f) => BigInt(f.slice(0, -6))).sort((a, b) => (a < b ? -1 : 1))
}

export async function openFork(o: ForkOptions): Promise<Fork> {
  if (o.offline) {
    const chainId = o.chainId ?? cachedChainId(o.cacheDir, o.blockNumber !== undefined && o.blockNumber >= 0n ? o.blockNumber : undefined)
    const blocks = cachedBlocks(o.cacheDir, chainId)
    const block = o.blockNumber !== undefined && o.blockNumber >= 0n ? o.blockNumber : blocks[blocks.length - 1]
    if (block === undefined) throw new RemoteError('offline-miss', `--offline: no fork cache of chain ${chainId} under ${o.cacheDir ?? '(no directory)'}`, { details: 'run once with --fork-url to fill it' })
    const cache = openForkCache(o.cacheDir, chainId, block)
    const json = cache.get(`b:${block}`)
    if (!json) throw new RemoteError('offline-miss', `--offline: block ${block} of chain ${chainId} is not in the fork cache ${cache.path ?? ''}`, { details: 'run once with --fork-url and this --fork-block-number to fill it' })
    const header = headerFromJson(json, o.url ?? 'cache')
    return finish(undefined, undefined, chainId, header, json, cache, o)
  }
  if (!o.url) throw new RemoteError('unreachable', 'fork mode needs --fork-url (or --offline with a filled cache)')
  const options = upstreamOptions(o, o.url)
  const client = new UpstreamClient(options)
  const chainId = o.chainId ?? hexToBigint(hexAnswer(await client.call('eth_chainId', [], 'eth_chainId'), o.url, 'eth_chainId'))
  let block = o.blockNumber
  if (block === undefined || block < 0n) {
    const head = hexToBigint(hexAnswer(await client.call('eth_blockNumber', [], 'eth_blockNumber'), o.url, 'eth_blockNumber'))
    const back = block === undefined ? DEFAULT_CONFIRMATIONS : -block
    block = head > back ? head - back : 0n
  }
  const cache = openForkCache(o.cacheDir, chainId, block)
  const json = await client.call('eth_getBlockByNumber', [bigintToHex(block), false], `block ${block}`)
  if (!json) throw new RemoteError('rpc-error', `upstream ${o.url} has no block ${block}`, { details: 'choose a --fork-block-number at or below its head' })
  const header = headerFromJson(json, o.url)
  const cached = cache.get(`b:${block}`) as { hash?: unknown } | undefined
  if (cached && cached.hash !== (json as { hash: unknown }).hash) cache.clear()
  if (!cache.has(`b:${block}`)) cache.put(`b:${block}`, json)
  return finish(client, await openSyncUpstream(options), chainId, header, json, cache, o)
}

/**
 * The same fork read through another upstream (anvil_setRpcUrl): it must be on the fork's chain
 * and hold the fork block under the same hash, else nothing changes. The state reader, its
 * cache and the chain's own blocks stay; the old upstream's connection closes.
 */
export async function switchUpstream(fork: Fork, url: string, o: ForkOptions): Promise<Fork> {
  const options = upstreamOptions(o, url)
  const client = new UpstreamClient(options)
  const chainId = hexToBigint(hexAnswer(await client.call('eth_chainId', [], 'eth_chainId'), url, 'eth_chainId'))
  if (chainId !== fork.chainId) throw new RemoteError('rpc-error', `upstream ${url} is chain ${chainId}, this fork runs chain ${fork.chainId}`, { details: 'restart the node to fork another chain' })
  const n = fork.header.number
  const json = (await client.call('eth_getBlockByNumber', [bigintToHex(n), false], `block ${n}`)) as { hash?: unknown } | null
  const want = bytesToHex(fork.hash)
  if (typeof json?.hash !== 'string' || json.hash.toLowerCase() !== want)
    throw new RemoteError('rpc-error', `upstream ${url} ${json ? `has block ${n} as ${String(json.hash)}` : `has no block ${n}`}; the fork block is ${want}`, { details: 'a new upstream must carry the same chain through the fork block; anvil_reset forks anew' })
  const sync = await openSyncUpstream(options)
  fork.remote.useUpstream(sync)
  fork.close()
  return { ...fork, url, client, close: () => sync.close() }
}

function finish(client: UpstreamClient | undefined, sync: SyncUpstream | undefined, chainId: bigint, header: Header, json: unknown, cache: ForkCache, o: ForkOptions): Fork {
  const hash = (json as { hash: string }).hash
  const remote = new RemoteState({ upstream: sync, cache, block: header.number, stateRoot: header.stateRoot, proofs: o.proofs })
  return { url: o.url, chainId, header, hash: hexToBytes(hash), remote, cache, client, close: () => sync?.close() }
}

/** Only the client's options (plain data: they are posted to the bridge's worker). */
function upstreamOptions(o: ForkOptions, url: string): UpstreamOptions {
  const { retries, backoffMs, timeoutMs, computeUnitsPerSecond, maxBatch, maxInFlight, maxResponseBytes } = o
  return { url, retries, backoffMs, timeoutMs, computeUnitsPerSecond, maxBatch, maxInFlight, maxResponseBytes, hint: 'check --fork-url, or raise --retries / --fork-retry-backoff' }
}

function hexAnswer(v: unknown, url: string, method: string): string {
  if (!isHex(v)) throw new RemoteError('bad-response', `upstream ${url} answered ${method} with ${JSON.stringify(v)}`)
  return v
}
