/**
 * The `rpc` component, one for every profile: JSON-RPC over HTTP and WebSocket (one port by
 * default) on the chain, serving the namespaces whose services are present — txpool_* with a
 * pool, evm_/anvil_/hardhat_ and the dev signer with a dev miner, admin_* with p2p (the
 * `adminApi` of ./admin-api.ts, so that a profile without p2p links none), mosaic_* and the
 * `mosaic_stateDiffs` subscription with the state-diff stream, plugin methods with `rpcMethods`. Flags follow geth (`--http.*`, `--ws.*`, `--rpc.*`) and reth for
 * the log-query limits; a profile's default namespaces are its `rpc.httpApi`/`rpc.wsApi` defaults.
 */
import type { Chain } from '../../blockchain/index.ts'
import { DEV_MNEMONIC, DEV_PRIVATE_KEYS } from '../../chainspec/index.ts'
import { privateKeyToAddress } from '../../crypto/index.ts'
import { defineComponent, type ConfigSections, type ConfigureContext, type Logger, type OptionSpec } from '../../node/index.ts'
import { nextHeaderTemplate, type DevBlockProducer, type LatestState } from '../../payload/index.ts'
import { bytesToHex, equalBytes, hexToBytes, toChecksumAddress, type Hash, type Hex } from '../../primitives/index.ts'
import {
  serviceMethods,
  withAliases,
  startRpcServer,
  type ChainReader,
  type DevSigner,
  type Methods,
  type PendingBlock,
  type ReplayDeps,
  type RpcBackend,
  type RpcLimits,
  type RpcServer,
  type ServerOptions,
  defaultWorkerCount,
  systemCallPrelude,
  type StateHead,
  RpcError,
  withForkForwarding,
} from '../../rpc/index.ts'
import { accountReaderOf, forwardCall, type Forwarder, type RemoteHead } from '../../remote/index.ts'
import { anvilReset, anvilSetRpcUrl } from './fork-reset.ts'
import type { PluginMethod } from '../plugins.ts'

declare module '../../node/component.ts' {
  interface Services {
    rpc: RpcServer
  }
}

export interface RpcConfig {
  httpAddr: string
  httpPort: number
  httpApi?: string[]
  corsDomains?: string[]
  ws: boolean
  wsAddr?: string
  wsPort?: number
  wsApi?: string[]
  wsOrigins?: string[]
  limits: Partial<RpcLimits>
  /** Why the node holds no state of its own (a profile's default): without a state node, eth_callBundle refuses with it. */
  noState?: string
  /** EVM worker threads (`--rpc.workers`; 0: on the event loop). */
  workers?: number
  /** Print anvil's start-up text (accounts, keys, chain) on stdout in dev mode (off with --silent). */
  banner?: boolean
  /** A debug line per call (method, result, time) at --verbosity 4 and up. */
  logCalls?: boolean
  log?: Logger
}

