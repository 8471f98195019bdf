/**
 * Two Mosaic nodes find each other through a third acting as discv4 bootnode (given as an enode
 * URL), dial each other through the peer manager and gossip a Transactions message.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { bytesToHex } from '../../src/primitives/index.ts'
import {
  ETH69,
  dialDiscovered,
  formatEnode,
  ipToBytes,
  parseEnode,
  publicKeyOf,
  randomPrivateKey,
  startDiscv4,
  startEth,
  startPeerManager,
  type EthMessage,
  type EthPeer,
  type Session,
} from '../../src/p2p/internals.ts'
import { testHead, testSchedule, testStatus69, until, withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('enode URLs', () => {
  const id = 'a'.repeat(128)
  test('parse and format, with and without discport', () => {
    const n = parseEnode(`enode://${id}@10.3.58.6:30303?discport=30301`)
    expect(bytesToHex(n.id)).toBe(`0x${id}`)
    expect(n).toMatchObject({ ip: ipToBytes('10.3.58.6'), tcpPort: 30303, udpPort: 30301 })
    expect(formatEnode(n)).toBe(`enode://${id}@10.3.58.6:30303?discport=30301`)
    const m = parseEnode(`enode://${id}@127.0.0.1:30303`)
    expect(m.udpPort).toBe(30303)
    expect(formatEnode(m)).toBe(`enode://${id}@127.0.0.1:30303`)
    // a node without discovery, as admin_nodeInfo shows it with --nodiscover
    const q = parseEnode(`enode://${id}@127.0.0.1:30303?discport=0`)
    expect(q.udpPort).toBe(0)
    expect(formatEnode(q)).toBe(`enode://${id}@127.0.0.1:30303?discport=0`)
  })
  test.each([
    'enode://abc@127.0.0.1:30303',
    `enode://${id}@127.0.0.1`,
    `enode://${id}@300.0.0.1:30303`,
    `enode://${id}@127.0.0.1:70000`,
    `enr:-abc`,
  ])('rejects %s', (url) => {
    expect(() => parseEnode(url)).toThrow(expect.objectContaining({ code: 'ENR_INVALID' }))
  })
})

describe('bootnode discovery and gossip', () => {
  async function mosaicNode(bootnodes: string[]) {
    const privateKey = randomPrivateKey()
    const received: EthMessage[] = []
    const eth = new Map<Session, EthPeer>()
    const pm = await startPeerManager({ privateKey, clientId: 'mosaic/test', capabilities: [ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, port: 0 })
    const base = { status: testStatus69(), schedule: testSchedule, head: testHead }
    pm.onPeer((s) => {
      startEth(s, base).then(
        (p) => {
          eth.set(s, p)
          p.onMessage((m) => received.push(m))
        },
        () => {},
      )
    })
    const disc = await startDiscv4({ privateKey, tcpPort: pm.port, timeoutMs: 500, revalidateMs: 0, bootnodes: bootnodes.map(parseEnode) })
    const dialer = dialDiscovered(pm, disc)
    cleanups.push(
      () => pm.close(),
      () => disc.close(),
      () => dialer.stop(),
    )
    /** The eth peer on the one session the manager kept (simultaneous dials leave one). */
    const peer = () => (pm.peers.size === 1 ? eth.get([...pm.peers.values()][0]!) : undefined)
    return { id: publicKeyOf(privateKey), pm, disc, peer, received }
  }

  test('A and B meet through the bootnode, connect over RLPx and gossip transactions', async () => {
    const bootKey = randomPrivateKey()
    const boot = await startDiscv4({ privateKey: bootKey, timeoutMs: 500, revalidateMs: 0 })
    cleanups.push(() => boot.close())
    const url = formatEnode({ id: boot.id, ip: ipToBytes('127.0.0.1'), tcpPort: 0, udpPort: boot.port })
    expect(url).toContain(`?discport=${boot.port}`)
    const a = await mosaicNode([url])
    const b = await mosaicNode([url])
    await withTimeout(b.disc.bootstrap(), 5000, 'b bootstrap')
    const found = await withTimeout(a.disc.bootstrap(), 5000, 'a bootstrap')
    expect(found.map((n) => bytesToHex(n.id))).toContain(bytesToHex(b.id))
    // the bootnode advertises no TCP port, so only A and B dial each other
    // A and B usually dial each other at once; the managers keep the connection dialed by the
    // lower id. Wait until both sides hold the same connection and no swap follows for 200 ms.
    const initiator = (p: EthPeer | undefined) => p && bytesToHex(p.session.initiator ? p.session.localId : p.session.remoteId!)
    const settled = () => a.peer() !== undefined && initiator(a.peer()) === initiator(b.peer())
    let since = 0
    expect(await until(() => (settled() ? (since ||= Date.now()) <= Date.now() - 200 : (since = 0) > 0), 5000)).toBe(true)
    expect(bytesToHex(a.peer()!.session.remoteId!)).toBe(bytesToHex(b.id))
    expect(bytesToHex(b.peer()!.session.remoteId!)).toBe(bytesToHex(a.id))
    const tx = new Uint8Array(120).fill(0x5a)
    a.peer()!.send({ kind: 'Transactions', transactions: [tx, tx] })
    expect(await until(() => b.received.length === 1, 3000)).toBe(true)
    expect(b.received[0]).toEqual({ kind: 'Transactions', transactions: [tx, tx] })
    expect(a.pm.peers.size).toBe(1)
    expect(b.pm.peers.size).toBe(1)
  })
})
