import { MosaicError } from '../primitives/index.ts'

/** Why a crypto function refused. */
export type CryptoErrorCode =
  /** The native addon could not be loaded (not built, or built for another platform). */
  | 'NATIVE_ADDON_MISSING'
  /** A public key that is not 64 bytes (uncompressed, without the 0x04 prefix). */
  | 'INVALID_PUBLIC_KEY'
  /** c-kzg (the KZG library) or its trusted setup could not be loaded. */
  | 'KZG_UNAVAILABLE'
  /** A KZG input of the wrong size (blob, cell, commitment, proof, field element). */
  | 'KZG_INPUT'
  /** A BIP-39 mnemonic with an unknown word or a failing checksum. */
  | 'INVALID_MNEMONIC'

export class CryptoError extends MosaicError {
  override name = 'CryptoError'
  declare readonly code: CryptoErrorCode

  constructor(code: CryptoErrorCode, shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(code, shortMessage, opts)
  }
}