export const rpcOptions: OptionSpec[] = [
  { flag: 'http', type: 'bool', section: 'rpc', key: 'http', default: true, help: 'serve JSON-RPC over HTTP (the execution profile always serves it)' },
  { flag: 'http.addr', type: 'string', section: 'rpc', key: 'httpAddr', default: '127.0.0.1', help: 'HTTP listening interface' },
  { flag: 'http.port', type: 'int', section: 'rpc', key: 'httpPort', default: 8545, min: 0, max: 65535, help: 'HTTP listening port (0: any free port)' },
  { flag: 'http.api', type: 'list', section: 'rpc', key: 'httpApi', help: 'namespaces over HTTP (default: all)' },
  { flag: 'http.corsdomain', type: 'list', section: 'rpc', key: 'corsDomains', help: "origins allowed by CORS (* for any, a * inside an origin matches any run); none by default, as geth, except on the execution profile's dev chain: *, as anvil (\"\" for none)" },
  { flag: 'ws', type: 'bool', section: 'rpc', key: 'ws', default: true, help: 'serve JSON-RPC over WebSocket (on the HTTP port unless --ws.port differs)' },
  { flag: 'ws.addr', type: 'string', section: 'rpc', key: 'wsAddr', help: 'WebSocket listening interface (with a separate --ws.port)' },
  { flag: 'ws.port', type: 'int', section: 'rpc', key: 'wsPort', min: 0, max: 65535, help: 'WebSocket port (default: the HTTP port)' },
  { flag: 'ws.api', type: 'list', section: 'rpc', key: 'wsApi', help: 'namespaces over WebSocket (default: all)' },
  { flag: 'ws.origins', type: 'list', section: 'rpc', key: 'wsOrigins', help: 'origins allowed to open a WebSocket (* for any; default: pages on localhost, and clients that send no Origin)' },
  { flag: 'rpc.gascap', type: 'bigint', section: 'rpc.limits', key: 'gasCap', help: 'gas cap of eth_call and eth_estimateGas (default 50000000)' },
  { flag: 'rpc.evmtimeout', type: 'int', section: 'rpc.limits', key: 'evmTimeoutMs', min: 1, help: 'time limit of one eth_call in ms (default 5000)' },
  { flag: 'rpc.batch-timeout', type: 'int', section: 'rpc.limits', key: 'batchTimeoutMs', min: 1, help: 'time limit of a whole batch in ms; calls not started by then answer -32000 execution timeout (default 10000)' },
  { flag: 'rpc.batch-gascap', type: 'bigint', section: 'rpc.limits', key: 'batchGasCap', help: 'EVM gas the calls of one batch may use together; later calls answer -32000 execution timeout (0: no limit; default 1000000000)' },
  { flag: 'rpc.workers', type: 'int', section: 'rpc', key: 'workers', min: 0, max: 256, help: 'worker threads running eth_call, eth_estimateGas, eth_createAccessList, eth_simulateV1, eth_callBundle and debug traces off the event loop (0: on it; default: one per core)' },
  { flag: 'rpc.batch-request-limit', type: 'int', section: 'rpc.limits', key: 'maxBatch', min: 1, help: 'calls per batch request (default 1000)' },
  { flag: 'rpc.batch-response-max-size', type: 'int', section: 'rpc.limits', key: 'maxBatchResponseBytes', min: 1, help: 'bytes of a batch response (default 25000000)' },
  { flag: 'rpc.response-max-size', type: 'int', section: 'rpc.limits', key: 'maxResponseBytes', min: 1, help: 'bytes of one response; a larger one is refused with -32003, never cut (default 134217728, 128 MiB)' },
  { flag: 'rpc.max-request-size', type: 'int', section: 'rpc.limits', key: 'maxBodyBytes', min: 1, help: 'bytes of a request body (default 5242880)' },
  { flag: 'rpc.max-blocks-per-filter', type: 'int', section: 'rpc.limits', key: 'logsMaxBlockRange', min: 1, help: 'blocks one eth_getLogs may span (default 10000)' },
  { flag: 'rpc.max-trace-filter-blocks', type: 'int', section: 'rpc.limits', key: 'traceFilterMaxBlocks', min: 1, help: 'blocks one trace_filter may replay (default 1000)' },
  { flag: 'rpc.max-logs-per-response', type: 'int', section: 'rpc.limits', key: 'logsMaxResults', min: 1, help: 'logs one eth_getLogs may return (default 10000)' },
]

/** The rpc section's flags as the server's configuration (also the statesync replica's RPC). */
export const configureRpc = (s: ConfigSections, ctx: ConfigureContext): RpcConfig => ({ ...(s.rpc as Omit<RpcConfig, 'limits' | 'log'>), limits: s['rpc.limits'] ?? {}, banner: s.node?.silent !== true, logCalls: ((s.node?.verbosity as number | undefined) ?? 3) >= 4 && s.node?.silent !== true, log: ctx.log.with({ component: 'rpc' }) })

