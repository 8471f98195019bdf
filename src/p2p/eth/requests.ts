/**
 * eth request/response bookkeeping (eth/66+ request ids): pending requests with per-request
 * timeouts and an in-flight cap, limits on what a peer may ask of us, and a token bucket on
 * incoming messages. Pure state; `startEth` wires it to a session.
 *
 * Callers: the eth handler.
 */
import { DisconnectReason, P2pError } from '../errors.ts'
import type { EthMessage } from './messages.ts'

/** Request limits (geth's eth protocol constants). */
export const ETH_LIMITS = {
  maxHeadersServe: 1024,
  maxBodiesServe: 1024,
  maxReceiptsServe: 1024,
  maxPooledTxsServe: 4096,
  /** Items per NewPooledTransactionHashes announcement. */
  maxTxAnnounce: 4096,
  /** Soft byte limit a responder aims for (geth's softResponseLimit). */
  softResponseBytes: 2 * 1024 * 1024,
} as const

export type EthRequest = Extract<EthMessage, { kind: 'GetBlockHeaders' | 'GetBlockBodies' | 'GetReceipts' | 'GetPooledTransactions' }>
export type EthResponse = Extract<EthMessage, { kind: 'BlockHeaders' | 'BlockBodies' | 'Receipts' | 'PooledTransactions' }>

/** A request without its id (`EthPeer.request` assigns one). */
export type EthRequestInput = EthRequest extends infer R ? (R extends EthRequest ? Omit<R, 'requestId'> : never) : never

export const RESPONSE_OF = {
  GetBlockHeaders: 'BlockHeaders',
  GetBlockBodies: 'BlockBodies',
  GetReceipts: 'Receipts',
  GetPooledTransactions: 'PooledTransactions',
} as const

const protocolError = (details: string) => new P2pError('PROTOCOL', 'eth request rule broken', { details, reason: DisconnectReason.SubprotocolError })

/** Why a request from a peer is refused (too many items asked), or null. */
export function checkIncomingRequest(m: EthMessage): P2pError | null {
  switch (m.kind) {
    case 'GetBlockHeaders':
      return m.limit > BigInt(ETH_LIMITS.maxHeadersServe) ? protocolError(`asked for ${m.limit} headers`) : null
    case 'GetBlockBodies':
      return m.hashes.length > ETH_LIMITS.maxBodiesServe ? protocolError(`asked for ${m.hashes.length} bodies`) : null
    case 'GetReceipts':
      return m.hashes.length > ETH_LIMITS.maxReceiptsServe ? protocolError(`asked for ${m.hashes.length} receipts`) : null
    case 'GetPooledTransactions':
      return m.hashes.length > ETH_LIMITS.maxPooledTxsServe ? protocolError(`asked for ${m.hashes.length} transactions`) : null
    case 'NewPooledTransactionHashes':
      return m.hashes.length > ETH_LIMITS.maxTxAnnounce ? protocolError(`announced ${m.hashes.length} hashes`) : null
    default:
      return null
  }
}

/** Number of items a request asks for (an honest response has at most this many). */
export function requestedCount(m: EthRequest): number {
  return m.kind === 'GetBlockHeaders' ? Number(m.limit) : m.hashes.length
}

export function responseCount(m: EthResponse): number {
  switch (m.kind) {
    case 'BlockHeaders':
      return m.headers.length
    case 'BlockBodies':
      return m.bodies.length
    case 'Receipts':
      return m.receipts.length
    case 'PooledTransactions':
      return m.transactions.length
  }
}

/** Token bucket: `rate` tokens per second, at most `burst` saved. */
export interface TokenBucket {
  take(now?: number): boolean
}

export function tokenBucket(rate: number, burst: number): TokenBucket {
  let tokens = burst
  let last = performance.now()
  return {
    take(now = performance.now()) {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate)
      last = now
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}
