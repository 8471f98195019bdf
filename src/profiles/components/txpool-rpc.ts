/**
 * The `rpc` component of the txpool profile: JSON-RPC over the genesis-only chain, the stateless
 * pool and the p2p service — eth (eth_sendRawTransaction into the pool, whence the gossip
 * broadcasts it; eth_subscribe newPendingTransactions, full with `true`), net, web3, txpool and
 * admin (admin_nodeInfo, admin_peers, admin_addPeer, admin_removePeer, net_peerCount).
 * Same flags as the execution profile's rpc component.
 */
import { defineComponent } from '../../node/index.ts'
import { adminMethods, allMethods, startRpcServer } from '../../rpc/index.ts'
import { chainReader, pluginMethods, type RpcConfig } from './rpc.ts'

/** Namespaces served when --http.api / --ws.api are not given. */
export const TXPOOL_RPC_APIS = ['eth', 'net', 'web3', 'txpool', 'admin']

export const txpoolRpcComponent = defineComponent({
  name: 'txpool-rpc',
  provides: 'rpc',
  requires: ['chain', 'txpool', 'p2p'],
  description: 'JSON-RPC 2.0 over HTTP and WebSocket: eth, net, web3, txpool, admin',
  create({ chain, txpool, p2p }, config) {
    const c = config as unknown as RpcConfig
    const genesis = chain.canonicalHash(0n)!
    const eth = { networkId: chain.spec.networkId, genesisHash: genesis, head: () => chain.headBlockHash() }
    const server = startRpcServer(
      { chain: chainReader(chain, { state: () => chain.latestState() }), pool: txpool },
      {
        httpAddr: c.httpAddr,
        httpPort: c.httpPort,
        ws: c.ws,
        wsAddr: c.wsAddr,
        wsPort: c.wsPort,
        httpApi: c.httpApi ?? TXPOOL_RPC_APIS,
        wsApi: c.wsApi ?? TXPOOL_RPC_APIS,
        corsDomains: c.corsDomains,
        wsOrigins: c.wsOrigins,
        limits: c.limits,
        methods: { ...allMethods(), ...adminMethods(p2p, eth), ...pluginMethods(c.extraMethods, { chain, txpool, p2p }) },
      },
    )
    c.log?.info('HTTP server started', { endpoint: server.httpUrl, ws: server.wsUrl ?? 'off' })
    return { service: server, stop: () => server.stop() }
  },
})
