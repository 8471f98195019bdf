/**
 * The fast path of JSON-RPC over HTTP/1.1: a plain POST with a JSON content type and a
 * Content-Length body is parsed from the socket's bytes and answered directly. Bun.serve spends
 * about 16 µs of CPU per request on this machine (Request, Headers, a body promise, Response);
 * this path about 8 µs, which is most of the cost of a read such as eth_blockNumber.
 *
 * With CORS configured (./cors.ts) its headers go on these answers too; a preflight (OPTIONS)
 * is another method, answered by the full server under the same policy.
 *
 * Anything else on a connection (another method, a WebSocket upgrade, chunked bodies, `Expect`,
 * a wrong content type, an oversize or malformed head) splices the connection, from the bytes of
 * that request on, to the full server (the hono app and WebSocket on Bun.serve) listening on an
 * internal unix socket: its behaviour stays Bun.serve's, byte for byte.
 *
 * Limits: a head of at most 16 KiB, a body of at most `maxBodyBytes` (larger ones go to the full
 * server, which answers 413), one request at a time per connection (pipelined ones wait, and
 * none is read while a response is still queued), idle connections closed after `idleSeconds`.
 * A response is queued whole for a client that reads slowly (its size is bounded by the
 * dispatcher's response limits; nothing else is read meanwhile), never cut. On a spliced
 * connection the full server's bytes are read only while less than UPSTREAM_HIGH_WATER waits
 * for the client (backpressure: Bun.serve then drops a WebSocket client that stops reading);
 * `maxQueuedBytes` stays as a last bound.
 */
import type { Socket, SocketHandler, TCPSocketListener } from 'bun'
import { isJsonContentType } from './app.ts'
import { corsHeaderLines, type CorsPolicy } from './cors.ts'

export interface FastHttpOptions {
  hostname: string
  port: number
  /** The full server's unix socket, for everything the fast path does not take. */
  upstream: string
  maxBodyBytes: number
  maxQueuedBytes: number
  idleSeconds: number
  /** `--http.corsdomain`: its headers go on every answer here; preflights (OPTIONS) go to the full server. */
  cors?: CorsPolicy
  /** The response body for a request body (undefined: notifications only, an empty 200). */
  handle(body: string): string | undefined | Promise<string | undefined>
}

const MAX_HEAD = 16 * 1024
/** Spliced bytes queued for the client above which the full server's socket is paused. */
const UPSTREAM_HIGH_WATER = 1024 * 1024
const HEAD_END = Buffer.from('\r\n\r\n')

/** What a request head asks for: the fast path (body length, close after) or the full server. */
type Head = { bodyLength: number; close: boolean; origin?: string } | undefined

// The header names the fast path reads or must refuse, by length (a name of another length is skipped unread)
const NAMES_BY_LENGTH = new Map<number, string[]>()
for (const n of ['content-length', 'content-type', 'connection', 'transfer-encoding', 'expect', 'upgrade', 'origin'])
  NAMES_BY_LENGTH.set(n.length, [...(NAMES_BY_LENGTH.get(n.length) ?? []), n])

/**
 * Parses a request head (without the blank line); undefined when the full server must answer.
 * One pass over the lines without splitting: only names of a length it cares about are compared.
 */
export function parseHead(head: string, maxBodyBytes: number): Head {
  let eol = head.indexOf('\r\n')
  if (eol < 0) eol = head.length
  if (!head.startsWith('POST ')) return undefined
  // HTTP/1.0: answered, then closed (no keep-alive negotiation)
  const http10 = head.startsWith(' HTTP/1.0', eol - 9)
  if (!http10 && !head.startsWith(' HTTP/1.1', eol - 9)) return undefined
  let length = -1
  let jsonType = false
  let close = http10
  let origin: string | undefined
  for (let pos = eol + 2; pos < head.length; pos = eol + 2) {
    eol = head.indexOf('\r\n', pos)
    if (eol < 0) eol = head.length
    const colon = head.indexOf(':', pos)
    const c0 = head.charCodeAt(pos)
    // obsolete line folding or no name: let the full server judge it
    if (colon <= pos || colon > eol || c0 === 32 || c0 === 9) return undefined
    // a name with white space before the colon matches none (and a length-less POST goes to Bun.serve)
    const candidates = NAMES_BY_LENGTH.get(colon - pos)
    if (candidates === undefined) continue
    const name = head.slice(pos, colon).toLowerCase()
    if (!candidates.includes(name)) continue
    const value = head.slice(colon + 1, eol).trim()
    switch (name) {
      case 'content-length':
        if (length >= 0 || !/^\d{1,10}$/.test(value)) return undefined
        length = Number(value)
        break
      case 'content-type':
        jsonType = isJsonContentType(value)
        break
      case 'origin':
        origin = value
        break
      case 'connection': {
        const v = value.toLowerCase()
        if (v.includes('upgrade')) return undefined
        if (v.split(',').some((t) => t.trim() === 'close')) close = true
        break
      }
      default:
        // transfer-encoding, expect, upgrade
        return undefined
    }
  }
  if (!jsonType || length < 0 || length > maxBodyBytes) return undefined
  return origin === undefined ? { bodyLength: length, close } : { bodyLength: length, close, origin }
}

