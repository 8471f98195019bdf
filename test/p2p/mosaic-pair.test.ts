/** Mosaic ↔ Mosaic sessions on loopback: eth/69, keep-alive pings, disconnect reasons, peer limits. */
import { afterEach, describe, expect, test } from 'bun:test'
import { createServer, type Socket } from 'node:net'
import {
  DisconnectReason,
  ETH68,
  ETH69,
  acceptSession,
  computeForkId,
  dialSession,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  startPeerManager,
  type EthMessage,
  type PeerManager,
  type Session,
  type SessionOptions,
  type Status69,
} from '../../src/p2p/internals.ts'
import { withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function opts(extra: Partial<SessionOptions> = {}): SessionOptions {
  return { privateKey: randomPrivateKey(), clientId: 'mosaic/test', capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, handshakeTimeoutMs: 3000, ...extra }
}

async function pair(a: SessionOptions = opts(), b: SessionOptions = opts()): Promise<{ dialer: Session; acceptor: Session }> {
  let resolveS!: (s: Session) => void
  const got = new Promise<Session>((r) => (resolveS = r))
  const server = createServer((sock: Socket) => resolveS(acceptSession(sock, b)))
  cleanups.push(() => server.close())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const dialer = dialSession('127.0.0.1', (server.address() as { port: number }).port, publicKeyOf(b.privateKey), a)
  const acceptor = await withTimeout(got, 3000, 'accept')
  cleanups.push(() => dialer.disconnect(), () => acceptor.disconnect())
  await withTimeout(Promise.all([dialer.ready, acceptor.ready]), 3000, 'hello')
  return { dialer, acceptor }
}

const genesis = new Uint8Array(32).fill(0x42)
const schedule = { genesisHash: genesis, blockForks: [], timeForks: [1000n, 2000n] }
const head = { number: 100n, time: 1500n }
const status69 = (): Status69 => ({
  kind: 'Status',
  version: 69,
  networkId: 1337n,
  genesisHash: genesis,
  forkId: computeForkId(schedule, head),
  earliestBlock: 0n,
  latestBlock: 100n,
  latestBlockHash: new Uint8Array(32).fill(7),
})

describe('Mosaic ↔ Mosaic', () => {
  test('eth/69 negotiated; Status, BlockRangeUpdate and receipts without bloom', async () => {
    const { dialer, acceptor } = await pair()
    expect(dialer.capability('eth')).toEqual({ ...ETH69, offset: 0x10 })
    const [a, b] = await withTimeout(
      Promise.all([startEth(dialer, { status: status69(), schedule, head }), startEth(acceptor, { status: status69(), schedule, head })]),
      3000,
      'eth status',
    )
    expect(a.version).toBe(69)
    expect(b.remoteStatus).toEqual(status69())
    const got: EthMessage[] = []
    const receipts = [[[new Uint8Array([2]), new Uint8Array([1]), new Uint8Array([0x52, 0x08]), []]]]
    b.onMessage((m) => {
      got.push(m)
      if (m.kind === 'GetReceipts') b.send({ kind: 'Receipts', requestId: m.requestId, receipts })
    })
    a.send({ kind: 'BlockRangeUpdate', earliestBlock: 0n, latestBlock: 101n, latestBlockHash: new Uint8Array(32).fill(8) })
    // a Receipts response goes to the request it answers (an unsolicited one would end the session)
    const r = await withTimeout(a.request({ kind: 'GetReceipts', hashes: [new Uint8Array(32).fill(1)] }), 3000, 'receipts')
    expect(r).toMatchObject({ kind: 'Receipts', receipts })
    expect(got.map((m) => m.kind)).toEqual(['BlockRangeUpdate', 'GetReceipts'])
  })

  test('fork id mismatch → both sides end with SubprotocolError', async () => {
    const { dialer, acceptor } = await pair()
    const other = { ...schedule, timeForks: [1000n, 1400n] } // acceptor passed a fork the dialer does not know
    const pa = startEth(dialer, { status: status69(), schedule, head })
    const pb = startEth(acceptor, { status: { ...status69(), forkId: computeForkId(other, head) }, schedule: other, head })
    const [ra, rb] = await withTimeout(Promise.allSettled([pa, pb]), 3000, 'eth')
    expect(ra.status).toBe('rejected')
    expect(rb.status).toBe('rejected')
    const ca = await withTimeout(dialer.closed, 3000, 'closed')
    expect(ca.reason).toBe(DisconnectReason.SubprotocolError)
  })

  test('keep-alive: pings are answered, session stays up', async () => {
    // a session fails after two unanswered pings: at 100 ms that is ~200 ms of slack per pong
    const { dialer, acceptor } = await pair(opts({ pingIntervalMs: 100 }), opts({ pingIntervalMs: 100 }))
    await Bun.sleep(450)
    let closed = false
    void dialer.closed.then(() => (closed = true))
    void acceptor.closed.then(() => (closed = true))
    await Bun.sleep(0)
    expect(closed).toBe(false)
  })

  test('missing pongs end the session with PingTimeout', async () => {
    // the acceptor never answers: a raw server that completes nothing would fail the handshake,
    // so instead pause the acceptor's socket after Hello
    const { dialer, acceptor } = await pair(opts({ pingIntervalMs: 30 }))
    ;(acceptor as unknown as { socket: Socket }).socket.pause()
    const c = await withTimeout(dialer.closed, 3000, 'ping timeout')
    expect(c.reason).toBe(DisconnectReason.PingTimeout)
    expect(c.remote).toBe(false)
  })

  test('local disconnect reason reaches the remote', async () => {
    const { dialer, acceptor } = await pair()
    dialer.disconnect(DisconnectReason.ClientQuitting)
    const c = await withTimeout(acceptor.closed, 3000, 'remote closed')
    expect(c).toEqual({ reason: DisconnectReason.ClientQuitting, remote: true })
  })

  test('dialing a closed port ends with TcpError, no crash', async () => {
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as { port: number }).port
    await new Promise<void>((r) => server.close(() => r()))
    const s = dialSession('127.0.0.1', port, publicKeyOf(randomPrivateKey()), opts())
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.TcpError)
    await expect(s.ready).rejects.toBeDefined()
  })

  test('dialing with an invalid node id fails cleanly', async () => {
    const server = createServer((sock) => sock.on('error', () => {}))
    cleanups.push(() => server.close())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const s = dialSession('127.0.0.1', (server.address() as { port: number }).port, new Uint8Array(64).fill(0xff), opts())
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.error?.code).toBe('ECIES_INVALID')
  })

  test('handshake timeout when the remote says nothing', async () => {
    const server = createServer(() => {})
    cleanups.push(() => server.close())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const s = dialSession('127.0.0.1', (server.address() as { port: number }).port, publicKeyOf(randomPrivateKey()), opts({ handshakeTimeoutMs: 100 }))
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.error?.code).toBe('TIMEOUT')
  })
})

