import { MosaicError } from '../primitives/index.ts'

/** Why the EVM refused a request. */
export type EvmErrorCode =
  /** A fork name the EVM does not implement (it knows paris through osaka). */
  'EVM_UNKNOWN_FORK'

export class EvmError extends MosaicError {
  override name = 'EvmError'
  declare readonly code: EvmErrorCode

  constructor(code: EvmErrorCode, shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(code, shortMessage, opts)
  }
}