/** Concurrent connects to the full server at most: its unix socket's listen backlog is 512, and past it a connect fails at once (EAGAIN) rather than waiting. */
const MAX_CONNECTING = 256
/** Retries of a refused upstream connect (after 10, 20, 40, 80, 160 ms) before the client gets a 503. */
const CONNECT_RETRIES = 5
const BUSY = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\nContent-Length: 14\r\nConnection: close\r\n\r\nserver is busy'

type UpstreamHandler = SocketHandler<undefined>
type UpstreamConnect = (handler: UpstreamHandler) => Promise<Socket<undefined>>

/**
 * Connects to the full server's unix socket for a splice: at most MAX_CONNECTING at a time (the
 * rest wait their turn, so a burst of thousands of WebSocket connects does not overflow the
 * backlog), a refused connect retried with backoff; rejects after the last try.
 */
function upstreamConnector(path: string): UpstreamConnect {
  let connecting = 0
  const waiting: (() => void)[] = []
  return async (socket) => {
    if (connecting >= MAX_CONNECTING) await new Promise<void>((r) => waiting.push(r))
    connecting++
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await Bun.connect({ unix: path, socket })
        } catch (err) {
          if (attempt >= CONNECT_RETRIES) throw err
          await Bun.sleep(10 * 2 ** attempt)
        }
      }
    } finally {
      connecting--
      waiting.shift()?.()
    }
  }
}

/** One client connection: unparsed input, queued output, or the splice to the full server. */
class Connection {
  private input: Buffer[] = []
  private inputBytes = 0
  /** Bytes the current request needs before it can be handled (0: unknown yet). */
  private need = 0
  private busy = false
  private closing = false
  private output: Buffer[] = []
  private outputBytes = 0
  private upstream: Socket<undefined> | undefined
  private toUpstream: Buffer[] | undefined
  private upstreamPaused = false

  constructor(
    private readonly sock: Socket<Connection>,
    private readonly opts: FastHttpOptions,
    private readonly connect: UpstreamConnect,
  ) {}

  receive(chunk: Buffer): void {
    if (this.toUpstream !== undefined) return this.sendUpstream(chunk)
    this.input.push(chunk)
    this.inputBytes += chunk.length
    if (this.inputBytes >= this.need) this.pump()
    // more than one request's worth waiting: a client that sends without reading its answers
    if (this.inputBytes > this.opts.maxBodyBytes + MAX_HEAD) this.close()
  }

  /** Answers the buffered requests one at a time until one is incomplete or being computed. */
  private pump(): void {
    while (!this.busy && !this.closing && this.outputBytes === 0 && this.toUpstream === undefined && this.inputBytes > 0) {
      const buf = this.input.length === 1 ? this.input[0]! : Buffer.concat(this.input)
      this.input = [buf]
      const end = buf.indexOf(HEAD_END)
      if (end < 0) {
        if (buf.length > MAX_HEAD) this.splice(buf)
        this.need = 0
        return
      }
      const head = end <= MAX_HEAD ? parseHead(buf.toString('latin1', 0, end), this.opts.maxBodyBytes) : undefined
      if (!head) return this.splice(buf)
      const total = end + 4 + head.bodyLength
      if (buf.length < total) {
        this.need = total
        return
      }
      const body = buf.toString('utf8', end + 4, total)
      // the socket may reuse its read buffer: keep a copy of what follows
      const rest = buf.length > total ? Buffer.from(buf.subarray(total)) : undefined
      this.input = rest ? [rest] : []
      this.inputBytes = rest?.length ?? 0
      this.need = 0
      if (head.close) this.closing = true
      let out: string | undefined | Promise<string | undefined>
      try {
        out = this.opts.handle(body)
      } catch {
        return this.fail()
      }
      if (out instanceof Promise) {
        this.busy = true
        out.then(
          (r) => {
            this.busy = false
            this.respond(r, head)
            this.pump()
          },
          () => this.fail(),
        )
        return
      }
      this.respond(out, head)
    }
  }

