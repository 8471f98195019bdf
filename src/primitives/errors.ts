/**
 * Base error of Mosaic. Every component's errors extend it, carry a machine-readable `code`
 * (never match on message text), a short message, optional details and the cause.
 */
export class MosaicError extends Error {
  override name = 'MosaicError'
  readonly code: string
  readonly shortMessage: string
  readonly details?: string

  constructor(code: string, shortMessage: string, opts: { details?: string; cause?: unknown } = {}) {
    super(opts.details ? `${shortMessage}: ${opts.details}` : shortMessage, { cause: opts.cause })
    this.code = code
    this.shortMessage = shortMessage
    this.details = opts.details
  }

  /** Walks the cause chain, returning the first error for which `fn` holds (or the last). */
  walk(fn?: (err: unknown) => boolean): unknown {
    let err: unknown = this
    while (err instanceof Error) {
      if (fn?.(err)) return err
      if (!(err.cause instanceof Error)) return fn ? undefined : err
      err = err.cause
    }
    return fn ? undefined : err
  }
}

/** Malformed hex input. */
export class HexError extends MosaicError {
  override name = 'HexError'
  constructor(details: string) {
    super('INVALID_HEX', 'invalid hex', { details })
  }
}
