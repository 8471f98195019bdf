/**
 * The `admin-api` component: the RPC namespace of a node with p2p — admin_nodeInfo, admin_peers,
 * admin_addPeer, admin_removePeer and net_peerCount (geth's shapes, src/rpc/methods/admin.ts)
 * over the p2p service and the chain's eth protocol facts. The rpc component serves it when
 * present; a profile without p2p does not link it (nor p2p).
 */
import { defineComponent } from '../../node/index.ts'
import { adminMethods, type Methods } from '../../rpc/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    adminApi: Methods
  }
}

export const adminApiComponent = defineComponent({
  name: 'admin-api',
  provides: 'adminApi',
  requires: ['p2p', 'chain'],
  description: 'admin_* and net_peerCount over p2p, for the rpc component',
  create({ p2p, chain }) {
    const eth = { networkId: chain.spec.networkId, genesisHash: chain.canonicalHash(0n)!, head: () => chain.headBlockHash() }
    return { service: adminMethods(p2p, eth) }
  },
})
