import { MosaicError } from '../primitives/index.ts'

/** Why a storage operation failed. */
export type StorageErrorCode =
  /** The database is open in this or another process (RocksDB holds a `LOCK` file). */
  | 'STORAGE_LOCKED'
  /** The files on disk are damaged or not a database. */
  | 'STORAGE_CORRUPT'
  /** Opening failed for another reason (permissions, missing directory, ...). */
  | 'STORAGE_OPEN_FAILED'
  /** The store or snapshot was closed or released. */
  | 'STORAGE_CLOSED'
  /** A key helper got input of the wrong size. */
  | 'STORAGE_INVALID_KEY'
  /** The backend reported an I/O error during a read or write. */
  | 'STORAGE_IO'

/** A failure of the storage layer; `code` says which, `details` says what to do. */
export class StorageError extends MosaicError {
  override name = 'StorageError'
  declare readonly code: StorageErrorCode

  constructor(code: StorageErrorCode, shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(code, shortMessage, opts)
  }
}
