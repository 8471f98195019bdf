/**
 * Malformed input on a live loopback session: the Mosaic side must end the session with the
 * right error and disconnect reason and never crash. A hand-driven "raw" initiator built from the
 * public handshake and frame functions injects the faults.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { connect, createServer, type Socket } from 'node:net'
import { concatBytes, encodeRlp } from '../../src/primitives/index.ts'
import {
  DisconnectReason,
  ETH68,
  acceptSession,
  compress,
  computeForkId,
  createAuth,
  createLegacyAuth,
  decodeDisconnect,
  decompress,
  deriveSecrets,
  encodeFrame,
  encodeHello,
  newFrameCodec,
  newLocalHandshake,
  publicKeyOf,
  randomPrivateKey,
  readAck,
  readBody,
  readHeader,
  bodyLength,
  startEth,
  type FrameCodec,
  type Session,
  type SessionClose,
  type SessionOptions,
} from '../../src/p2p/internals.ts'
import { withTimeout } from './helpers.ts'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

async function mosaicServer(extra: Partial<SessionOptions> = {}) {
  const privateKey = randomPrivateKey()
  const o: SessionOptions = { privateKey, clientId: 'mosaic/test', capabilities: [ETH68], listenPort: 0, pingIntervalMs: 0, handshakeTimeoutMs: 3000, ...extra }
  let resolveS!: (s: Session) => void
  const session = new Promise<Session>((r) => (resolveS = r))
  const server = createServer((sock: Socket) => resolveS(acceptSession(sock, o)))
  cleanups.push(() => server.close())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return { id: publicKeyOf(privateKey), port: (server.address() as { port: number }).port, session }
}

/** A raw initiator: performs the handshake, then sends arbitrary frames and collects the replies. */
async function rawPeer(port: number, remoteId: Uint8Array) {
  const privateKey = randomPrivateKey()
  const local = newLocalHandshake(privateKey)
  const socket = connect({ host: '127.0.0.1', port })
  cleanups.push(() => socket.destroy())
  await new Promise<void>((r) => socket.once('connect', () => r()))
  const auth = createAuth(local, remoteId)
  socket.write(auth)
  let buf: Uint8Array = new Uint8Array(0)
  let codec: FrameCodec | null = null
  let frameSize = -1
  const frames: Uint8Array[] = []
  const closed = new Promise<void>((r) => socket.once('close', () => r()))
  let onCodec!: () => void
  const ready = new Promise<void>((r) => (onCodec = r))
  socket.on('data', (d: Uint8Array) => {
    buf = concatBytes(buf, d)
    for (;;) {
      if (!codec) {
        if (buf.length < 2) return
        const size = ((buf[0]! << 8) | buf[1]!) + 2
        if (buf.length < size) return
        const ack = buf.slice(0, size)
        buf = buf.subarray(size)
        const info = readAck(privateKey, ack)
        codec = newFrameCodec(
          deriveSecrets({ initiator: true, ephemeralKey: local.ephemeralKey, remoteEphemeralId: info.remoteEphemeralId, initiatorNonce: local.nonce, recipientNonce: info.remoteNonce, auth, ack }),
        )
        onCodec()
      } else if (frameSize < 0) {
        if (buf.length < 32) return
        frameSize = readHeader(codec, buf.subarray(0, 32))
        buf = buf.subarray(32)
      } else {
        const n = bodyLength(frameSize)
        if (buf.length < n) return
        frames.push(readBody(codec, buf.subarray(0, n), frameSize))
        buf = buf.subarray(n)
        frameSize = -1
      }
    }
  })
  await withTimeout(ready, 3000, 'raw handshake')
  return {
    socket,
    codec: codec!,
    frames,
    closed,
    localId: publicKeyOf(privateKey),
    sendFrame(data: Uint8Array) {
      socket.write(encodeFrame(codec!, data))
    },
    hello() {
      const h = encodeHello({ protocolVersion: 5, clientId: 'raw', capabilities: [{ name: 'eth', version: 68 }], listenPort: 0, nodeId: publicKeyOf(privateKey) })
      socket.write(encodeFrame(codec!, concatBytes(encodeRlp(0), h)))
    },
    /** The reason of the Disconnect frame we received, if any. */
    disconnectReason(): DisconnectReason | undefined {
      for (const f of frames) {
        if (f[0] !== 0x01) continue
        const p = f.subarray(1)
        try {
          return decodeDisconnect(decompress(p))
        } catch {
          return decodeDisconnect(p)
        }
      }
      return undefined
    },
  }
}