export const serverOptions = (c: RpcConfig): ServerOptions => ({
  httpAddr: c.httpAddr,
  httpPort: c.httpPort,
  ws: c.ws,
  wsAddr: c.wsAddr,
  wsPort: c.wsPort,
  httpApi: c.httpApi,
  wsApi: c.wsApi,
  corsDomains: c.corsDomains,
  wsOrigins: c.wsOrigins,
  limits: c.limits,
  workers: c.workers ?? defaultWorkerCount(),
})

/** The chain as RPC reads it: the head's state includes the pending dev edits. */
function devChainReader(chain: Chain, latest: LatestState): ChainReader {
  const edits = latest.edits
  return {
    get spec() {
      return chain.spec
    },
    head: () => chain.head(),
    headerByNumber: (n) => chain.headerByNumber(n),
    headerByHash: (h) => chain.headerByHash(h),
    blockByHash: (h) => chain.blockByHash(h),
    canonicalHash: (n) => chain.canonicalHash(n),
    safe: () => chain.safe(),
    finalized: () => chain.finalized(),
    receipts: (h) => chain.receipts(h),
    senders: (h) => chain.senders(h),
    transactionLocation: (h) => chain.transactionLocation(h),
    stateAt(hash: Hash) {
      const view = chain.stateAt(hash)
      if (!view || !edits?.size || !equalBytes(hash, chain.headBlockHash())) return view
      const s = latest.latestState()
      return { ...view, getAccount: (a) => s.getAccount(a), getStorage: (a, k) => s.getStorage(a, k), hasStorage: (a) => s.hasStorage(a) }
    },
    onHead: (l) => chain.onHead(l),
  }
}

/** How traces (and the address index) replay a block: after its EIP-4788/2935 system calls, as import ran it. */
export const replayDeps: ReplayDeps = { prelude: systemCallPrelude }

/** The dev chain's funded accounts (the test mnemonic's ten, or anvil's --mnemonic/--accounts), unlocked. */
function devSigner(keys: readonly Hex[]): DevSigner {
  const byAddress = new Map(keys.map((k) => [bytesToHex(privateKeyToAddress(hexToBytes(k))), hexToBytes(k)]))
  const accounts = [...byAddress.keys()].map((a) => hexToBytes(a))
  return { accounts: () => accounts, privateKey: (address) => byAddress.get(bytesToHex(address)) }
}

/** anvil's start-up text: the dev accounts and their keys, the chain's parameters, the address. */
function devBanner(spec: Chain['spec'], head: { gasLimit: bigint; baseFeePerGas?: bigint }, keys: readonly Hex[], url: string): string {
  const lines = ['', 'Available Accounts', '==================']
  keys.forEach((k, i) => lines.push(`(${i}) ${toChecksumAddress(privateKeyToAddress(hexToBytes(k)))}`))
  lines.push('', 'Private Keys', '==================')
  keys.forEach((k, i) => lines.push(`(${i}) ${k}`))
  const m = spec.devOptions?.mnemonic ?? DEV_MNEMONIC
  lines.push('', 'Wallet', '==================', `Mnemonic:          ${m}`, "Derivation path:   m/44'/60'/0'/0/", '')
  lines.push('Chain ID', '==================', '', `${spec.chainId}`, '')
  lines.push('Base Fee', '==================', '', `${head.baseFeePerGas ?? 0n}`, '')
  lines.push('Gas Limit', '==================', '', `${head.gasLimit}`, '')
  lines.push(`Listening on ${url.replace(/^http:\/\//, '').replace(/\/$/, '')}`, '')
  return lines.join('\n')
}

function pluginMethods(extra: Record<string, PluginMethod> | undefined, services: Record<string, unknown>): Methods {
  const out: Methods = {}
  for (const [name, fn] of Object.entries(extra ?? {})) out[name] = (_ctx, params) => fn(Array.isArray(params) ? params : params === undefined ? [] : [params], services)
  return out
}

/** The pending block: the payload builder's template over the head, with the dev clock's attributes. */
function pendingBlock(chain: Chain, miner: DevBlockProducer): PendingBlock {
  return { nextHeader: () => nextHeaderTemplate(chain.head(), chain.spec, miner.nextAttributes(), chain.headBlockHash()).header, block: () => miner.pendingBlock() }
}

