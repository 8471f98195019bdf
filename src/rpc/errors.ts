/**
 * JSON-RPC errors. Each class carries its `static code` (and the instance's `code`); handlers
 * throw them and the dispatcher turns them into `{ code, message, data? }`. Codes follow JSON-RPC
 * 2.0 and geth: -32700 parse, -32600 invalid request, -32601 method not found, -32602 invalid
 * params, -32603 internal, -32000 server errors (geth's default), -32002 timeout, -32003
 * response too large, -32005 limit exceeded, 3 execution reverted (data = revert bytes).
 * Messages are geth's texts where geth has one; nothing matches on them.
 */
import { bytesToHex, bytesToUtf8, MosaicError } from '../primitives/index.ts'

export class RpcError extends MosaicError {
  override name = 'RpcError'
  static code = -32000
  readonly rpcCode: number
  readonly data?: unknown

  constructor(message: string, opts: { data?: unknown; cause?: unknown; code?: number } = {}) {
    super('RPC_ERROR', message, { cause: opts.cause })
    this.rpcCode = opts.code ?? (this.constructor as typeof RpcError).code
    this.data = opts.data
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined ? { code: this.rpcCode, message: this.message } : { code: this.rpcCode, message: this.message, data: this.data }
  }
}

export class ParseError extends RpcError {
  override name = 'ParseError'
  static override code = -32700
}

export class InvalidRequestError extends RpcError {
  override name = 'InvalidRequestError'
  static override code = -32600
}

export class MethodNotFoundError extends RpcError {
  override name = 'MethodNotFoundError'
  static override code = -32601
  constructor(method: string) {
    super(`the method ${method} does not exist/is not available`)
  }
}

export class InvalidParamsError extends RpcError {
  override name = 'InvalidParamsError'
  static override code = -32602
}

export class InternalError extends RpcError {
  override name = 'InternalError'
  static override code = -32603
}

/** geth's default code for server-side failures (nonce too low, header not found, ...). */
export class ServerError extends RpcError {
  override name = 'ServerError'
  static override code = -32000
}

export class TimeoutError extends RpcError {
  override name = 'TimeoutError'
  static override code = -32002
}

export class ResponseTooLargeError extends RpcError {
  override name = 'ResponseTooLargeError'
  static override code = -32003
  constructor(message = 'response too large') {
    super(message)
  }
}

/** A configured limit was hit (block range, result count, filters...). */
export class LimitExceededError extends RpcError {
  override name = 'LimitExceededError'
  static override code = -32005
}

/** The requested feature exists in the spec but not here; the message says what instead. */
export class UnsupportedError extends RpcError {
  override name = 'UnsupportedError'
  static override code = -32601
}

/** Dev-mode method on a node without dev controls, or an account the node cannot sign for. */
export class UnauthorizedError extends RpcError {
  override name = 'UnauthorizedError'
  static override code = -32000
}

const ERROR_SELECTOR = '08c379a0' // Error(string)
const PANIC_SELECTOR = '4e487b71' // Panic(uint256)

/** Solidity's panic codes, as geth (and ethers) name them. */
const PANIC_REASONS: Record<number, string> = {
  0x00: 'generic panic',
  0x01: 'assert(false)',
  0x11: 'arithmetic underflow or overflow',
  0x12: 'division or modulo by zero',
  0x21: 'enum overflow',
  0x22: 'invalid encoded storage byte array accessed',
  0x31: 'out-of-bounds array access; popping on an empty array',
  0x32: 'out-of-bounds access of an array or bytesN',
  0x41: 'out of memory',
  0x51: 'uninitialized function',
}

/** The reason in `Error(string)` or `Panic(uint256)` revert data, or undefined. */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined
  const sel = bytesToHex(data.subarray(0, 4)).slice(2)
  const word = (at: number): bigint | undefined => {
    if (data.length < at + 32) return undefined
    let n = 0n
    for (let i = at; i < at + 32; i++) n = (n << 8n) | BigInt(data[i]!)
    return n
  }
  if (sel === PANIC_SELECTOR) {
    const code = word(4)
    if (code === undefined) return undefined
    return PANIC_REASONS[Number(code)] !== undefined && code < 256n ? PANIC_REASONS[Number(code)] : `unknown panic code: 0x${code.toString(16)}`
  }
  if (sel !== ERROR_SELECTOR) return undefined
  const offset = word(4)
  if (offset === undefined || offset > BigInt(data.length)) return undefined
  const lenAt = 4 + Number(offset)
  const len = word(lenAt)
  if (len === undefined || BigInt(lenAt + 32) + len > BigInt(data.length)) return undefined
  return bytesToUtf8(data.subarray(lenAt + 32, lenAt + 32 + Number(len)))
}

/** EVM revert: code 3, data = the revert bytes, message with the decoded reason when there is one. */
export class ExecutionRevertedError extends RpcError {
  override name = 'ExecutionRevertedError'
  static override code = 3
  readonly output: Uint8Array
  constructor(output: Uint8Array) {
    const reason = decodeRevertReason(output)
    super(reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`, { data: bytesToHex(output) })
    this.output = output
  }
}

/** What the dispatcher answers for a thrown value: an RpcError keeps its code, anything else is -32603. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err
  if (err instanceof MosaicError) return new InternalError(err.message, { cause: err })
  return new InternalError(`internal error: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
