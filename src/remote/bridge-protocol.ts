/** The messages between the main thread (./sync-upstream.ts) and the bridge's worker (./bridge-worker.ts). */
import type { RpcCall } from './upstream.ts'

/** The shared buffer's state word. */
export const BridgeState = { Waiting: 0, Done: 1, Failed: 2 } as const
export type BridgeState = (typeof BridgeState)[keyof typeof BridgeState]

export interface BridgeRequest {
  /** Echoed with the answer: an answer to a request that timed out is not taken for the next one's. */
  seq: number
  calls: RpcCall[]
  what: string
}

/** The shared buffer: [state, length, seq] as int32, then the answer's bytes from this offset. */
export const BRIDGE_HEADER_BYTES = 16
