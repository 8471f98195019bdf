/**
 * p2p: RLPx transport (ECIES handshake, framing, base protocol), eth/68 and eth/69 message codecs
 * with EIP-2124 fork ids and request/response tracking (request ids, timeouts, in-flight cap,
 * request limits, flood protection), discv4 discovery with EIP-778 node records and enode URLs,
 * and a peer manager (limits, scoring, simultaneous-dial tie-break) fed by `dialDiscovered`.
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
export { MAX_ENR_SIZE, decodeEnr, encodeEnr, enrFromText, enrNodeId, enrPublicKey, enrToText, signEnr, verifyEnr, type Enr } from './discv4/enr.ts'
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
export { formatEnode, parseEnode } from './discv4/enode.ts'
export { dialDiscovered, type Dialer, type DialerOptions, type NodeSource } from './dialer.ts'
export { BOND_EXPIRATION_MS, startDiscv4, type Discv4, type Discv4Options, type UdpAddress } from './discv4/server.ts'
export { FAULT_PENALTY, startPeerManager, type PeerManager, type PeerManagerOptions } from './peers.ts'
