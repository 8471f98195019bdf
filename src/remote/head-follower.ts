/**
 * Following an upstream's head (the txpool profile's `--state.url`): the latest block is polled
 * every `pollMs` over HTTP, and at once on each newHeads notification when a WebSocket endpoint
 * is given (`--state.ws`); each new head comes with its own `RemoteState`, pinned at that block
 * and cached in memory only (a head's state is read for a few seconds, then replaced). A failed
 * poll keeps the last head and is reported to `onError`; the next poll tries again, so the
 * follower picks the upstream up again after it restarts.
 */
import { bytesToHex, hexToBytes, type Hash } from '../primitives/index.ts'
import type { AccountReader } from '../state/index.ts'
import type { Header } from '../types/index.ts'
import { openForkCache } from './cache.ts'
import { RemoteError } from './errors.ts'
import { headerFromJson } from './header-json.ts'
import { RemoteState } from './remote-state.ts'
import { openSyncUpstream } from './sync-upstream.ts'
import { UpstreamClient, type UpstreamOptions } from './upstream.ts'

export interface RemoteHead {
  header: Header
  hash: Hash
  state: RemoteState
}

export interface HeadFollowerOptions extends UpstreamOptions {
  /** Milliseconds between polls of the upstream's latest block (default 1000). */
  pollMs?: number
  /** Called when a poll fails (the last head stays). */
  onError?: (err: Error) => void
  /** A WebSocket endpoint of the same node: its newHeads notifications trigger a poll at once. */
  wsUrl?: string
}

export interface HeadFollower {
  readonly url: string
  readonly chainId: bigint
  head(): RemoteHead
  /** Called with each new head; returns the unsubscribe function. */
  onHead(listener: (h: RemoteHead) => void): () => void
  stop(): void
}

/** The head's state as an `AccountReader` (the pool's validation reads). */
export function accountReaderOf(state: RemoteState): AccountReader {
  return {
    getAccount: (a) => state.account(a),
    getStorage: (a, k) => state.storage(a, k),
    hasStorage: () => false,
  }
}

export async function followHead(o: HeadFollowerOptions): Promise<HeadFollower> {
  const { pollMs = 1000, onError, wsUrl, ...options } = o
  const client = new UpstreamClient(options)
  const sync = await openSyncUpstream(options)
  const chainIdHex = await client.call('eth_chainId', [], 'eth_chainId')
  if (typeof chainIdHex !== 'string') throw new RemoteError('bad-response', `upstream ${o.url} answered eth_chainId with ${JSON.stringify(chainIdHex)}`)
  const chainId = BigInt(chainIdHex)
  const fetchHead = async (): Promise<RemoteHead> => {
    const json = await client.call('eth_getBlockByNumber', ['latest', false], 'the latest block')
    const header = headerFromJson(json, o.url)
    const hash = (json as { hash: string }).hash
    const state = new RemoteState({ upstream: sync, cache: openForkCache(undefined, chainId, header.number), block: header.number, stateRoot: header.stateRoot })
    return { header, hash: hexToBytes(hash), state }
  }
  let current = await fetchHead()
  const listeners = new Set<(h: RemoteHead) => void>()
  let busy = false
  let again = false
  const poll = async (): Promise<void> => {
    if (busy) {
      again = true
      return
    }
    busy = true
    try {
      const next = await fetchHead()
      if (bytesToHex(next.hash) === bytesToHex(current.hash)) return
      current = next
      for (const l of listeners) {
        try {
          l(next)
        } catch (err) {
          onError?.(err instanceof Error ? err : new Error(String(err)))
        }
      }
    } catch (err) {
      onError?.(err instanceof Error ? err : new Error(String(err)))
    } finally {
      busy = false
      if (again) {
        again = false
        void poll()
      }
    }
  }
  const timer = setInterval(poll, pollMs)
  ;(timer as { unref?: () => void }).unref?.()
  const ws = wsUrl ? subscribeHeads(wsUrl, () => void poll(), onError) : undefined
  return {
    url: o.url,
    chainId,
    head: () => current,
    onHead(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    stop() {
      clearInterval(timer)
      ws?.close()
      sync.close()
    },
  }
}

/** eth_subscribe newHeads on `url`, re-opened with backoff when it closes; `onHead` on each notification. */
function subscribeHeads(url: string, onHead: () => void, onError?: (err: Error) => void): { close(): void } {
  let socket: WebSocket | undefined
  let closed = false
  let delay = 250
  const open = () => {
    if (closed) return
    const s = new WebSocket(url)
    socket = s
    s.onopen = () => {
      delay = 250
      s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }))
    }
    s.onmessage = (e) => {
      let m: { method?: unknown }
      try {
        m = JSON.parse(String(e.data))
      } catch {
        return
      }
      if (m.method === 'eth_subscription') onHead()
    }
    s.onclose = () => {
      if (closed) return
      onError?.(new Error(`the newHeads subscription at ${url} closed; reopening in ${delay} ms`))
      setTimeout(open, delay).unref?.()
      delay = Math.min(delay * 2, 30_000)
    }
  }
  open()
  return {
    close() {
      closed = true
      socket?.close()
    },
  }
}
