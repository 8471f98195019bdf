/** eth request/response tracking, request limits and flood protection between two Mosaic peers. */
import { afterEach, describe, expect, test } from 'bun:test'
import {
  DisconnectReason,
  ETH69,
  ETH_LIMITS,
  FAULT_PENALTY,
  REQUEST_TIMEOUT_PENALTY,
  publicKeyOf,
  randomPrivateKey,
  startEth,
  startPeerManager,
  type EthMessage,
  type PeerManager,
  type Session,
} from '../../src/p2p/internals.ts'
import { mosaicEthPair, testHead, testSchedule, testStatus69, until, withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function pair(extra: Parameters<typeof mosaicEthPair>[0] = {}) {
  const p = await mosaicEthPair(extra)
  cleanups.push(() => p.close())
  return p
}

const hash = (i: number) => new Uint8Array(32).fill(i)

describe('eth requests', () => {
  test('request resolves with the response carrying its id; responses are not passed to onMessage', async () => {
    const { a, b } = await pair()
    b.onMessage((m) => {
      if (m.kind === 'GetBlockHeaders') b.send({ kind: 'BlockHeaders', requestId: m.requestId, headers: [[new Uint8Array([1])], [new Uint8Array([2])]] })
      if (m.kind === 'GetBlockBodies') b.send({ kind: 'BlockBodies', requestId: m.requestId, bodies: [[[], []]] })
    })
    const seen: EthMessage[] = []
    a.onMessage((m) => seen.push(m))
    const [h, bo] = await withTimeout(
      Promise.all([
        a.request({ kind: 'GetBlockHeaders', origin: 1n, limit: 2n, skip: 0n, reverse: false }),
        a.request({ kind: 'GetBlockBodies', hashes: [hash(1)] }),
      ]),
      3000,
      'responses',
    )
    expect(h.kind).toBe('BlockHeaders')
    expect(h.kind === 'BlockHeaders' && h.headers.length).toBe(2)
    expect(bo.kind).toBe('BlockBodies')
    expect(a.inFlight).toBe(0)
    expect(seen).toEqual([])
  })

  test('a request without an answer times out; the in-flight cap refuses extra requests', async () => {
    const { a } = await pair({ a: { requestTimeoutMs: 100, maxInFlight: 2 } })
    const r1 = a.request({ kind: 'GetReceipts', hashes: [hash(1)] })
    const r2 = a.request({ kind: 'GetReceipts', hashes: [hash(2)] })
    await expect(a.request({ kind: 'GetReceipts', hashes: [hash(3)] })).rejects.toMatchObject({ code: 'PROTOCOL' })
    expect(a.inFlight).toBe(2)
    const [s1, s2] = await withTimeout(Promise.allSettled([r1, r2]), 3000, 'timeouts')
    expect(s1).toMatchObject({ status: 'rejected', reason: { code: 'TIMEOUT' } })
    expect(s2).toMatchObject({ status: 'rejected', reason: { code: 'TIMEOUT' } })
    expect(a.inFlight).toBe(0)
  })

  test('pending requests fail when the session closes', async () => {
    const { a, b } = await pair()
    const r = a.request({ kind: 'GetPooledTransactions', hashes: [hash(1)] })
    b.session.disconnect(DisconnectReason.ClientQuitting)
    await expect(withTimeout(r, 3000, 'reject')).rejects.toMatchObject({ code: 'CLOSED' })
  })

  test('a response with an unknown request id → SubprotocolError', async () => {
    const { a, b } = await pair()
    b.send({ kind: 'BlockHeaders', requestId: 12345n, headers: [] })
    const c = await withTimeout(a.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.SubprotocolError)
    expect(c.error?.shortMessage).toBe('unsolicited response')
  })

  test('a response with more items than requested → SubprotocolError', async () => {
    const { a, b } = await pair()
    b.onMessage((m) => {
      if (m.kind === 'GetBlockBodies') b.send({ kind: 'BlockBodies', requestId: m.requestId, bodies: [[[], []], [[], []]] })
    })
    await expect(withTimeout(a.request({ kind: 'GetBlockBodies', hashes: [hash(1)] }), 3000, 'reject')).rejects.toBeDefined()
    const c = await withTimeout(a.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.SubprotocolError)
  })

  test.each([
    ['GetBlockHeaders', { kind: 'GetBlockHeaders', requestId: 1n, origin: 1n, limit: BigInt(ETH_LIMITS.maxHeadersServe + 1), skip: 0n, reverse: false }],
    ['GetBlockBodies', { kind: 'GetBlockBodies', requestId: 1n, hashes: Array.from({ length: ETH_LIMITS.maxBodiesServe + 1 }, () => hash(1)) }],
    ['GetReceipts', { kind: 'GetReceipts', requestId: 1n, hashes: Array.from({ length: ETH_LIMITS.maxReceiptsServe + 1 }, () => hash(1)) }],
    ['GetPooledTransactions', { kind: 'GetPooledTransactions', requestId: 1n, hashes: Array.from({ length: ETH_LIMITS.maxPooledTxsServe + 1 }, () => hash(1)) }],
  ] as [string, EthMessage][])('oversize %s from a peer → SubprotocolError', async (_name, m) => {
    const { a, b } = await pair()
    let served = false
    b.onMessage(() => (served = true))
    a.send(m)
    const c = await withTimeout(b.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.SubprotocolError)
    expect(served).toBe(false)
  })

  test('requests at the limit are served', async () => {
    const { a, b } = await pair()
    const got: EthMessage[] = []
    b.onMessage((m) => got.push(m))
    a.send({ kind: 'GetBlockHeaders', requestId: 1n, origin: 1n, limit: BigInt(ETH_LIMITS.maxHeadersServe), skip: 0n, reverse: false })
    a.send({ kind: 'GetPooledTransactions', requestId: 2n, hashes: Array.from({ length: ETH_LIMITS.maxPooledTxsServe }, () => hash(1)) })
    expect(await until(() => got.length === 2)).toBe(true)
  })

  test('a message flood ends the session with UselessPeer', async () => {
    const { a, b } = await pair({ b: { messageRate: 10, messageBurst: 20 } })
    for (let i = 0; i < 50; i++) a.send({ kind: 'Transactions', transactions: [] })
    const c = await withTimeout(b.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.UselessPeer)
    expect(c.error?.shortMessage).toBe('message flood')
    const r = await withTimeout(a.session.closed, 3000, 'remote closed')
    expect(r).toEqual({ reason: DisconnectReason.UselessPeer, remote: true })
  })

  test('a steady stream within the rate is accepted', async () => {
    const { a, b } = await pair({ b: { messageRate: 1000, messageBurst: 100 } })
    let n = 0
    b.onMessage(() => n++)
    for (let i = 0; i < 100; i++) a.send({ kind: 'Transactions', transactions: [] })
    expect(await until(() => n === 100)).toBe(true)
  })
})

describe('send back-pressure', () => {
  test('a peer that does not read: announcements are dropped, then a request send ends the session with TcpError', async () => {
    const { a, b } = await pair({ session: { maxSendBufferBytes: 256 * 1024 } })
    ;(b.session as unknown as { socket: { pause(): void } }).socket.pause()
    const tx = new Uint8Array(100_000).fill(0xab) // incompressible enough: snappy still shrinks runs, so vary it
    for (let i = 0; i < tx.length; i++) tx[i] = (i * 2654435761) >>> 24
    let dropped = 0
    for (let i = 0; i < 400 && dropped === 0; i++) {
      if (!a.send({ kind: 'Transactions', transactions: [tx] })) dropped++
      if (i % 20 === 19) await Bun.sleep(1)
    }
    expect(dropped).toBe(1)
    expect(a.session.sendBufferBytes).toBeGreaterThan(256 * 1024)
    await expect(a.request({ kind: 'GetBlockBodies', hashes: [hash(1)] })).rejects.toBeDefined()
    const c = await withTimeout(a.session.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.TcpError)
    expect(c.error?.shortMessage).toBe('remote does not read')
  })
})

/** The hub's session with its only peer, whether it was admitted before or after this call. */
async function hubPeer(hub: PeerManager): Promise<Session> {
  const p = new Promise<Session>((r) => hub.onPeer(r))
  if (hub.peers.size) return [...hub.peers.values()][0]!
  return withTimeout(p, 3000, 'hub peer')
}

describe('peer scoring', () => {
  async function managers() {
    const keyB = randomPrivateKey()
    const m = await startPeerManager({ privateKey: randomPrivateKey(), clientId: 'mosaic/test', capabilities: [ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, scoreThreshold: -30 })
    const hub = await startPeerManager({ privateKey: keyB, clientId: 'mosaic/test', capabilities: [ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, port: 0 })
    cleanups.push(() => m.close(), () => hub.close())
    return { m, hub, hubId: publicKeyOf(keyB) }
  }

  test('penalties below the threshold disconnect with UselessPeer and the peer is refused after', async () => {
    const { m, hub, hubId } = await managers()
    const s = await withTimeout(m.dial('127.0.0.1', hub.port, hubId), 3000, 'dial')
    m.penalise(hubId, 20)
    expect(m.score(hubId)).toBe(-20)
    expect(m.peers.size).toBe(1)
    m.penalise(hubId, 20)
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.UselessPeer)
    expect(m.peers.size).toBe(0)
    await expect(withTimeout(m.dial('127.0.0.1', hub.port, hubId), 3000, 'redial')).rejects.toMatchObject({ reason: DisconnectReason.UselessPeer })
  })

  test('unanswered eth requests are reported to the manager through penalise', async () => {
    const { m, hub, hubId } = await managers()
    const s = await withTimeout(m.dial('127.0.0.1', hub.port, hubId), 3000, 'dial')
    const hs = await hubPeer(hub)
    const base = { status: testStatus69(), schedule: testSchedule, head: testHead }
    const [eth] = await withTimeout(
      Promise.all([startEth(s, { ...base, requestTimeoutMs: 50, penalise: (p) => m.penalise(hubId, p) }), startEth(hs, base)]),
      3000,
      'eth',
    )
    const rs = await Promise.allSettled([1, 2, 3].map((i) => eth.request({ kind: 'GetReceipts', hashes: [hash(i)] })))
    expect(rs.every((r) => r.status === 'rejected')).toBe(true)
    expect(m.score(hubId)).toBe(-3 * REQUEST_TIMEOUT_PENALTY)
    const c = await withTimeout(s.closed, 3000, 'closed')
    expect(c.reason).toBe(DisconnectReason.UselessPeer)
  })

  test('a session ended for a protocol fault costs FAULT_PENALTY', async () => {
    const { m, hub, hubId } = await managers()
    const s = await withTimeout(m.dial('127.0.0.1', hub.port, hubId), 3000, 'dial')
    const hs = await hubPeer(hub)
    const base = { status: testStatus69(), schedule: testSchedule, head: testHead }
    const [, remote] = await withTimeout(Promise.all([startEth(s, base), startEth(hs, base)]), 3000, 'eth')
    remote.send({ kind: 'BlockHeaders', requestId: 777n, headers: [] })
    await withTimeout(s.closed, 3000, 'closed')
    expect(await until(() => m.score(hubId) === -FAULT_PENALTY)).toBe(true)
  })
})
