/**
 * An RLPx session over one TCP socket: the auth/ack handshake, framing, the base protocol
 * (Hello, Disconnect, Ping/Pong, snappy) and dispatch of capability messages by id offset.
 *
 * Consumers (peer manager, eth handler) create one with `dialSession` or `acceptSession`, wait on
 * `ready` (the remote Hello), `send` capability messages and receive them through `onMessage`.
 * Any protocol fault ends the session with a Disconnect carrying the matching reason.
 */
import { connect as netConnect, type Socket } from 'node:net'
import { concatBytes, decodeRlpHeader, encodeRlp, equalBytes } from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import { publicKeyOf } from './ecies.ts'
import {
  LEGACY_ACK_SIZE,
  LEGACY_AUTH_SIZE,
  MAX_HANDSHAKE_SIZE,
  createAck,
  createAuth,
  deriveSecrets,
  newLocalHandshake,
  readAck,
  readAuth,
  type LocalHandshake,
} from './handshake.ts'
import { FRAME_HEADER_SIZE, MAX_FRAME_SIZE, bodyLength, encodeFrame, newFrameCodec, readBody, readHeader, type FrameCodec } from './frame.ts'
import {
  BASE_PROTOCOL_VERSION,
  MAX_MESSAGE_SIZE,
  P2pMessageId,
  compress,
  decodeDisconnect,
  decodeHello,
  decompress,
  encodeDisconnect,
  encodeHello,
  negotiateCapabilities,
  type Capability,
  type Hello,
  type SharedCapability,
} from './hello.ts'

export interface SessionOptions {
  privateKey: Uint8Array
  clientId: string
  capabilities: Capability[]
  listenPort: number
  /** Largest frame accepted or sent (default 2^24 - 1). */
  maxFrameSize?: number
  /** Largest decompressed message (default 16 MiB). */
  maxMessageSize?: number
  /** Time allowed from connect until the remote Hello (default 10 s). */
  handshakeTimeoutMs?: number
  /** Ping period once ready; 0 disables (default 15 s). Two missed pongs end the session. */
  pingIntervalMs?: number
  /**
   * Bytes allowed to wait in the socket's send buffer (default 8 MiB). Above it, droppable messages
   * are dropped and any other send ends the session with TcpError: the remote does not read.
   */
  maxSendBufferBytes?: number
}

export interface SessionClose {
  reason: DisconnectReason
  /** True when the remote sent the Disconnect (or dropped the connection). */
  remote: boolean
  error?: P2pError
}

export type MessageHandler = (cap: SharedCapability, code: number, payload: Uint8Array) => void

type State = 'auth' | 'ack' | 'header' | 'body' | 'closed'

export class Session {
  readonly initiator: boolean
  readonly localId: Uint8Array
  remoteId: Uint8Array | null
  remoteHello: Hello | null = null
  shared: SharedCapability[] = []
  /** Resolves with the remote Hello; rejects when the session closes first. */
  readonly ready: Promise<Hello>
  /** Resolves once when the session ends. */
  readonly closed: Promise<SessionClose>

  private readonly socket: Socket
  private readonly opts: SessionOptions
  private readonly local: LocalHandshake
  private state: State
  private buf: Uint8Array = new Uint8Array(0)
  private codec: FrameCodec | null = null
  private frameSize = 0
  private authMsg: Uint8Array | null = null
  private snappy = false
  private handlers: MessageHandler[] = []
  private queued: [SharedCapability, number, Uint8Array][] = []
  private resolveReady!: (h: Hello) => void
  private rejectReady!: (e: unknown) => void
  private resolveClosed!: (c: SessionClose) => void
  private timers: ReturnType<typeof setTimeout>[] = []
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private pingsOutstanding = 0
  private closeInfo: SessionClose | null = null

