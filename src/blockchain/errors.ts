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

export type BlockFileErrorKind =
  /** The file ends inside a block. */
  | 'TRUNCATED'
  /** Bytes that are not an RLP block (a string where a list should be, a bad length prefix). */
  | 'MALFORMED'
  /** A block larger than the reader's limit. */
  | 'TOO_LARGE'
  /** The file cannot be read or decompressed. */
  | 'UNREADABLE'

/** A block file (concatenated RLP blocks) that cannot be framed; `offset` is where its bad block starts. */
export class BlockFileError extends MosaicError {
  override name = 'BlockFileError'
  /** The block's number when its header could still be read. */
  readonly number: bigint | undefined
  constructor(readonly kind: BlockFileErrorKind, readonly offset: number, message: string, opts: { details?: string; cause?: unknown; number?: bigint } = {}) {
    super(`BLOCK_FILE_${kind}`, message, opts)
    this.number = opts.number
  }
}

export type ImportErrorKind =
  /** The file cannot be framed into blocks (truncated, malformed, unreadable). */
  | 'BAD_FILE'
  /** A block that does not decode (bad RLP inside, a malformed transaction). */
  | 'UNDECODABLE_BLOCK'
  /** A block that fails validation or execution. */
  | 'INVALID_BLOCK'
  /** A block whose parent is not stored: the file skips blocks or is of another chain. */
  | 'UNKNOWN_PARENT'
  /** The file's genesis block is not this chain's. */
  | 'GENESIS_MISMATCH'

/** Import of a block file stopped at one block: which, where in the file, and why (`cause`). */
export class ImportError extends MosaicError {
  override name = 'ImportError'
  constructor(
    readonly kind: ImportErrorKind,
    readonly offset: number,
    readonly number: bigint | undefined,
    message: string,
    opts: { details?: string; cause?: unknown } = {},
  ) {
    super(`IMPORT_${kind}`, message, opts)
  }
}
