/**
 * EIP-7685 (Prague) execution requests: a type byte followed by opaque data (EIP-6110 deposits,
 * EIP-7002 withdrawals, EIP-7251 consolidations). The header commits to them through
 * requestsHash = sha256(sha256(r_0) ++ sha256(r_1) ++ ...), over requests with non-empty data.
 */
import { sha256 } from '../crypto/index.ts'
import { concatBytes, hexToBytes, MosaicError, type Hash } from '../primitives/index.ts'

export const DEPOSIT_REQUEST_TYPE = 0x00
export const WITHDRAWAL_REQUEST_TYPE = 0x01
export const CONSOLIDATION_REQUEST_TYPE = 0x02

/** sha256 of nothing: the requests hash of a block without requests. */
export const EMPTY_REQUESTS_HASH: Hash = hexToBytes('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')

export interface ExecutionRequest {
  type: number
  data: Uint8Array
}

/** `type || data`, as the Engine API's `executionRequests` carries each one. */
export function encodeRequest(r: ExecutionRequest): Uint8Array {
  return concatBytes(Uint8Array.of(r.type), r.data)
}

export function decodeRequest(bytes: Uint8Array): ExecutionRequest {
  if (bytes.length === 0) throw new MosaicError('INVALID_REQUEST', 'invalid execution request', { details: 'empty: a request starts with its type byte' })
  return { type: bytes[0]!, data: bytes.subarray(1) }
}

/** The header's requestsHash over encoded requests (type || data), in type order. */
export function computeRequestsHash(requests: readonly Uint8Array[]): Hash {
  const parts: Uint8Array[] = []
  for (const r of requests) if (r.length > 1) parts.push(sha256(r))
  return sha256(concatBytes(...parts))
}
