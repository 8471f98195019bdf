/**
 * Feeds discovered nodes into the peer manager: every node a discovery source reports with a TCP
 * port is dialed once while there is room, failures are dropped (the node may be reported again
 * by a later lookup after `retryAfterMs`).
 *
 * Callers: the node builder, wiring discv4 (or discv5) to the peer manager.
 */
import { bytesToHex } from '../primitives/index.ts'
import type { NodeRecord } from './discv4/packet.ts'
import { ipToString } from './discv4/packet.ts'
import type { PeerManager } from './peers.ts'

/** Anything that reports discovered nodes (discv4's `onNode`). */
export interface NodeSource {
  onNode(h: (n: NodeRecord) => void): void
}

export interface DialerOptions {
  /** Dials at once (default 8). */
  maxPendingDials?: number
  /** Time before a failed node may be dialed again (default 30 s). */
  retryAfterMs?: number
}

export interface Dialer {
  /** Dials under way. */
  readonly pending: number
  /** Stops dialing new nodes (dials under way finish). */
  stop(): void
}

export function dialDiscovered(pm: PeerManager, source: NodeSource, opts: DialerOptions = {}): Dialer {
  const maxPending = opts.maxPendingDials ?? 8
  const retryAfter = opts.retryAfterMs ?? 30_000
  const failedAt = new Map<string, number>()
  const queue: NodeRecord[] = []
  let pending = 0
  let stopped = false

  const pump = () => {
    while (!stopped && pending < maxPending && queue.length) {
      const n = queue.shift()!
      const key = bytesToHex(n.id)
      if (pm.peers.has(key) || Date.now() - (failedAt.get(key) ?? -Infinity) < retryAfter) continue
      pending++
      pm.dial(ipToString(n.ip), n.tcpPort, n.id)
        .catch(() => failedAt.set(key, Date.now()))
        .finally(() => {
          pending--
          pump()
        })
    }
  }
  source.onNode((n) => {
    if (stopped || n.tcpPort === 0) return
    queue.push(n)
    pump()
  })
  return {
    get pending() {
      return pending
    },
    stop() {
      stopped = true
      queue.length = 0
    },
  }
}
