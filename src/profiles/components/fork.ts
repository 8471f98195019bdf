/**
 * The `fork` component (execution profile, fork mode): anvil's `--fork-url` and its companions.
 * It opens the fork (src/remote: the upstream's chain id, the fork block's header, the cache
 * under `<datadir>/fork-cache`) for the chain to base itself on, and for RPC to forward reads
 * of blocks before the fork to the upstream. The fork's own blocks stay in memory, as anvil
 * keeps them; the cache of upstream reads is what survives a restart (`--offline`).
 */
import { join } from 'node:path'
import { defineComponent, type ConfigSections, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { openFork, RemoteError, switchUpstream, type Fork, type ForkOptions } from '../../remote/index.ts'
import { ConfigError } from '../../node/index.ts'
import { checkedUrl } from './url-flag.ts'

declare module '../../node/component.ts' {
  interface Services {
    fork: ForkSession
  }
}

/** The running fork, which anvil_reset can move to another block (or upstream). */
export interface ForkSession {
  readonly current: Fork
  /** Opens the new fork, then tells the listeners (the chain re-bases on it). */
  reset(to: { url?: string; blockNumber?: bigint }): Promise<Fork>
  onReset(listener: (fork: Fork) => void): void
  /** The same fork through another upstream (anvil_setRpcUrl): same chain, same fork block hash, else it throws and nothing changes. */
  setUpstream(url: string): Promise<Fork>
}

export const forkOptions: OptionSpec[] = [
  { flag: 'fork-url', aliases: ['rpc-url'], type: 'string', section: 'fork', key: 'url', help: 'fork the state of this JSON-RPC node (anvil --fork-url)' },
  { flag: 'fork-block-number', type: 'string', section: 'fork', key: 'blockNumber', help: `block to fork from; negative: that many before the upstream's head (default: head - 5)` },
  { flag: 'fork-chain-id', type: 'bigint', section: 'fork', key: 'chainId', help: 'chain id of the fork, instead of asking the upstream' },
  { flag: 'fork-retry-backoff', type: 'int', section: 'fork', key: 'backoffMs', min: 0, max: 600_000, help: 'first wait in ms before retrying a failed upstream request, doubled per attempt (default 1000)' },
  { flag: 'retries', type: 'int', section: 'fork', key: 'retries', min: 0, max: 100, help: 'retries of a failed upstream request (default 5)' },
  { flag: 'timeout', type: 'int', section: 'fork', key: 'timeoutMs', min: 1, max: 600_000, help: 'time limit of one upstream request in ms (default 45000)' },
  { flag: 'compute-units-per-second', type: 'int', section: 'fork', key: 'computeUnitsPerSecond', min: 1, help: "the upstream's compute units per second, for waits after rate limiting (default 330)" },
  { flag: 'no-storage-caching', type: 'bool', section: 'fork', key: 'noStorageCaching', help: 'keep upstream reads in memory only (no cache file)' },
  { flag: 'offline', type: 'bool', section: 'fork', key: 'offline', help: 'fork from the cache only, without contacting the upstream' },
  { flag: 'fork.proofs', type: 'bool', section: 'fork', key: 'proofs', default: true, help: 'read the upstream with eth_getProof and check the proofs (false: eth_getBalance & co.)' },
]

/** Whether the flags ask for fork mode. */
export const forkRequested = (s: ConfigSections): boolean => typeof s.fork?.url === 'string' || s.fork?.offline === true

export interface ForkConfig extends ForkOptions {
  log?: Logger
}

function blockNumberOf(v: unknown): bigint | undefined {
  if (v === undefined) return undefined
  const s = String(v).trim()
  if (!/^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(s)) throw new ConfigError('invalid value for --fork-block-number', `${JSON.stringify(s)}: expected a block number (negative: before the head)`)
  return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s)
}

export const forkComponent = defineComponent({
  provides: 'fork',
  requires: [],
  description: "fork mode: the chain starts at an upstream node's block and reads its state lazily",
  options: forkOptions,
  configure: (s, ctx): ForkConfig => {
    const f = s.fork ?? {}
    const url = f.url as string | undefined
    if (url !== undefined) checkedUrl('fork-url', url)
    return {
      url,
      blockNumber: blockNumberOf(f.blockNumber),
      chainId: f.chainId as bigint | undefined,
      backoffMs: f.backoffMs as number | undefined,
      retries: f.retries as number | undefined,
      timeoutMs: f.timeoutMs as number | undefined,
      computeUnitsPerSecond: f.computeUnitsPerSecond as number | undefined,
      offline: f.offline === true,
      proofs: f.proofs !== false,
      // offline reads the cache even with --no-storage-caching (there is nothing else to read)
      cacheDir: f.noStorageCaching === true && f.offline !== true ? undefined : join(ctx.datadir(), 'fork-cache'),
      log: ctx.log.with({ component: 'fork' }),
    }
  },
  async create(_deps, c) {
    const logFork = (f: Fork) =>
      c.log?.info('Forked', { upstream: f.url ?? 'offline', chainId: f.chainId, block: f.header.number, hash: bytesToHex(f.hash), cache: f.cache.path ?? 'memory', cached: f.cache.size })
    let current = await openFork(c)
    logFork(current)
    const listeners: ((f: Fork) => void)[] = []
    const session: ForkSession = {
      get current() {
        return current
      },
      async reset(to) {
        const url = to.url ?? current.url ?? c.url
        if (!url) throw new RemoteError('offline-miss', 'anvil_reset needs an upstream: this fork runs --offline without --fork-url')
        const next = await openFork({ ...c, url, blockNumber: to.blockNumber, chainId: undefined, offline: false })
        if (next.chainId !== current.chainId) {
          next.close()
          throw new RemoteError('rpc-error', `upstream ${url} is chain ${next.chainId}, this fork runs chain ${current.chainId}`, { details: 'restart the node to fork another chain' })
        }
        current.close()
        current = next
        for (const l of listeners) l(next)
        logFork(next)
        return next
      },
      onReset: (l) => void listeners.push(l),
      async setUpstream(url) {
        current = await switchUpstream(current, url, c)
        c.log?.info('Upstream switched', { upstream: url, block: current.header.number })
        return current
      },
    }
    return { service: session, stop: () => current.close() }
  },
})