async function closeOf(s: Promise<Session>): Promise<SessionClose> {
  return withTimeout((await withTimeout(s, 3000, 'session')).closed, 4000, 'session close')
}

describe('legacy (pre-EIP-8) handshake', () => {
  test('a legacy auth is accepted and answered with a legacy ack; Hello follows', async () => {
    const srv = await mosaicServer()
    const privateKey = randomPrivateKey()
    const local = newLocalHandshake(privateKey)
    const socket = connect({ host: '127.0.0.1', port: srv.port })
    cleanups.push(() => socket.destroy())
    await new Promise<void>((r) => socket.once('connect', () => r()))
    const auth = createLegacyAuth(local, srv.id)
    expect(auth.length).toBe(307)
    socket.write(auth)
    let buf: Uint8Array = new Uint8Array(0)
    const firstFrame = new Promise<Uint8Array>((resolve) => {
      let codec: FrameCodec | null = null
      socket.on('data', (d: Uint8Array) => {
        buf = concatBytes(buf, d)
        if (!codec && buf.length >= 210) {
          const ack = buf.slice(0, 210)
          buf = buf.subarray(210)
          const info = readAck(privateKey, ack)
          expect(info.eip8).toBe(false)
          codec = newFrameCodec(
            deriveSecrets({ initiator: true, ephemeralKey: local.ephemeralKey, remoteEphemeralId: info.remoteEphemeralId, initiatorNonce: local.nonce, recipientNonce: info.remoteNonce, auth, ack }),
          )
        }
        if (codec && buf.length >= 32) {
          const size = readHeader(codec, buf.subarray(0, 32))
          if (buf.length >= 32 + bodyLength(size)) resolve(readBody(codec, buf.subarray(32, 32 + bodyLength(size)), size))
        }
      })
    })
    const frame = await withTimeout(firstFrame, 3000, 'hello frame after legacy ack')
    expect(frame[0]).toBe(0x80) // Hello id
    const s = await withTimeout(srv.session, 3000, 'session')
    expect(s.remoteId).toEqual(publicKeyOf(privateKey))
  })
})