  private respond(body: string | undefined, { close, origin }: NonNullable<Head>): void {
    const conn = close ? 'Connection: close\r\n' : ''
    const cors = this.opts.cors ? corsHeaderLines(this.opts.cors, origin) : ''
    const text =
      body === undefined
        ? `HTTP/1.1 200 OK\r\nContent-Length: 0\r\n${cors}${conn}\r\n`
        : `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${cors}${conn}\r\n${body}`
    this.write(text)
    if (close) this.endWhenFlushed()
  }

  /** A handler that threw past the dispatcher (it maps every error): answer 500 and close. */
  private fail(): void {
    this.busy = false
    this.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    this.closing = true
    this.endWhenFlushed()
  }

  /** Writes or queues `data`; `bounded` (spliced bytes): past `maxQueuedBytes` queued the client is dropped. */
  private write(data: string | Buffer, bounded = false): void {
    if (this.outputBytes > 0) return this.queue(typeof data === 'string' ? Buffer.from(data) : data, bounded)
    const n = this.sock.write(data)
    const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length
    if (n < length) this.queue((typeof data === 'string' ? Buffer.from(data) : data).subarray(Math.max(n, 0)), bounded)
  }

  private queue(b: Buffer, bounded: boolean): void {
    this.output.push(Buffer.from(b))
    this.outputBytes += b.length
    if (bounded && this.outputBytes > this.opts.maxQueuedBytes) this.close()
  }

  drain(): void {
    while (this.output.length > 0) {
      const b = this.output[0]!
      const n = this.sock.write(b)
      if (n < b.length) {
        this.output[0] = b.subarray(Math.max(n, 0))
        this.outputBytes -= Math.max(n, 0)
        return
      }
      this.output.shift()
      this.outputBytes -= b.length
    }
    if (this.upstreamPaused) {
      this.upstreamPaused = false
      this.upstream?.resume()
    }
    if (this.closing && !this.busy) this.sock.end()
    else this.pump()
  }

  private endWhenFlushed(): void {
    if (this.outputBytes === 0) this.sock.end()
  }

  /** Hands the connection, from `pending` on, to the full server; 503 with Retry-After when it cannot be reached. */
  private splice(pending: Buffer): void {
    this.toUpstream = [Buffer.from(pending)]
    this.input = []
    this.inputBytes = 0
    this.sock.timeout(0)
    this.connect({
      open: (up) => {
        if (this.closing) return void up.end()
        this.upstream = up
        this.flushUpstream()
      },
      data: (up, d) => {
        this.write(d, true)
        if (this.outputBytes > UPSTREAM_HIGH_WATER && !this.upstreamPaused) {
          up.pause()
          this.upstreamPaused = true
        }
      },
      drain: () => this.flushUpstream(),
      // the full server closed: pass on what it sent, then close
      close: () => this.finish(),
      error: () => this.finish(),
    }).catch(() => {
      if (this.closing) return
      this.write(BUSY)
      this.finish()
    })
  }

  private sendUpstream(chunk: Buffer): void {
    this.toUpstream!.push(Buffer.from(chunk))
    if (this.upstream) this.flushUpstream()
  }

  private flushUpstream(): void {
    const q = this.toUpstream!
    while (q.length > 0) {
      const b = q[0]!
      const n = this.upstream!.write(b)
      if (n < b.length) {
        q[0] = b.subarray(Math.max(n, 0))
        return
      }
      q.shift()
    }
  }

  private finish(): void {
    this.closing = true
    this.endWhenFlushed()
  }

  close(): void {
    this.closing = true
    this.upstream?.end()
    this.sock.end()
  }
}

export interface FastHttpServer {
  readonly port: number
  stop(): void
}

export function startFastHttp(opts: FastHttpOptions): FastHttpServer {
  const conns = new Set<Connection>()
  const connect = upstreamConnector(opts.upstream)
  const listener: TCPSocketListener<Connection> = Bun.listen<Connection>({
    hostname: opts.hostname,
    port: opts.port,
    socket: {
      open(sock) {
        sock.data = new Connection(sock, opts, connect)
        sock.timeout(opts.idleSeconds)
        conns.add(sock.data)
      },
      data: (sock, chunk) => sock.data.receive(chunk),
      drain: (sock) => sock.data.drain(),
      timeout: (sock) => sock.data.close(),
      close(sock) {
        sock.data.close()
        conns.delete(sock.data)
      },
      error: (sock) => sock.data.close(),
    },
  })
  return {
    port: listener.port,
    stop() {
      for (const c of conns) c.close()
      listener.stop(true)
    },
  }
}
