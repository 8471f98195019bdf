/** Why a read from the upstream failed. `kind` is for code; the message names the upstream and the key. */
import { MosaicError } from '../primitives/index.ts'

export type RemoteErrorKind =
  /** Retries ran out (connection refused, timeouts, HTTP errors, rate limits that did not ease). */
  | 'unreachable'
  /** The upstream answered something that is not the JSON-RPC it was asked for. */
  | 'bad-response'
  /** An eth_getProof answer that does not verify against the pinned block's state root. */
  | 'bad-proof'
  /** The upstream answered with a JSON-RPC error that retrying does not cure. */
  | 'rpc-error'
  /** `--offline` and the key is not in the cache. */
  | 'offline-miss'
  /** An answer larger than the bridge's buffer. */
  | 'too-large'

export class RemoteError extends MosaicError {
  override name = 'RemoteError'
  constructor(readonly kind: RemoteErrorKind, message: string, opts: { details?: string; cause?: unknown } = {}) {
    super(`REMOTE_${kind.toUpperCase().replace('-', '_')}`, message, opts)
  }
}
