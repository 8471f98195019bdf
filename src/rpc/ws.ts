/**
 * One WebSocket connection: requests are processed in order (at most `wsMaxPendingRequests`
 * waiting, beyond that the connection is closed), responses and subscription notifications go
 * out through one `send` that watches the socket's buffered amount — a client that does not read
 * is disconnected once `wsMaxSendQueueBytes` are queued, so it can neither stall the node nor
 * grow its memory. Subscriptions end with the connection.
 */
import type { RpcContext, SubscriptionSink } from './context.ts'
import type { Dispatcher } from './dispatch.ts'

/** The part of Bun's ServerWebSocket used here (so tests can use a stand-in). */
export interface WsSocket {
  send(data: string): number
  getBufferedAmount(): number
  close(code?: number, reason?: string): void
  terminate(): void
}

export class WsConnection implements SubscriptionSink {
  private readonly subs = new Map<string, () => void>()
  /** Notifications of subscriptions whose eth_subscribe answer is not sent yet (sent after it, as geth). */
  private readonly held = new Map<string, string[]>()
  private tail: Promise<void> = Promise.resolve()
  private waiting = 0
  closed = false
  readonly ctx: RpcContext

  constructor(private readonly socket: WsSocket, private readonly dispatcher: Dispatcher, base: RpcContext) {
    this.ctx = { ...base, subscriptions: this }
  }

  /** An incoming message; processed after the ones before it. */
  receive(message: string): void {
    if (this.closed) return
    if (++this.waiting > this.ctx.limits.wsMaxPendingRequests) {
      this.socket.close(1008, 'too many pending requests')
      this.shutdown()
      return
    }
    this.tail = this.tail.then(async () => {
      try {
        if (this.closed) return
        const out = await this.dispatcher.handle(message, this.ctx)
        if (out !== undefined) this.send(out)
        this.release()
      } finally {
        this.waiting--
      }
    })
  }

  /** Sends unless the client is too far behind, in which case it is dropped. */
  send(text: string): boolean {
    if (this.closed) return false
    const r = this.socket.send(text)
    if (r === 0 || this.socket.getBufferedAmount() > this.ctx.limits.wsMaxSendQueueBytes) {
      this.socket.terminate()
      this.shutdown()
      return false
    }
    return true
  }

  notify(id: string, result: unknown): boolean {
    const text = `{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":${JSON.stringify(id)},"result":${JSON.stringify(result)}}}`
    const held = this.held.get(id)
    if (held) {
      held.push(text)
      return !this.closed
    }
    return this.send(text)
  }

  add(id: string, stop: () => void): boolean {
    if (this.closed || this.subs.size >= this.ctx.limits.wsMaxSubscriptions) return false
    this.subs.set(id, stop)
    this.held.set(id, [])
    return true
  }

  /** Sends what new subscriptions collected while their answer was on its way. */
  private release(): void {
    for (const [id, texts] of this.held) {
      this.held.delete(id)
      for (const t of texts) if (!this.send(t)) return
    }
  }

  remove(id: string): boolean {
    const stop = this.subs.get(id)
    if (!stop) return false
    this.subs.delete(id)
    this.held.delete(id)
    stop()
    return true
  }

  exposes(namespace: string): boolean {
    return this.dispatcher.exposes(namespace)
  }

  subscriptionCount(): number {
    return this.subs.size
  }

  /** The socket closed (or was dropped): ends every subscription. */
  shutdown(): void {
    if (this.closed) return
    this.closed = true
    for (const stop of this.subs.values()) stop()
    this.subs.clear()
    this.held.clear()
  }
}
