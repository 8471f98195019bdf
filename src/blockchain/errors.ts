/** Errors of the chain itself (invalid blocks are the executor's BlockValidationError). */
import { MosaicError } from '../primitives/index.ts'

export type ChainErrorKind =
  /** The data directory was written by another layout version, or is not Mosaic's. */
  | 'INCOMPATIBLE_DATABASE'
  /** The stored genesis is not the chain spec's. */
  | 'GENESIS_MISMATCH'
  /** A block or header that is not stored. */
  | 'UNKNOWN_BLOCK'
  /** The state of a block is no longer kept. */
  | 'STATE_UNAVAILABLE'
  /** A stored entry that should exist is missing or undecodable. */
  | 'CORRUPT_DATABASE'

export class ChainError extends MosaicError {
  override name = 'ChainError'
  constructor(readonly kind: ChainErrorKind, message: string, details?: string) {
    super(`CHAIN_${kind}`, message, { details })
  }
}
