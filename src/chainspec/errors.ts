import { MosaicError } from '../primitives/index.ts'

/** A chain spec or genesis file that cannot be used; the message names the field. */
export class ChainSpecError extends MosaicError {
  override name = 'ChainSpecError'
  constructor(details: string, opts: { cause?: unknown } = {}) {
    super('INVALID_CHAINSPEC', 'invalid chain spec', { details, cause: opts.cause })
  }
}
