/**
 * p2p: devp2p networking for the node. The public surface is what components and RPC build on:
 *
 * - the p2p service (RLPx peer manager, discv4/discv5 discovery, static peers) and its config
 *   from geth-style flags;
 * - the admin_* / net_peerCount functions;
 * - the eth protocol: the eth/68-69 codecs with EIP-2124 fork ids, and the eth service (Status
 *   exchange following the chain head, the peer set, serving headers/bodies/receipts from an
 *   `EthChainSource`, handlers for subscribers);
 * - transaction gossip, an eth service subscriber joining the peers to a pool.
 *
 * The transport, discovery and gossip internals are in ./internals.ts, for tests.
 *
 * Who calls it: the p2p, eth and txgossip components and the admin RPC methods; nothing below
 * layer 7 imports it.
 */
export * from './errors.ts'
export {
  DEFAULT_MAX_PEERS,
  DEFAULT_P2P_PORT,
  MAX_MAX_PEERS,
  NODEKEY_FILE,
  P2P_FLAGS,
  P2pConfigError,
  loadNodeKey,
  parseP2pConfig,
  type NatConfig,
  type NodeKeySource,
  type P2pConfig,
  type P2pConfigContext,
  type P2pConfigErrorKind,
  type P2pFlags,
} from './config.ts'
export { createP2pService, type LocalNode, type P2pService, type P2pServiceOptions } from './service.ts'
export { adminAddPeer, adminNodeInfo, adminPeers, adminRemovePeer, netPeerCount, type EthProtocolInfo, type NodeInfoJson, type PeerInfoJson } from './admin.ts'
export {
  ETH68,
  ETH69,
  EthMessageId,
  decodeEthMessage,
  encodeEthMessage,
  type EthMessage,
  type EthMessageKind,
  type EthVersion,
  type HashOrNumber,
  type Status,
  type Status68,
  type Status69,
} from './eth/messages.ts'
export { ETH_LIMITS, type EthRequest, type EthRequestInput, type EthResponse } from './eth/requests.ts'
export { ethEnrEntry, forkIdOfEnrEntry } from './eth/enr-entry.ts'
export { chainStatus, statusHeadOf, type StatusHead } from './eth/chain-status.ts'
// EIP-2124 fork ids live with the chain spec (eth_config reads them too); the eth protocol's users find them here as before
export { computeForkId, forkScheduleOf, validateForkId, type ChainHead, type ForkId, type ForkIdVerdict, type ForkSchedule } from '../chainspec/index.ts'
export type { BlockRange, EthPeer } from './eth/handler.ts'
export { SERVE_LIMITS, type EthChainSource, type ServeLimits } from './eth/serve.ts'
export {
  BLOCK_RANGE_INTERVAL,
  startEthService,
  type EthHandledKind,
  type EthHandler,
  type EthPeerEvents,
  type EthService,
  type EthServiceOptions,
} from './eth/service.ts'
export { BAD_TX_PENALTY, MAX_REJECTED, startTxGossip, type TxGossip, type TxGossipOptions } from './txs/gossip.ts'
