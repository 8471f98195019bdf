/**
 * p2p errors. Every error carries a machine-readable `code` and, where it ends a connection, the
 * devp2p disconnect reason to send or report (never match on message text).
 */
import { MosaicError } from '../primitives/index.ts'

/** devp2p base-protocol disconnect reasons (devp2p rlpx.md, "Disconnect (0x01)"). */
export enum DisconnectReason {
  DisconnectRequested = 0x00,
  TcpError = 0x01,
  ProtocolBreach = 0x02,
  UselessPeer = 0x03,
  TooManyPeers = 0x04,
  AlreadyConnected = 0x05,
  IncompatibleVersion = 0x06,
  InvalidIdentity = 0x07,
  ClientQuitting = 0x08,
  UnexpectedIdentity = 0x09,
  SelfConnection = 0x0a,
  PingTimeout = 0x0b,
  SubprotocolError = 0x10,
}

export type P2pErrorCode =
  | 'ECIES_INVALID' // malformed or unauthenticated ECIES message
  | 'HANDSHAKE_INVALID' // auth/ack content wrong (signature, lengths)
  | 'FRAME_MAC' // header or frame MAC mismatch
  | 'FRAME_TOO_LARGE' // frame or decompressed message above the limit
  | 'MESSAGE_INVALID' // undecodable message (RLP, snappy, wrong shape)
  | 'PROTOCOL' // message out of order or unknown id
  | 'FORKID' // EIP-2124 fork id rejected
  | 'STATUS' // eth Status mismatch
  | 'DISCV4_PACKET' // discovery packet rejected
  | 'DISCV5' // discv5 service failed to start or was misused
  | 'ENR_INVALID' // EIP-778 record rejected
  | 'TIMEOUT'
  | 'CLOSED'

export class P2pError extends MosaicError {
  override name = 'P2pError'
  declare readonly code: P2pErrorCode
  /** Disconnect reason that fits this error when it ends an RLPx session. */
  readonly reason: DisconnectReason

  constructor(
    code: P2pErrorCode,
    shortMessage: string,
    opts: { details?: string; cause?: unknown; reason?: DisconnectReason } = {},
  ) {
    super(code, shortMessage, opts)
    this.reason = opts.reason ?? DisconnectReason.ProtocolBreach
  }
}
