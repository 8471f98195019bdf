/**
 * admin_ and net_peerCount over a p2p service (geth's shapes, from src/p2p/admin.ts):
 * admin_nodeInfo, admin_peers, admin_addPeer, admin_removePeer. Not in `allMethods()`: a profile
 * with p2p adds `adminMethods(p2p, eth)` to its table (its net_peerCount replaces the p2p-less
 * one). A bad enode URL is -32000 "invalid enode: ...", as geth answers.
 */
import { adminAddPeer, adminNodeInfo, adminPeers, adminRemovePeer, netPeerCount, P2pError, type EthProtocolInfo, type P2pService } from '../../p2p/index.ts'
import type { Methods } from '../context.ts'
import { ServerError } from '../errors.ts'
import { args } from '../params.ts'

function enodeCall(f: () => boolean): boolean {
  try {
    return f()
  } catch (e) {
    if (e instanceof P2pError && e.code === 'ENR_INVALID') throw new ServerError(`invalid enode: ${e.details ?? e.shortMessage}`, { cause: e })
    throw e
  }
}

export function adminMethods(p2p: P2pService, eth?: EthProtocolInfo): Methods {
  return {
    admin_nodeInfo: (_ctx, p) => (args(p, 0), adminNodeInfo(p2p, eth)),
    admin_peers: (_ctx, p) => (args(p, 0), adminPeers(p2p)),
    admin_addPeer: (_ctx, p) => enodeCall(() => adminAddPeer(p2p, args(p, 1, 1)[0])),
    admin_removePeer: (_ctx, p) => enodeCall(() => adminRemovePeer(p2p, args(p, 1, 1)[0])),
    net_peerCount: (_ctx, p) => (args(p, 0), netPeerCount(p2p)),
  }
}