  constructor(socket: Socket, opts: SessionOptions, remoteId: Uint8Array | null) {
    this.socket = socket
    this.opts = opts
    this.initiator = remoteId !== null
    this.remoteId = remoteId
    this.localId = publicKeyOf(opts.privateKey)
    this.local = newLocalHandshake(opts.privateKey)
    this.state = this.initiator ? 'ack' : 'auth'
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res
      this.rejectReady = rej
    })
    this.ready.catch(() => {}) // observed through `closed` when nobody awaits it
    this.closed = new Promise((res) => (this.resolveClosed = res))
    const t = setTimeout(() => this.fail(new P2pError('TIMEOUT', 'handshake timeout', { reason: DisconnectReason.PingTimeout })), opts.handshakeTimeoutMs ?? 10_000)
    this.timers.push(t)
    socket.on('data', (d: Uint8Array) => this.onData(d))
    socket.on('error', () => this.finish({ reason: DisconnectReason.TcpError, remote: true }))
    socket.on('close', () => this.finish({ reason: DisconnectReason.TcpError, remote: true }))
    if (this.initiator) {
      const start = () => {
        try {
          this.authMsg = createAuth(this.local, remoteId!)
          socket.write(this.authMsg)
        } catch (err) {
          this.fail(err) // e.g. a remote id that is not a curve point
        }
      }
      if ((socket as { connecting?: boolean }).connecting) socket.once('connect', start)
      else start()
    }
  }

  /**
   * Registers a handler for capability messages (payload is decompressed RLP). Messages that
   * arrive before the first handler is registered are queued (up to 64) and delivered to it.
   */
  onMessage(h: MessageHandler): void {
    this.handlers.push(h)
    const queued = this.queued
    this.queued = []
    for (const [cap, code, body] of queued) h(cap, code, body)
  }

  /** The negotiated capability of that name, if any. */
  capability(name: string): SharedCapability | undefined {
    return this.shared.find((c) => c.name === name)
  }

  /**
   * Sends a capability message: `code` is relative to the capability, `payload` its RLP. Returns
   * false when the message was not sent: `droppable` (e.g. a tx announcement) and the send buffer
   * is full, or the send buffer is full and the session was ended for it (back-pressure).
   */
  send(capName: string, code: number, payload: Uint8Array, opts: { droppable?: boolean } = {}): boolean {
    const cap = this.capability(capName)
    if (!cap) throw new P2pError('PROTOCOL', 'capability not negotiated', { details: capName })
    if (code >= cap.length) throw new P2pError('PROTOCOL', 'message code out of range', { details: `${capName} ${code}` })
    if (this.socket.writableLength > (this.opts.maxSendBufferBytes ?? 8 * 1024 * 1024)) {
      if (opts.droppable) return false
      this.fail(new P2pError('TIMEOUT', 'remote does not read', { details: `${this.socket.writableLength} bytes queued`, reason: DisconnectReason.TcpError }))
      return false
    }
    this.sendRaw(cap.offset + code, payload)
    return true
  }

  /** Bytes waiting in the socket's send buffer. */
  get sendBufferBytes(): number {
    return this.socket.writableLength
  }

  /** Remote TCP endpoint as `ip:port` (`[ip]:port` for IPv6), as geth's admin_peers shows it. */
  get remoteAddress(): string {
    return formatHostPort(this.socket.remoteAddress, this.socket.remotePort)
  }

  /** Local TCP endpoint as `ip:port`. */
  get localAddress(): string {
    return formatHostPort(this.socket.localAddress, this.socket.localPort)
  }

  /**
   * Sends Disconnect with `reason` and closes the socket shortly after. `error`, when given, is the
   * fault that made a subprotocol end the session; it is reported on `closed`.
   */
  disconnect(reason: DisconnectReason = DisconnectReason.DisconnectRequested, error?: P2pError): void {
    if (this.state === 'closed') return
    if (this.codec) {
      try {
        this.sendRaw(P2pMessageId.Disconnect, encodeDisconnect(reason))
      } catch {}
    }
    this.finish(error ? { reason, remote: false, error } : { reason, remote: false })
  }

  private sendRaw(id: number, payload: Uint8Array): void {
    if (this.state === 'closed' || !this.codec) throw new P2pError('CLOSED', 'session not open')
    const body = this.snappy && id !== P2pMessageId.Hello ? compress(payload) : payload
    this.socket.write(encodeFrame(this.codec, concatBytes(encodeRlp(id), body)))
  }

  private fail(err: unknown): void {
    const e = err instanceof P2pError ? err : new P2pError('MESSAGE_INVALID', 'protocol fault', { cause: err })
    if (this.state === 'closed') return
    if (this.codec) {
      try {
        this.sendRaw(P2pMessageId.Disconnect, encodeDisconnect(e.reason))
      } catch {}
    }
    this.finish({ reason: e.reason, remote: false, error: e })
  }

  private finish(c: SessionClose): void {
    if (this.closeInfo) return
    this.closeInfo = c
    this.state = 'closed'
    for (const t of this.timers) clearTimeout(t)
    if (this.pingTimer) clearInterval(this.pingTimer)
    // give a queued Disconnect a moment to flush, then drop the socket
    this.socket.end()
    const t = setTimeout(() => this.socket.destroy(), 200)
    ;(t as { unref?: () => void }).unref?.()
    this.rejectReady(c.error ?? new P2pError('CLOSED', 'session closed', { reason: c.reason }))
    this.resolveClosed(c)
  }

  private onData(d: Uint8Array): void {
    if (this.state === 'closed') return
    this.buf = this.buf.length ? concatBytes(this.buf, d) : new Uint8Array(d)
    try {
      while ((this.state as State) !== 'closed' && this.step()) {}
    } catch (err) {
      this.fail(err)
    }
  }

  /** Consumes one unit from the buffer; false when more bytes are needed. */
  private step(): boolean {
    switch (this.state) {
      case 'auth':
      case 'ack':
        return this.stepHandshake()
      case 'header': {
        if (this.buf.length < FRAME_HEADER_SIZE) return false
        this.frameSize = readHeader(this.codec!, this.buf.subarray(0, FRAME_HEADER_SIZE))
        this.buf = this.buf.subarray(FRAME_HEADER_SIZE)
        this.state = 'body'
        return true
      }
      case 'body': {
        const n = bodyLength(this.frameSize)
        if (this.buf.length < n) return false
        const data = readBody(this.codec!, this.buf.subarray(0, n), this.frameSize)
        this.buf = this.buf.subarray(n)
        this.state = 'header'
        this.onFrame(data)
        return true
      }
      default:
        return false
    }
  }

  private stepHandshake(): boolean {
    const auth = this.state === 'auth'
    const legacy = auth ? LEGACY_AUTH_SIZE : LEGACY_ACK_SIZE
    if (this.buf.length < 2) return false
    let msg: Uint8Array | null = null
    let info: ReturnType<typeof readAuth> | ReturnType<typeof readAck> | null = null
    // A leading 0x04 is a legacy message when it decrypts as one; otherwise an EIP-8 size prefix.
    if (this.buf[0] === 0x04) {
      if (this.buf.length < legacy) return false
      try {
        msg = this.buf.slice(0, legacy)
        info = auth ? readAuth(this.opts.privateKey, msg) : readAck(this.opts.privateKey, msg)
      } catch {
        msg = null
      }
    }
    if (!info) {
      const size = ((this.buf[0]! << 8) | this.buf[1]!) + 2
      if (size > MAX_HANDSHAKE_SIZE) throw new P2pError('HANDSHAKE_INVALID', 'handshake message too large')
      if (this.buf.length < size) return false
      msg = this.buf.slice(0, size)
      info = auth ? readAuth(this.opts.privateKey, msg) : readAck(this.opts.privateKey, msg)
    }
    this.buf = this.buf.subarray(msg!.length)
    if (auth) {
      const a = info as ReturnType<typeof readAuth>
      this.remoteId = a.remoteId
      const ack = createAck(this.local, a)
      const secrets = deriveSecrets({
        initiator: false,
        ephemeralKey: this.local.ephemeralKey,
        remoteEphemeralId: a.remoteEphemeralId,
        initiatorNonce: a.remoteNonce,
        recipientNonce: this.local.nonce,
        auth: msg!,
        ack,
      })
      this.socket.write(ack)
      this.codec = newFrameCodec(secrets, this.opts.maxFrameSize ?? MAX_FRAME_SIZE)
    } else {
      const a = info as ReturnType<typeof readAck>
      const secrets = deriveSecrets({
        initiator: true,
        ephemeralKey: this.local.ephemeralKey,
        remoteEphemeralId: a.remoteEphemeralId,
        initiatorNonce: this.local.nonce,
        recipientNonce: a.remoteNonce,
        auth: this.authMsg!,
        ack: msg!,
      })
      this.codec = newFrameCodec(secrets, this.opts.maxFrameSize ?? MAX_FRAME_SIZE)
    }
    this.state = 'header'
    this.sendRaw(
      P2pMessageId.Hello,
      encodeHello({
        protocolVersion: BASE_PROTOCOL_VERSION,
        clientId: this.opts.clientId,
        capabilities: this.opts.capabilities.map((c) => ({ name: c.name, version: c.version })),
        listenPort: this.opts.listenPort,
        nodeId: this.localId,
      }),
    )
    return true
  }

  private onFrame(data: Uint8Array): void {
    let id: number
    let payload: Uint8Array
    try {
      const h = decodeRlpHeader(data, 0, data.length)
      if (h.list || h.length > 4) throw new P2pError('MESSAGE_INVALID', 'message id must be a small integer')
      const idBytes = data.subarray(h.start, h.start + h.length)
      id = idBytes.reduce((acc, b) => acc * 256 + b, 0)
      payload = data.subarray(h.start + h.length)
    } catch (cause) {
      throw new P2pError('MESSAGE_INVALID', 'bad message id', { cause })
    }
    if (!this.remoteHello) {
      if (id === P2pMessageId.Disconnect) return this.onDisconnect(payload)
      if (id !== P2pMessageId.Hello) throw new P2pError('PROTOCOL', 'message before hello')
      return this.onHello(payload)
    }
    if (id === P2pMessageId.Disconnect) return this.onDisconnect(payload)
    const body = this.snappy ? decompress(payload, this.opts.maxMessageSize ?? MAX_MESSAGE_SIZE) : payload
    if (id === P2pMessageId.Hello) throw new P2pError('PROTOCOL', 'second hello')
    if (id === P2pMessageId.Ping) return this.sendRaw(P2pMessageId.Pong, encodeRlp([]))
    if (id === P2pMessageId.Pong) {
      this.pingsOutstanding = 0
      return
    }
    if (id < 0x10) return // reserved base-protocol ids: ignore
    const cap = this.shared.find((c) => id >= c.offset && id < c.offset + c.length)
    if (!cap) throw new P2pError('PROTOCOL', 'message id outside negotiated capabilities', { details: String(id) })
    if (this.handlers.length === 0) {
      if (this.queued.length >= 64) throw new P2pError('PROTOCOL', 'too many unhandled messages', { reason: DisconnectReason.SubprotocolError })
      this.queued.push([cap, id - cap.offset, body])
      return
    }
    for (const h of this.handlers) h(cap, id - cap.offset, body)
  }

  private onHello(payload: Uint8Array): void {
    const hello = decodeHello(payload)
    if (equalBytes(hello.nodeId, this.localId)) throw new P2pError('PROTOCOL', 'connected to self', { reason: DisconnectReason.SelfConnection })
    if (this.remoteId && !equalBytes(hello.nodeId, this.remoteId))
      throw new P2pError('PROTOCOL', 'hello node id differs from handshake key', { reason: DisconnectReason.UnexpectedIdentity })
    this.remoteHello = hello
    this.snappy = hello.protocolVersion >= 5
    this.shared = negotiateCapabilities(this.opts.capabilities, hello.capabilities)
    if (this.shared.length === 0) throw new P2pError('PROTOCOL', 'no shared capability', { reason: DisconnectReason.UselessPeer })
    for (const t of this.timers) clearTimeout(t)
    this.timers = []
    const period = this.opts.pingIntervalMs ?? 15_000
    if (period > 0) {
      this.pingTimer = setInterval(() => {
        if (this.pingsOutstanding >= 2) return this.fail(new P2pError('TIMEOUT', 'ping timeout', { reason: DisconnectReason.PingTimeout }))
        this.pingsOutstanding++
        try {
          this.sendRaw(P2pMessageId.Ping, encodeRlp([]))
        } catch {}
      }, period)
      ;(this.pingTimer as { unref?: () => void }).unref?.()
    }
    this.resolveReady(hello)
  }

  private onDisconnect(payload: Uint8Array): void {
    let reason = DisconnectReason.DisconnectRequested
    // geth compresses Disconnect, ethereumjs does not: try both.
    for (const candidate of this.snappy ? [() => decompress(payload, 1024), () => payload] : [() => payload]) {
      try {
        reason = decodeDisconnect(candidate())
        break
      } catch {}
    }
    this.finish({ reason, remote: true })
  }
}

/** Dials `host:port` and runs the initiator side of the handshake with the node `remoteId` (64 bytes). */
export function dialSession(host: string, port: number, remoteId: Uint8Array, opts: SessionOptions): Session {
  const socket = netConnect({ host, port })
  return new Session(socket, opts, remoteId)
}

/** Runs the recipient side on an accepted socket. */
export function acceptSession(socket: Socket, opts: SessionOptions): Session {
  return new Session(socket, opts, null)
}

function formatHostPort(host: string | undefined, port: number | undefined): string {
  const h = (host ?? '').replace(/^::ffff:/, '')
  return `${h.includes(':') ? `[${h}]` : h}:${port ?? 0}`
}
