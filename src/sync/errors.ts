/**
 * Sync errors. A `SyncPeerError` is a peer's fault (wrong headers, bodies that do not match,
 * nothing in time): the syncer drops that peer with the error's disconnect reason and asks
 * another for the same work. A `SyncError` is about the target itself (its chain does not
 * execute, its branch cannot be reached): sync of that target stops with one log line.
 */
import { DisconnectReason } from '../p2p/index.ts'
import { MosaicError } from '../primitives/index.ts'

export type SyncPeerErrorKind =
  | 'BAD_HEADERS' // headers that do not decode, do not chain, break the header rules or are not the ones asked for
  | 'BAD_BODIES' // bodies that do not decode or match none of the headers asked for
  | 'TIMEOUT' // no response in time
  | 'USELESS' // answered nothing it claims to have, again and again

export class SyncPeerError extends MosaicError {
  override name = 'SyncPeerError'
  declare readonly code: SyncPeerErrorKind
  /** The disconnect reason the peer is dropped with. */
  readonly reason: DisconnectReason

  constructor(kind: SyncPeerErrorKind, details: string, opts: { cause?: unknown } = {}) {
    super(kind, 'peer misbehaved during sync', { details, cause: opts.cause })
    this.reason = kind === 'TIMEOUT' ? DisconnectReason.PingTimeout : kind === 'USELESS' ? DisconnectReason.UselessPeer : DisconnectReason.SubprotocolError
  }
}

export type SyncErrorKind =
  | 'INVALID_CHAIN' // a block of the target's chain failed import
  | 'UNREACHABLE' // the target's branch forks where the chain keeps no state

export class SyncError extends MosaicError {
  override name = 'SyncError'
  declare readonly code: SyncErrorKind
  constructor(kind: SyncErrorKind, details: string, opts: { cause?: unknown } = {}) {
    super(kind, 'sync target abandoned', { details, cause: opts.cause })
  }
}