describe('peer manager', () => {
  async function manager(maxPeers: number, listen = true): Promise<PeerManager> {
    const m = await startPeerManager({ ...opts(), maxPeers, ...(listen ? { port: 0 } : {}) })
    cleanups.push(() => m.close())
    return m
  }

  test('admits up to maxPeers, refuses extra with TooManyPeers and duplicates with AlreadyConnected', async () => {
    const hubKey = randomPrivateKey()
    const hub = await startPeerManager({ ...opts({ privateKey: hubKey }), maxPeers: 1, port: 0 })
    cleanups.push(() => hub.close())
    const hubId = publicKeyOf(hubKey)
    const a = await manager(5, false)
    const b = await manager(5, false)
    const s = await withTimeout(a.dial('127.0.0.1', hub.port, hubId), 3000, 'dial a')
    expect(s.remoteId).toEqual(hubId)
    await expect(a.dial('127.0.0.1', hub.port, hubId)).rejects.toMatchObject({ reason: DisconnectReason.AlreadyConnected })
    const deadline = Date.now() + 2000
    while (hub.peers.size < 1 && Date.now() < deadline) await Bun.sleep(5)
    expect(hub.peers.size).toBe(1)
    // the hub is full: b's dial completes the handshake, then gets TooManyPeers
    const sb = dialSession('127.0.0.1', hub.port, hubId, opts())
    cleanups.push(() => sb.disconnect())
    const c = await withTimeout(sb.closed, 3000, 'refused')
    expect(c).toEqual({ reason: DisconnectReason.TooManyPeers, remote: true })
    expect(b.peers.size).toBe(0)
    expect(hub.peers.size).toBe(1)
  })
})