describe('malformed input ends the session with the right reason', () => {
  test('garbage auth (bad ECIES) closes the connection', async () => {
    const srv = await mosaicServer()
    const sock = connect({ host: '127.0.0.1', port: srv.port })
    cleanups.push(() => sock.destroy())
    const sockClosed = new Promise<void>((r) => sock.once('close', () => r()))
    sock.on('error', () => {})
    const junk = new Uint8Array(300).map((_, i) => (i * 31 + 7) & 0xff)
    junk[0] = 0x01
    junk[1] = 298 - 256 // size prefix 0x012a = 298: exactly the rest of the message
    sock.write(junk)
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('ECIES_INVALID')
    expect(c.remote).toBe(false)
    await withTimeout(sockClosed, 3000, 'socket closed by server')
  })

  test('bad frame MAC → Disconnect(ProtocolBreach)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    raw.hello()
    const wire = encodeFrame(raw.codec, concatBytes(encodeRlp(2), compress(encodeRlp([]))))
    wire[40] = wire[40]! ^ 0x01 // inside the frame body ciphertext
    raw.socket.write(wire)
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('FRAME_MAC')
    expect(c.reason).toBe(DisconnectReason.ProtocolBreach)
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.ProtocolBreach)
  })

  test('oversize frame → FRAME_TOO_LARGE, Disconnect(ProtocolBreach)', async () => {
    const srv = await mosaicServer({ maxFrameSize: 1024 })
    const raw = await rawPeer(srv.port, srv.id)
    raw.hello()
    raw.sendFrame(concatBytes(encodeRlp(0x12), new Uint8Array(4096)))
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('FRAME_TOO_LARGE')
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.ProtocolBreach)
  })

  test('snappy payload announcing more than the message limit is refused before decompressing', async () => {
    const srv = await mosaicServer({ maxMessageSize: 1 << 20 })
    const raw = await rawPeer(srv.port, srv.id)
    raw.hello()
    // preamble varint 0x80 0x80 0x80 0x10 = 32 MiB, then junk
    raw.sendFrame(concatBytes(encodeRlp(0x12), new Uint8Array([0x80, 0x80, 0x80, 0x10, 0, 1, 2, 3])))
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('FRAME_TOO_LARGE')
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.ProtocolBreach)
  })

  test('invalid RLP in Hello → Disconnect(ProtocolBreach)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    raw.sendFrame(new Uint8Array([0x80, 0xc5, 0x01])) // Hello id, truncated list
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('MESSAGE_INVALID')
    expect(c.reason).toBe(DisconnectReason.ProtocolBreach)
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.ProtocolBreach)
  })

  test('message before Hello → Disconnect(ProtocolBreach)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    raw.sendFrame(concatBytes(encodeRlp(0x02), encodeRlp([])))
    const c = await closeOf(srv.session)
    expect(c.error?.code).toBe('PROTOCOL')
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.ProtocolBreach)
  })

  test('Hello with our own node id → Disconnect(SelfConnection)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    const h = encodeHello({ protocolVersion: 5, clientId: 'raw', capabilities: [{ name: 'eth', version: 68 }], listenPort: 0, nodeId: srv.id })
    raw.sendFrame(concatBytes(encodeRlp(0), h))
    const c = await closeOf(srv.session)
    expect(c.reason).toBe(DisconnectReason.SelfConnection)
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.SelfConnection)
  })

  test('no shared capability → Disconnect(UselessPeer)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    const h = encodeHello({ protocolVersion: 5, clientId: 'raw', capabilities: [{ name: 'les', version: 4 }], listenPort: 0, nodeId: raw.localId })
    raw.sendFrame(concatBytes(encodeRlp(0), h))
    const c = await closeOf(srv.session)
    expect(c.reason).toBe(DisconnectReason.UselessPeer)
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.UselessPeer)
  })

  test('invalid RLP in an eth message → Disconnect(SubprotocolError)', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    raw.hello()
    const s = await withTimeout(srv.session, 3000, 'session')
    await withTimeout(s.ready, 3000, 'hello')
    const genesis = new Uint8Array(32).fill(1)
    const schedule = { genesisHash: genesis, blockForks: [], timeForks: [] }
    const head = { number: 0n, time: 0n }
    const eth = startEth(s, {
      status: { kind: 'Status', version: 68, networkId: 1n, td: 1n, bestHash: genesis, genesisHash: genesis, forkId: computeForkId(schedule, head) },
      schedule,
      head,
      timeoutMs: 3000,
    })
    raw.sendFrame(concatBytes(encodeRlp(0x10), compress(new Uint8Array([0xf8, 0x01, 0x02])))) // Status with broken RLP
    await expect(withTimeout(eth, 3000, 'eth')).rejects.toMatchObject({ code: 'MESSAGE_INVALID' })
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.SubprotocolError)
    await withTimeout(raw.closed, 3000, 'raw socket closed')
    expect(raw.disconnectReason()).toBe(DisconnectReason.SubprotocolError)
  })

  test('remote Disconnect is reported with its reason', async () => {
    const srv = await mosaicServer()
    const raw = await rawPeer(srv.port, srv.id)
    raw.hello()
    raw.sendFrame(concatBytes(encodeRlp(1), compress(encodeRlp([DisconnectReason.TooManyPeers]))))
    const c = await closeOf(srv.session)
    expect(c).toEqual({ reason: DisconnectReason.TooManyPeers, remote: true })
  })
})
