/**
 * The admin_* and net_peerCount RPC methods as plain functions over the p2p service, producing
 * geth's JSON shapes (p2p/server.go NodeInfo, p2p/peer.go PeerInfo, eth/protocols/eth NodeInfo).
 * The RPC server registers them; a bad enode argument throws P2pError 'ENR_INVALID' (geth answers
 * it with error code -32000, "invalid enode: ...").
 *
 * Callers: the rpc component (admin and net namespaces).
 */
import { bytesToHex, bigintToHex } from '../primitives/index.ts'
import { formatEnode } from './discv4/enode.ts'
import { ipToBytes } from './discv4/packet.ts'
import { P2pError } from './errors.ts'
import type { Session } from './rlpx/session.ts'
import { nodeIdHex, type P2pService } from './service.ts'

/** What admin_nodeInfo shows under protocols.eth; supplied by the chain owner. */
export interface EthProtocolInfo {
  networkId: bigint
  genesisHash: Uint8Array
  /** Hash of the current head block. */
  head: () => Uint8Array
  /** The chain configuration in geth's JSON form (params.ChainConfig), when available. */
  config?: () => unknown
}

export interface NodeInfoJson {
  id: string
  name: string
  enode: string
  enr: string
  ip: string
  ports: { discovery: number; listener: number }
  listenAddr: string
  protocols: { eth?: { network: number; genesis: string; config?: unknown; head: string } }
}

export interface PeerInfoJson {
  enode: string
  id: string
  name: string
  caps: string[]
  network: { localAddress: string; remoteAddress: string; inbound: boolean; trusted: boolean; static: boolean }
  protocols: { eth?: { version: number } }
}

/** admin_nodeInfo */
export function adminNodeInfo(p2p: P2pService, eth?: EthProtocolInfo): NodeInfoJson {
  const n = p2p.localNode()
  const protocols: NodeInfoJson['protocols'] = {}
  if (eth) {
    const config = eth.config?.()
    protocols.eth = {
      network: Number(eth.networkId),
      genesis: bytesToHex(eth.genesisHash),
      ...(config !== undefined ? { config } : {}),
      head: bytesToHex(eth.head()),
    }
  }
  return {
    id: nodeIdHex(n.id),
    name: p2p.clientId,
    enode: n.enode,
    enr: n.enr,
    ip: n.ip,
    ports: { discovery: n.udpPort, listener: n.tcpPort },
    listenAddr: n.listenAddr,
    protocols,
  }
}

/** admin_peers: connected peers sorted by id, as geth sorts them. */
export function adminPeers(p2p: P2pService): PeerInfoJson[] {
  if (!p2p.running) return []
  return [...p2p.peers.peers.entries()].map(([key, s]) => peerInfo(s, p2p.staticPeers.has(key))).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function peerInfo(s: Session, isStatic: boolean): PeerInfoJson {
  const hello = s.remoteHello!
  const remote = s.remoteAddress
  const sep = remote.lastIndexOf(':')
  const host = remote.slice(0, sep).replace(/^\[|\]$/g, '')
  const port = Number(remote.slice(sep + 1))
  let enode: string
  try {
    enode = formatEnode({ id: s.remoteId!, ip: ipToBytes(host), tcpPort: port, udpPort: port })
  } catch {
    enode = `enode://${bytesToHex(s.remoteId!).slice(2)}@${remote}`
  }
  const eth = s.capability('eth')
  return {
    enode,
    id: nodeIdHex(s.remoteId!),
    name: hello.clientId,
    caps: hello.capabilities.map((c) => `${c.name}/${c.version}`).sort(),
    network: { localAddress: s.localAddress, remoteAddress: remote, inbound: !s.initiator, trusted: false, static: isStatic },
    protocols: eth ? { eth: { version: eth.version } } : {},
  }
}

function urlArg(url: unknown): string {
  if (typeof url !== 'string') throw new P2pError('ENR_INVALID', 'invalid enode', { details: 'expected an enode URL or enr: record string' })
  return url
}

/** admin_addPeer: adds a static peer (dialed now and redialed while disconnected); true on success. */
export function adminAddPeer(p2p: P2pService, url: unknown): boolean {
  p2p.addPeer(urlArg(url))
  return true
}

/** admin_removePeer: forgets a static peer and disconnects it; true on success. */
export function adminRemovePeer(p2p: P2pService, url: unknown): boolean {
  p2p.removePeer(urlArg(url))
  return true
}

/** net_peerCount: the number of connected peers as a hex quantity. */
export function netPeerCount(p2p: P2pService): string {
  return bigintToHex(p2p.running ? p2p.peers.peers.size : 0)
}
