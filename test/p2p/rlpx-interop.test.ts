import { afterEach, describe, expect, test } from 'bun:test'
import { createServer, type Server, type Socket } from 'node:net'
import type { Peer } from '@ethereumjs/devp2p'
import { DisconnectReason, acceptSession, dialSession, publicKeyOf, randomPrivateKey, type Session } from '../../src/p2p/internals.ts'
import { startEthjs, withTimeout, type EthjsNode } from './helpers.ts'

const eth68 = { name: 'eth', version: 68, length: 17 }
const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

function opts(privateKey = randomPrivateKey()) {
  return { privateKey, clientId: 'mosaic/test', capabilities: [eth68], listenPort: 0, pingIntervalMs: 0, handshakeTimeoutMs: 4000 }
}

async function ethjs(): Promise<EthjsNode> {
  const n = await startEthjs()
  cleanups.push(() => n.close())
  return n
}

function mosaicServer(onSession: (s: Session) => void, o = opts()): Promise<{ server: Server; port: number }> {
  const server = createServer((sock: Socket) => onSession(acceptSession(sock, o)))
  cleanups.push(() => server.close())
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res({ server, port: (server.address() as { port: number }).port })))
}

describe('RLPx interop with @ethereumjs/devp2p', () => {
  test('Mosaic dials ethereumjs: handshake and Hello', async () => {
    const n = await ethjs()
    const added = new Promise<Peer>((res) => n.rlpx.events.once('peer:added', res))
    const s = dialSession('127.0.0.1', n.port, n.id, opts())
    cleanups.push(() => s.disconnect())
    const hello = await withTimeout(s.ready, 5000, 'hello from ethereumjs')
    expect(hello.nodeId).toEqual(n.id)
    expect(hello.protocolVersion).toBe(5)
    expect(s.capability('eth')).toEqual({ ...eth68, offset: 0x10 })
    const peer = await withTimeout(added, 5000, 'ethjs peer:added')
    expect(peer.getHelloMessage()!.clientId).toBe('mosaic/test')
    expect(peer.getId()).toEqual(s.localId)
  })

  test('ethereumjs dials Mosaic: handshake and Hello', async () => {
    const o = opts()
    const n = await ethjs()
    let resolveSession!: (s: Session) => void
    const gotSession = new Promise<Session>((res) => (resolveSession = res))
    const server = await mosaicServer((s) => {
      cleanups.push(() => s.disconnect())
      resolveSession(s)
    }, o)
    const added = new Promise<Peer>((res) => n.rlpx.events.once('peer:added', res))
    await n.rlpx.connect({ id: publicKeyOf(o.privateKey), address: '127.0.0.1', tcpPort: server.port })
    const session = await withTimeout(gotSession, 5000, 'accepted session')
    const hello = await withTimeout(session.ready, 5000, 'hello')
    const peer = await withTimeout(added, 5000, 'ethjs peer:added')
    expect(hello.nodeId).toEqual(n.id)
    expect(session.remoteId).toEqual(n.id)
    expect(peer.getHelloMessage()!.clientId).toBe('mosaic/test')
  })

  test('Disconnect reasons cross both ways', async () => {
    // ethereumjs → Mosaic (ethereumjs sends an uncompressed bare reason)
    const n = await ethjs()
    const added = new Promise<Peer>((res) => n.rlpx.events.once('peer:added', res))
    const s = dialSession('127.0.0.1', n.port, n.id, opts())
    cleanups.push(() => s.disconnect())
    await withTimeout(s.ready, 5000, 'hello')
    await withTimeout(added, 5000, 'peer:added')
    n.rlpx.disconnect(s.localId)
    expect(await withTimeout(s.closed, 5000, 'closed by ethjs')).toEqual({ reason: DisconnectReason.ClientQuitting, remote: true })

    // Mosaic → ethereumjs (compressed [reason])
    const n2 = await ethjs()
    const added2 = new Promise<Peer>((res) => n2.rlpx.events.once('peer:added', res))
    const removed = new Promise<unknown>((res) => n2.rlpx.events.once('peer:removed', (_p: Peer, reason: unknown) => res(reason)))
    const s2 = dialSession('127.0.0.1', n2.port, n2.id, opts())
    cleanups.push(() => s2.disconnect())
    await withTimeout(s2.ready, 5000, 'hello')
    await withTimeout(added2, 5000, 'peer:added')
    s2.disconnect(DisconnectReason.UselessPeer)
    expect(await withTimeout(removed, 5000, 'ethjs peer:removed')).toBe(DisconnectReason.UselessPeer)
  })
})
