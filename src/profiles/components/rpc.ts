/**
 * The `rpc` component: JSON-RPC over HTTP and WebSocket (one port by default) on the chain,
 * pool and dev controls. Flags follow geth (`--http.*`, `--ws.*`, `--rpc.*`) and reth for the
 * log-query limits.
 */
import type { Blockchain } from '../../blockchain/index.ts'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../chainspec/index.ts'
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import type { DevMiner } from '../../payload/index.ts'
import { bytesToHex, equalBytes, hexToBytes, parseAddress, type Address, type Hash } from '../../primitives/index.ts'
import { applyBlockPrelude } from '../../executor/index.ts'
import { allMethods, startRpcServer, type BlockPrelude, type ChainReader, type DevSigner, type Methods, type RpcLimits, type RpcServer } from '../../rpc/index.ts'
import type { LatestState } from './latest.ts'
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
  /** Methods added by plugins. */
  extraMethods?: Record<string, PluginMethod>
  /** All services, for plugin methods. */
  services?: Record<string, unknown>
  log?: Logger
}

export const rpcOptions: OptionSpec[] = [
  { flag: 'http', type: 'bool', section: 'rpc', key: 'http', default: true, help: 'serve JSON-RPC over HTTP (the execution profile always serves it)' },
  { flag: 'http.addr', type: 'string', section: 'rpc', key: 'httpAddr', default: '127.0.0.1', help: 'HTTP listening interface' },
  { flag: 'http.port', type: 'int', section: 'rpc', key: 'httpPort', default: 8545, min: 0, max: 65535, help: 'HTTP listening port (0: any free port)' },
  { flag: 'http.api', type: 'list', section: 'rpc', key: 'httpApi', help: 'namespaces over HTTP (default: all)' },
  { flag: 'http.corsdomain', type: 'list', section: 'rpc', key: 'corsDomains', help: 'origins allowed by CORS (* for any)' },
  { flag: 'ws', type: 'bool', section: 'rpc', key: 'ws', default: true, help: 'serve JSON-RPC over WebSocket (on the HTTP port unless --ws.port differs)' },
  { flag: 'ws.addr', type: 'string', section: 'rpc', key: 'wsAddr', help: 'WebSocket listening interface (with a separate --ws.port)' },
  { flag: 'ws.port', type: 'int', section: 'rpc', key: 'wsPort', min: 0, max: 65535, help: 'WebSocket port (default: the HTTP port)' },
  { flag: 'ws.api', type: 'list', section: 'rpc', key: 'wsApi', help: 'namespaces over WebSocket (default: all)' },
  { flag: 'ws.origins', type: 'list', section: 'rpc', key: 'wsOrigins', help: 'origins allowed to open a WebSocket (* for any)' },
  { flag: 'rpc.gascap', type: 'bigint', section: 'rpc.limits', key: 'gasCap', help: 'gas cap of eth_call and eth_estimateGas (default 50000000)' },
  { flag: 'rpc.evmtimeout', type: 'int', section: 'rpc.limits', key: 'evmTimeoutMs', min: 1, help: 'time limit of one eth_call in ms (default 5000)' },
  { flag: 'rpc.batch-request-limit', type: 'int', section: 'rpc.limits', key: 'maxBatch', min: 1, help: 'calls per batch request (default 1000)' },
  { flag: 'rpc.batch-response-max-size', type: 'int', section: 'rpc.limits', key: 'maxBatchResponseBytes', min: 1, help: 'bytes of a batch response (default 25000000)' },
  { flag: 'rpc.max-request-size', type: 'int', section: 'rpc.limits', key: 'maxBodyBytes', min: 1, help: 'bytes of a request body (default 5242880)' },
  { flag: 'rpc.max-blocks-per-filter', type: 'int', section: 'rpc.limits', key: 'logsMaxBlockRange', min: 1, help: 'blocks one eth_getLogs may span (default 10000)' },
  { flag: 'rpc.max-logs-per-response', type: 'int', section: 'rpc.limits', key: 'logsMaxResults', min: 1, help: 'logs one eth_getLogs may return (default 10000)' },
]

/** The chain as RPC reads it: the head's state includes the pending dev edits. */
export function chainReader(chain: Blockchain, latest: LatestState): ChainReader {
  return {
    spec: chain.spec,
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
      if (!view || !latest.edits?.size || !equalBytes(hash, chain.headBlockHash())) return view
      const s = latest.state()
      return { ...view, getAccount: (a) => s.getAccount(a), getStorage: (a, k) => s.getStorage(a, k), hasStorage: (a) => s.hasStorage(a) }
    },
    onHead: (l) => chain.onHead(l),
  }
}

const prelude: BlockPrelude = (state, block, x) => applyBlockPrelude(state, block.header, x.fork)

/** The ten test-mnemonic accounts, unlocked. */
export const devSigner: DevSigner = {
  accounts: () => DEV_ACCOUNTS.map((a) => parseAddress(a)),
  privateKey(address: Address) {
    const i = DEV_ACCOUNTS.findIndex((a) => a.toLowerCase() === bytesToHex(address))
    return i < 0 ? undefined : hexToBytes(DEV_PRIVATE_KEYS[i]!)
  },
}

export function pluginMethods(extra: Record<string, PluginMethod> | undefined, services: Record<string, unknown>): Methods {
  const out: Methods = {}
  for (const [name, fn] of Object.entries(extra ?? {})) out[name] = (_ctx, params) => fn(Array.isArray(params) ? params : params === undefined ? [] : [params], services)
  return out
}

export const rpcComponent = defineComponent({
  provides: 'rpc',
  requires: ['chain', 'txpool', 'miner', 'latest'],
  description: 'JSON-RPC 2.0 over HTTP and WebSocket: eth, net, web3, txpool, debug, dev controls',
  create({ chain, txpool, miner, latest }, config) {
    const c = config as unknown as RpcConfig
    const dev: DevMiner = miner
    const backend = {
      chain: chainReader(chain, latest),
      pool: txpool,
      dev,
      signer: devSigner,
      pending: { nextHeader: () => dev.nextHeader() },
      // traces replay a block after its EIP-4788/2935 system calls, as import ran it
      replay: { prelude },
    }
    const server = startRpcServer(backend, {
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
      methods: { ...allMethods(), ...pluginMethods(c.extraMethods, { chain, txpool, miner, latest }) },
    })
    c.log?.info('HTTP server started', { endpoint: server.httpUrl, ws: server.wsUrl ?? 'off' })
    return { service: server, stop: () => server.stop() }
  },
})
