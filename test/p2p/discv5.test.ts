/**
 * discv5: two Mosaic p2p services (discv5 only) find each other through a third node acting as
 * bootnode on loopback UDP, connect over RLPx and gossip a Transactions message. Then the
 * record filter, and malformed packets that must leave the node working.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { createSocket } from 'node:dgram'
import { encodePacket, createHeader, PacketType } from '@chainsafe/discv5/packet'
import { bytesToHex } from '../../src/primitives/index.ts'
import {
  ETH69,
  computeForkId,
  createP2pService,
  ethEnrEntry,
  parseP2pConfig,
  publicKeyOf,
  randomPrivateKey,
  startDiscv5,
  startEth,
  type Discv5,
  type EthMessage,
  type EthPeer,
  type NodeRecord,
  type Session,
} from '../../src/p2p/internals.ts'
import { testHead, testSchedule, testStatus69, until, withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const eth = ethEnrEntry(computeForkId(testSchedule, testHead))

async function mosaicNode(bootnode: string, withV4 = false) {
  const privateKey = randomPrivateKey()
  const config = parseP2pConfig({ port: '0', 'discovery.v4': withV4, 'discovery.v5': true, bootnodes: bootnode, maxpeers: '5' }, { listenAddress: '127.0.0.1' })
  const p2p = createP2pService({ config, privateKey, clientId: 'mosaic/test', capabilities: [ETH69], session: { pingIntervalMs: 0 }, enrEntries: { eth }, lookupIntervalMs: 200 })
  const received: EthMessage[] = []
  const ethPeers = new Map<Session, EthPeer>()
  await p2p.start()
  cleanups.push(() => p2p.stop())
  p2p.peers.onPeer((s) => {
    startEth(s, { status: testStatus69(), schedule: testSchedule, head: testHead }).then(
      (p) => {
        ethPeers.set(s, p)
        p.onMessage((m) => received.push(m))
      },
      () => {},
    )
  })
  const peer = () => (p2p.peers.peers.size === 1 ? ethPeers.get([...p2p.peers.peers.values()][0]!) : undefined)
  return { id: publicKeyOf(privateKey), p2p, peer, received }
}

async function bootnode(): Promise<Discv5> {
  const boot = await startDiscv5({ privateKey: randomPrivateKey(), requestTimeoutMs: 500 })
  cleanups.push(() => boot.close())
  return boot
}

/** The node still serves: X registers through it, then a fresh probe learns X from it. */
async function expectServing(node: Discv5) {
  const x = await startDiscv5({ privateKey: randomPrivateKey(), tcpPort: 9999, entries: { eth }, bootnodes: [node.enr()] })
  cleanups.push(() => x.close())
  await withTimeout(x.bootstrap(), 5000, 'x lookup')
  const probe = await startDiscv5({ privateKey: randomPrivateKey(), bootnodes: [node.enr()] })
  cleanups.push(() => probe.close())
  const seen: string[] = []
  probe.onNode((n) => seen.push(bytesToHex(n.id)))
  await withTimeout(probe.bootstrap(), 5000, 'probe bootstrap')
  // a lookup of X's id asks the node for X's distance from it, so X must be in the answer
  await withTimeout(probe.lookup(x.nodeId), 5000, 'probe lookup')
  expect(seen).toContain(bytesToHex(x.id))
}

