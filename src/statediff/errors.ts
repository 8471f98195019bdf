/** Errors of the state-diff stream, its codecs and the stores. */
import { MosaicError } from '../primitives/index.ts'

export type StateDiffErrorKind =
  /** A block's change set is not stored (pruned, or another database): the consumer cannot be served from there. */
  | 'HISTORY_UNAVAILABLE'
  /** A consumer's head is a block this chain does not know, at or below the chain's head. */
  | 'UNKNOWN_HEAD'
  /** An acknowledgement above what the consumer was given. */
  | 'BAD_ACK'
  /** Bytes or JSON that are not a notification. */
  | 'MALFORMED'
  /** A diff that does not follow the store's head (a gap, or a block applied twice). */
  | 'OUT_OF_ORDER'
  /** A store file (plugin) that is not a store, or a store name nobody provides. */
  | 'BAD_STORE'
  /** A store's write failed (a store that throws, a write its server refused); the store stays at its head. */
  | 'STORE_FAILED'
  /** A store's server cannot be reached now (a lost connection, a server restarting): the store stays at its head, and the write may be retried (./stores/retry.ts). */
  | 'STORE_UNAVAILABLE'
  /** The consumer's callback threw. */
  | 'CONSUMER_FAILED'

export class StateDiffError extends MosaicError {
  override name = 'StateDiffError'
  declare readonly code: StateDiffErrorKind
  constructor(kind: StateDiffErrorKind, message: string, opts: { details?: string; cause?: unknown } = {}) {
    super(kind, message, opts)
  }
}
