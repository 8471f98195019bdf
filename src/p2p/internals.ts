/**
 * p2p internals for tests and benchmarks: everything of index.ts, plus the RLPx transport
 * (ECIES, handshake, framing, Hello, sessions), discv4/discv5 and their tables, the peer manager,
 * dialer and discovery loop, the eth handler (`startEth`) and request bookkeeping, chain-data
 * serving, and the transaction fetcher, broadcaster and wire forms. Production code imports
 * index.ts.
 */
export * from './index.ts'
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
export { checksumToBytes, checksumUpdate, crc32, forkIdFromRlp, forkIdToRlp } from './eth/forkid.ts'
export { EARLY_QUEUE, REQUEST_TIMEOUT_PENALTY, checkStatus, startEth, type EthStartOptions } from './eth/handler.ts'
export { receiptItem, serveBodies, serveHeaders, serveReceipts } from './eth/serve.ts'
export { RESPONSE_OF, checkIncomingRequest, tokenBucket, type TokenBucket } from './eth/requests.ts'
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
export { nodeFromEnr, startDiscv5, type Discv5, type Discv5Node, type Discv5Options } from './discv5/discv5.ts'
export { startDiscoveryLoop, type DiscoveryLoop, type DiscoveryLoopOptions, type LookupSource } from './discovery-loop.ts'
export { V5_BOOTNODES } from './bootnodes.ts'
export { decodeWireTransaction, wireItem, type WireSource, type WireTransaction } from './txs/wire.ts'
export { createTxFetcher, FETCH_DEFAULTS, type FetchPeer, type TxFetcher, type TxFetcherOptions } from './txs/fetcher.ts'
export { createTxBroadcaster, MAX_BROADCAST_TX_SIZE, MAX_KNOWN_TXS, MAX_TX_PACKET_BYTES, type BroadcastPeer, type BroadcastTx, type TxBroadcaster } from './txs/broadcast.ts'
export { nodeIdHex } from './service.ts'
