/**
 * p2p: RLPx transport (ECIES handshake, framing, base protocol), eth/68 and eth/69 message codecs
 * with EIP-2124 fork ids and request/response tracking (request ids, timeouts, in-flight cap,
 * request limits, flood protection), discv4 discovery with EIP-778 node records and enode URLs,
 * discv5 through @chainsafe/discv5, a peer manager (limits, scoring, simultaneous-dial tie-break)
 * fed by `dialDiscovered`, and on top the p2p service (config from geth-style flags, discovery
 * refresh loops, static peers), its node component and the admin_* RPC functions. Transaction
 * gossip (txs/): a fetcher for announced hashes, a broadcaster of the pool's new transactions,
 * and the bridge that joins them to a transaction pool.
 *
 * Who calls it: the node's peer manager and the sync/txpool components (through the eth codecs);
 * nothing below layer 7 imports it.
 */
export * from './errors.ts'
export { ECIES_OVERHEAD, concatKdf, ecdhX, eciesDecrypt, eciesEncrypt, publicKeyOf, randomPrivateKey } from './rlpx/ecies.ts'
export {
  createAck,
  createAuth,
  createLegacyAuth,
  deriveSecrets,
  newLocalHandshake,
  readAck,
  readAuth,
  type AckInfo,
  type AuthInfo,
  type HandshakeSecrets,
  type LocalHandshake,
} from './rlpx/handshake.ts'
export { MAX_FRAME_SIZE, bodyLength, encodeFrame, newFrameCodec, readBody, readHeader, type FrameCodec } from './rlpx/frame.ts'
export {
  BASE_PROTOCOL_VERSION,
  MAX_MESSAGE_SIZE,
  P2pMessageId,
  compress,
  decodeDisconnect,
  decodeHello,
  decompress,
  encodeDisconnect,
  encodeHello,
  negotiateCapabilities,
  type Capability,
  type Hello,
  type SharedCapability,
} from './rlpx/hello.ts'
export { Session, acceptSession, dialSession, type MessageHandler, type SessionClose, type SessionOptions } from './rlpx/session.ts'
export {
  checksumToBytes,
  checksumUpdate,
  computeForkId,
  crc32,
  forkIdFromRlp,
  forkIdToRlp,
  validateForkId,
  type ChainHead,
  type ForkId,
  type ForkIdVerdict,
  type ForkSchedule,
} from './eth/forkid.ts'
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
export { REQUEST_TIMEOUT_PENALTY, checkStatus, startEth, type EthPeer, type EthStartOptions } from './eth/handler.ts'
export { ETH_LIMITS, RESPONSE_OF, checkIncomingRequest, tokenBucket, type EthRequest, type EthRequestInput, type EthResponse, type TokenBucket } from './eth/requests.ts'
export {
  MAX_PACKET_SIZE,
  PacketType,
  decodePacket,
  encodePacket,
  expirationFromNow,
  ipToBytes,
  ipToString,
  isExpired,
  type DecodedPacket,
  type Discv4Message,
  type Endpoint,
  type NodeRecord,
} from './discv4/packet.ts'
export { MAX_ENR_SIZE, decodeEnr, encodeEnr, enrFromText, enrNodeId, enrPortBytes, enrPortValue, enrPublicKey, enrToText, signEnr, verifyEnr, type Enr } from './discv4/enr.ts'
export {
  BUCKET_SIZE,
  MAX_REPLACEMENTS,
  addNode,
  closest,
  compareDistance,
  findNode,
  logDistance,
  newTable,
  removeNode,
  revalidated,
  revalidationCandidate,
  tableSize,
  type Bucket,
  type Table,
  type TableEntry,
} from './discv4/table.ts'
export { formatEnode, parseEnode, parseNodeUrl } from './discv4/enode.ts'
export { dialDiscovered, type Dialer, type DialerOptions, type NodeSource } from './dialer.ts'
export { BOND_EXPIRATION_MS, startDiscv4, type Discv4, type Discv4Options, type UdpAddress } from './discv4/server.ts'
export { FAULT_PENALTY, startPeerManager, type PeerManager, type PeerManagerOptions } from './peers.ts'
export { ethEnrEntry, forkIdOfEnrEntry } from './eth/enr-entry.ts'
export { nodeFromEnr, startDiscv5, type Discv5, type Discv5Node, type Discv5Options } from './discv5/discv5.ts'
export { startDiscoveryLoop, type DiscoveryLoop, type DiscoveryLoopOptions, type LookupSource } from './discovery-loop.ts'
export { V5_BOOTNODES } from './bootnodes.ts'
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
export { createP2pService, nodeIdHex, type LocalNode, type P2pService, type P2pServiceOptions } from './service.ts'
export { adminAddPeer, adminNodeInfo, adminPeers, adminRemovePeer, netPeerCount, type EthProtocolInfo, type NodeInfoJson, type PeerInfoJson } from './admin.ts'
export { chainStatus, forkScheduleOf, type StatusHead } from './eth/chain-status.ts'
export { decodeWireTransaction, wireItem, type WireSource, type WireTransaction } from './txs/wire.ts'
export { createTxFetcher, FETCH_DEFAULTS, type FetchPeer, type TxFetcher, type TxFetcherOptions } from './txs/fetcher.ts'
export { createTxBroadcaster, MAX_BROADCAST_TX_SIZE, MAX_KNOWN_TXS, MAX_TX_PACKET_BYTES, type BroadcastPeer, type BroadcastTx, type TxBroadcaster } from './txs/broadcast.ts'
export { BAD_TX_PENALTY, MAX_REJECTED, isBadTransaction, startTxGossip, type TxGossip, type TxGossipOptions } from './txs/gossip.ts'
