/** The messages between the main thread (./sync-upstream.ts) and the bridge's worker (./bridge-worker.ts). */
import type { RpcCall } from './upstream.ts'

/** The shared buffer's state word. */
export const BridgeState = { Waiting: 0, Done: 1, Failed: 2 } as const
export type BridgeState = (typeof BridgeState)[keyof typeof BridgeState]

export interface BridgeRequest {
  calls: RpcCall[]
  what: string
}
