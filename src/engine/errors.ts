/**
 * Engine API errors (common.md, "Errors"). Each class carries its `static code`; the message is
 * the spec's text ("Invalid params"), followed by what was wrong when there is a detail, so a
 * consensus client's log says which field failed. Consensus clients match on the code only.
 *
 * The JSON-RPC ones extend src/rpc's classes, so the shared dispatcher maps them and
 * `instanceof InvalidParamsError` holds for both. Per the spec only -32000 carries `data`
 * (`{ err }`); the others have none.
 */
import {
  InternalError,
  InvalidParamsError,
  InvalidRequestError,
  MethodNotFoundError,
  ParseError,
  RpcError,
  ServerError,
} from '../rpc/index.ts'

const text = (spec: string, detail?: string) => (detail ? `${spec}: ${detail}` : spec)

/** -32700: the body is not JSON. */
export class EngineParseError extends ParseError {
  override name = 'EngineParseError'
  constructor(detail?: string) {
    super(text('Parse error', detail))
  }
}

/** -32600: not a JSON-RPC request object. */
export class EngineInvalidRequestError extends InvalidRequestError {
  override name = 'EngineInvalidRequestError'
  constructor(detail?: string) {
    super(text('Invalid Request', detail))
  }
}

/** -32601: a method this build does not serve. */
export class EngineMethodNotFoundError extends MethodNotFoundError {
  override name = 'EngineMethodNotFoundError'
}

/** -32602: a parameter or one of its fields is missing, extra, malformed or of the wrong version. */
export class EngineInvalidParamsError extends InvalidParamsError {
  override name = 'EngineInvalidParamsError'
  constructor(detail?: string) {
    super(text('Invalid params', detail))
  }
}

/** -32603. */
export class EngineInternalError extends InternalError {
  override name = 'EngineInternalError'
  constructor(detail?: string, cause?: unknown) {
    super(text('Internal error', detail), { cause })
  }
}

/** -32000: a failure outside the normal flow (storage, execution crash); `data.err` explains it. */
export class EngineServerError extends ServerError {
  override name = 'EngineServerError'
  constructor(err: string, cause?: unknown) {
    super('Server error', { data: { err }, cause })
  }
}

/** The -38xxx errors: the spec's text, then the detail. */
export class EngineError extends RpcError {
  override name = 'EngineError'
  /** The spec's message for the code (common.md). */
  static text = 'Server error'
  constructor(detail?: string) {
    super(text((new.target as typeof EngineError).text, detail))
  }
}

/** -38001: getPayload for a payloadId with no build process. */
export class UnknownPayloadError extends EngineError {
  override name = 'UnknownPayloadError'
  static override code = -38001
  static override text = 'Unknown payload'
}

/** -38002: safe or finalized not on the head's chain (paris.md, forkchoiceUpdated 5). */
export class InvalidForkchoiceStateError extends EngineError {
  override name = 'InvalidForkchoiceStateError'
  static override code = -38002
  static override text = 'Invalid forkchoice state'
}

/** -38003: payload attributes of the wrong structure or a timestamp not after the head's. */
export class InvalidPayloadAttributesError extends EngineError {
  override name = 'InvalidPayloadAttributesError'
  static override code = -38003
  static override text = 'Invalid payload attributes'
}

/** -38004: more entities requested (bodies, blobs) than this client serves in one call. */
export class TooLargeRequestError extends EngineError {
  override name = 'TooLargeRequestError'
  static override code = -38004
  static override text = 'Too large request'
}

/** -38005: the payload's timestamp is outside the forks this method version serves. */
export class UnsupportedForkError extends EngineError {
  override name = 'UnsupportedForkError'
  static override code = -38005
  static override text = 'Unsupported fork'
}

/** -38006: a reorg deeper than this client can perform. */
export class TooDeepReorgError extends EngineError {
  override name = 'TooDeepReorgError'
  static override code = -38006
  static override text = 'Too deep reorg'
}