/** A state node's head as eth_callBundle reads it. */
function headState(h: RemoteHead): StateHead {
  return { header: h.header, hash: h.hash, state: accountReaderOf(h.state), blockHash: (n) => h.state.blockHash(n) }
}

/** A call passed on to the forward target: its answer, or its JSON-RPC error as ours. */
async function forwarded(fwd: Forwarder, method: string, params: unknown[]): Promise<unknown> {
  const out = await fwd.call(method, params)
  if ('error' in out) throw new RpcError(out.error.message, { code: out.error.code, data: out.error.data })
  return out.result
}

export const rpcComponent = defineComponent({
  provides: 'rpc',
  requires: ['chain'],
  optional: ['txpool', 'latest', 'miner', 'adminApi', 'rpcMethods', 'sync', 'stateDiffs', 'fork', 'addressIndex', 'bundles', 'stateNode', 'txForward', 'storage'],
  description: 'JSON-RPC 2.0 over HTTP and WebSocket: eth, net, web3, debug; txpool, dev controls, admin, mosaic (state diffs) where their services are; fork mode forwards history to the upstream',
  options: rpcOptions,
  configure: configureRpc,
  create(deps, c) {
    const { chain, txpool, latest, miner, adminApi, rpcMethods, sync, stateDiffs, fork, addressIndex, bundles, stateNode, txForward, storage } = deps
    const backend: RpcBackend = {
      chain: latest?.edits ? devChainReader(chain, latest) : chain,
      pool: txpool,
      dev: miner,
      signatures: miner?.signatures,
      signer: miner && devSigner(chain.spec.devKeys ?? DEV_PRIVATE_KEYS),
      pending: miner && pendingBlock(chain, miner),
      replay: replayDeps,
      syncing: sync && (() => sync.progress()),
      stateVersion: latest?.edits && (() => latest.edits!.version),
      stateDiffs,
      history: addressIndex,
      bundles,
      stateHead: stateNode && (() => headState(stateNode.head())),
      noState: stateNode ? undefined : c.noState,
      forward: txForward && ((m, p) => forwarded(txForward, m, p)),
      db: storage,
    }
    const local: Methods = {
      ...serviceMethods({ dev: !!miner, pool: !!txpool, stateDiffs: !!stateDiffs }),
      ...adminApi,
      ...pluginMethods(rpcMethods, Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined))),
    }
    // fork mode: blocks up to the fork block, and the state before it, are the upstream's
    // aliases last, so that hardhat_reset is fork mode's anvil_reset too
    const methods = withAliases(fork ? { ...local, anvil_reset: (_ctx: unknown, p: unknown) => anvilReset(fork, latest, p), anvil_setRpcUrl: (_ctx: unknown, p: unknown) => anvilSetRpcUrl(fork, p) } : local)
    const wrap = fork
      ? (table: Methods) => withForkForwarding(
          table,
          {
            get forkBlock() {
              return fork.current.header.number
            },
            get forkHash() {
              return fork.current.hash
            },
            call: async (m, p) => forwardCall(fork.current, m, p),
            prefetch: (accounts, slots) => fork.current.remote.prefetch(accounts.map(hexToBytes), slots.map(([a, k]) => [hexToBytes(a), BigInt(k)])),
          },
        )
      : undefined
    const server = startRpcServer(backend, { ...serverOptions(c), methods, wrap })
    c.log?.info('HTTP server started', { endpoint: server.httpUrl, ws: server.wsUrl ?? 'off' })
    // listeners cost a call each, so only when the lines would be shown
    if (c.logCalls && c.log) server.onCall((r) => c.log!.debug('RPC call', { method: r.method, ok: r.ok, ms: (r.seconds * 1000).toFixed(2) }))
    if (miner && c.banner) process.stdout.write(`${devBanner(chain.spec, chain.head(), chain.spec.devKeys ?? DEV_PRIVATE_KEYS, server.httpUrl)}\n`)
    return { service: server, stop: () => server.stop() }
  },
})