describe('discv5 discovery', () => {
  test.each([false, true])('A and B meet through a discv5 bootnode, connect over RLPx and gossip transactions (discv4 on the same socket: %p)', async (withV4) => {
    const boot = await bootnode()
    const a = await mosaicNode(boot.enr(), withV4)
    const b = await mosaicNode(boot.enr(), withV4)
    expect(a.p2p.discv5).not.toBeNull()
    if (withV4) {
      // one UDP port and one record for both protocols, as geth has
      expect(a.p2p.discv4!.port).toBe(a.p2p.discv5!.port)
      expect(a.p2p.discv5!.enr()).toBe(a.p2p.localNode().enr)
    } else expect(a.p2p.discv4).toBeNull()
    // the refresh loop keeps looking up until each has found the other and the dial settled
    const initiator = (p: EthPeer | undefined) => p && bytesToHex(p.session.initiator ? p.session.localId : p.session.remoteId!)
    const settled = () => a.peer() !== undefined && initiator(a.peer()) === initiator(b.peer())
    let since = 0
    expect(await until(() => (settled() ? (since ||= Date.now()) <= Date.now() - 200 : (since = 0) > 0), 10_000)).toBe(true)
    expect(bytesToHex(a.peer()!.session.remoteId!)).toBe(bytesToHex(b.id))
    expect(bytesToHex(b.peer()!.session.remoteId!)).toBe(bytesToHex(a.id))
    const tx = new Uint8Array(120).fill(0x5a)
    a.peer()!.send({ kind: 'Transactions', transactions: [tx] })
    expect(await until(() => b.received.length === 1, 3000)).toBe(true)
    expect(b.received[0]).toEqual({ kind: 'Transactions', transactions: [tx] })
    // the bootnode has no TCP port and no eth entry: never dialed
    expect(a.p2p.peers.peers.size).toBe(1)
  }, 20_000)

  test('reports only records with an eth entry and a TCP port by default', async () => {
    const boot = await bootnode()
    const seen: NodeRecord[] = []
    const watcher = await startDiscv5({ privateKey: randomPrivateKey(), bootnodes: [boot.enr()] })
    cleanups.push(() => watcher.close())
    watcher.onNode((n) => seen.push(n))
    const withEth = await startDiscv5({ privateKey: randomPrivateKey(), tcpPort: 4444, entries: { eth }, bootnodes: [boot.enr()] })
    const noEth = await startDiscv5({ privateKey: randomPrivateKey(), tcpPort: 5555, bootnodes: [boot.enr()] })
    const noTcp = await startDiscv5({ privateKey: randomPrivateKey(), entries: { eth }, bootnodes: [boot.enr()] })
    cleanups.push(
      () => withEth.close(),
      () => noEth.close(),
      () => noTcp.close(),
    )
    await Promise.all([withEth.bootstrap(), noEth.bootstrap(), noTcp.bootstrap()])
    await withTimeout(watcher.bootstrap(), 5000, 'bootstrap')
    // one lookup per node id, so the bootnode answers with each node's distance bucket
    const found = (await Promise.all([withEth, noEth, noTcp].map((n) => withTimeout(watcher.lookup(n.nodeId), 5000, 'lookup')))).flat()
    for (const n of [withEth, noEth]) expect(found.map((f) => bytesToHex(f.id))).toContain(bytesToHex(n.id))
    expect(seen.map((n) => bytesToHex(n.id))).toEqual([bytesToHex(withEth.id)])
    expect(seen[0]).toMatchObject({ tcpPort: 4444, udpPort: withEth.port })
  }, 15_000)

  test('malformed packets are dropped and the node keeps working', async () => {
    const boot = await bootnode()
    const target = await startDiscv5({ privateKey: randomPrivateKey(), tcpPort: 7777, entries: { eth }, bootnodes: [boot.enr()] })
    cleanups.push(() => target.close())
    await target.bootstrap()
    const destId = bytesToHex(target.nodeId).slice(2)
    const sock = createSocket('udp4')
    cleanups.push(() => new Promise<void>((r) => sock.close(() => r())))
    const send = (b: Uint8Array) => new Promise<void>((r) => sock.send(b, target.port, '127.0.0.1', () => r()))
    const rnd = (n: number) => crypto.getRandomValues(new Uint8Array(n))
    const packet = (flag: number, authdata: Uint8Array, message: Uint8Array) => encodePacket(destId, { maskingIv: rnd(16), header: createHeader(flag as PacketType, authdata), message })
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      rnd(10),
      rnd(62),
      rnd(63),
      rnd(500),
      rnd(1280),
      rnd(1500), // above the discv5 maximum
      packet(PacketType.Message, rnd(32), rnd(100)), // unknown session: answered with WHOAREYOU
      packet(PacketType.Message, rnd(5), rnd(20)), // wrong authdata size
      packet(PacketType.WhoAreYou, rnd(24), new Uint8Array(0)), // challenge for nothing we sent
      packet(PacketType.WhoAreYou, rnd(3), new Uint8Array(0)),
      packet(PacketType.Handshake, rnd(34), rnd(50)), // handshake header cut short
      packet(PacketType.Handshake, new Uint8Array([...rnd(32), 64, 33, ...rnd(97)]), rnd(40)), // garbage key and signature
      packet(PacketType.Handshake, new Uint8Array([...rnd(32), 64, 33, ...rnd(97), ...rnd(30)]), rnd(40)), // and a garbage record
      packet(7, rnd(32), rnd(10)), // unknown flag
    ]
    // bit flips of a well-formed packet
    const base = packet(PacketType.Message, rnd(32), rnd(60))
    for (let i = 0; i < 200; i++) {
      const m = base.slice()
      m[Math.floor(Math.random() * m.length)]! ^= 1 << Math.floor(Math.random() * 8)
      bad.push(m)
    }
    for (const b of bad) await send(b)
    await expectServing(target)
    expect(target.dropped).toBeGreaterThan(0)
  }, 15_000)

  test('packets corrupted in flight (handshakes, sessions) do not break the node', async () => {
    const targetKey = randomPrivateKey()
    const target = await startDiscv5({ privateKey: targetKey, tcpPort: 7777, entries: { eth } })
    cleanups.push(() => target.close())
    // a relay between a client and the target that flips a bit in a third of the packets
    const relay = createSocket('udp4')
    const upstream = createSocket('udp4')
    await Promise.all([new Promise<void>((r) => relay.bind(0, '127.0.0.1', () => r())), new Promise<void>((r) => upstream.bind(0, '127.0.0.1', () => r()))])
    cleanups.push(
      () => new Promise<void>((r) => relay.close(() => r())),
      () => new Promise<void>((r) => upstream.close(() => r())),
    )
    let client: { port: number; address: string } | undefined
    let corrupted = 0
    const mangle = (m: Buffer) => {
      if (Math.random() < 1 / 3) {
        corrupted++
        m[Math.floor(Math.random() * m.length)]! ^= 1 << Math.floor(Math.random() * 8)
      }
      return m
    }
    relay.on('message', (m, r) => {
      client = { port: r.port, address: r.address }
      upstream.send(mangle(m), target.port, '127.0.0.1')
    })
    upstream.on('message', (m) => client && relay.send(mangle(m), client.port, client.address))
    // the target's record, re-signed with the relay's port, so the client talks through it
    const { signEnr, enrToText, ipToBytes, enrPortBytes } = await import('../../src/p2p/internals.ts')
    const viaRelay = enrToText(signEnr(2n, { eth, ip: ipToBytes('127.0.0.1'), udp: enrPortBytes(relay.address().port), tcp: enrPortBytes(7777) }, targetKey))
    for (let i = 0; i < 5; i++) {
      const c = await startDiscv5({ privateKey: randomPrivateKey(), bootnodes: [viaRelay], requestTimeoutMs: 200 })
      await c.bootstrap()
      await c.lookup()
      await c.close()
    }
    expect(corrupted).toBeGreaterThan(0)
    await expectServing(target)
  }, 30_000)
})
