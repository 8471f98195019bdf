/**
 * The p2p service and component on loopback: start/stop through the node builder, static peers
 * (admin_addPeer / admin_removePeer, redial), the admin_* JSON shapes, and discv4 through the
 * service's refresh loop.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import { connect } from 'node:net'
import { startNode } from '../../src/node/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import {
  ETH69,
  adminAddPeer,
  adminNodeInfo,
  adminPeers,
  adminRemovePeer,
  createP2pService,
  formatEnode,
  ipToBytes,
  netPeerCount,
  nodeIdHex,
  parseP2pConfig,
  randomPrivateKey,
  startDiscv4,
  startEth,
  type P2pFlags,
  type P2pService,
} from '../../src/p2p/internals.ts'
import { p2pComponent } from '../../src/profiles/components/p2p.ts'
import { testHead, testSchedule, testStatus69, until } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const loopback = (flags: P2pFlags = {}) => parseP2pConfig({ port: '0', nodiscover: true, ...flags }, { listenAddress: '127.0.0.1' })

async function service(flags: P2pFlags = {}, extra: { staticRedialMs?: number; lookupIntervalMs?: number } = {}): Promise<P2pService> {
  const p2p = createP2pService({ config: loopback(flags), privateKey: randomPrivateKey(), clientId: 'mosaic/test', session: { pingIntervalMs: 0 }, ...extra })
  await p2p.start()
  cleanups.push(() => p2p.stop())
  p2p.peers.onPeer((s) => void startEth(s, { status: testStatus69(), schedule: testSchedule, head: testHead }).catch(() => {}))
  return p2p
}

const canConnect = (port: number) =>
  new Promise<boolean>((res) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => (s.destroy(), res(true)))
    s.once('error', () => res(false))
  })

describe('p2p component', () => {
  test('starts and stops cleanly through the node builder, discovery off', async () => {
    const config = loopback()
    const node = await startNode([p2pComponent] as const, { handleSignals: false, config: { p2p: { config, clientId: 'mosaic/test' } } })
    const p2p = node.services.p2p as P2pService
    expect(p2p.running).toBe(true)
    expect(p2p.discv4).toBeNull()
    expect(p2p.discv5).toBeNull()
    const port = p2p.peers.port
    expect(port).toBeGreaterThan(0)
    expect(await canConnect(port)).toBe(true)
    await node.stop()
    expect(p2p.running).toBe(false)
    expect(await canConnect(port)).toBe(false)
    await p2p.stop() // idempotent
  })

  test('a missing config section is a build error', async () => {
    await expect(startNode([p2pComponent] as const, { handleSignals: false })).rejects.toMatchObject({ code: 'NODE_BUILD' })
  })

  test('the peers getter throws before start', () => {
    const p2p = createP2pService({ config: loopback(), privateKey: randomPrivateKey() })
    expect(() => p2p.peers).toThrow(expect.objectContaining({ code: 'CLOSED' }))
    expect(netPeerCount(p2p)).toBe('0x0')
    expect(adminPeers(p2p)).toEqual([])
  })
})

describe('admin functions', () => {
  test('admin_nodeInfo has geth\'s shape', async () => {
    const p2p = await service({ nat: 'extip:1.2.3.4' })
    const genesis = new Uint8Array(32).fill(0x42)
    const head = new Uint8Array(32).fill(7)
    const info = adminNodeInfo(p2p, { networkId: 1337n, genesisHash: genesis, head: () => head, config: () => ({ chainId: 1337 }) })
    expect(Object.keys(info)).toEqual(['id', 'name', 'enode', 'enr', 'ip', 'ports', 'listenAddr', 'protocols'])
    expect(info.id).toBe(nodeIdHex(p2p.id))
    expect(info.id).toMatch(/^[0-9a-f]{64}$/)
    expect(info.name).toBe('mosaic/test')
    // discovery is off: no UDP port
    expect(info.enode).toBe(`enode://${bytesToHex(p2p.id).slice(2)}@1.2.3.4:${p2p.peers.port}?discport=0`)
    expect(info.enr).toStartWith('enr:')
    expect(info.ip).toBe('1.2.3.4')
    expect(info.ports).toEqual({ discovery: 0, listener: p2p.peers.port })
    expect(info.listenAddr).toBe(`127.0.0.1:${p2p.peers.port}`)
    expect(info.protocols).toEqual({ eth: { network: 1337, genesis: bytesToHex(genesis), config: { chainId: 1337 }, head: bytesToHex(head) } })
    expect(adminNodeInfo(p2p).protocols).toEqual({})
  })

  test('admin_addPeer, admin_peers, net_peerCount, admin_removePeer', async () => {
    const a = await service()
    const b = await service({}, { staticRedialMs: 50 })
    const aUrl = formatEnode({ id: a.id, ip: ipToBytes('127.0.0.1'), tcpPort: a.peers.port, udpPort: a.peers.port })
    expect(adminAddPeer(b, aUrl)).toBe(true)
    expect(await until(() => a.peers.peers.size === 1 && b.peers.peers.size === 1)).toBe(true)
    expect(netPeerCount(a)).toBe('0x1')
    expect(netPeerCount(b)).toBe('0x1')

    const [fromB] = adminPeers(b)
    expect(Object.keys(fromB!)).toEqual(['enode', 'id', 'name', 'caps', 'network', 'protocols'])
    expect(fromB).toMatchObject({
      enode: aUrl,
      id: nodeIdHex(a.id),
      name: 'mosaic/test',
      caps: ['eth/68', 'eth/69'],
      network: { remoteAddress: `127.0.0.1:${a.peers.port}`, inbound: false, trusted: false, static: true },
      protocols: { eth: { version: 69 } },
    })
    expect(fromB!.network.localAddress).toMatch(/^127\.0\.0\.1:\d+$/)
    const [fromA] = adminPeers(a)
    expect(fromA).toMatchObject({ id: nodeIdHex(b.id), network: { inbound: true, static: false, localAddress: `127.0.0.1:${a.peers.port}` } })
    expect(fromA!.network.remoteAddress).toBe(fromB!.network.localAddress)

    // a static peer that drops us is dialed again
    a.peers.peers.get(bytesToHex(b.id))!.disconnect()
    expect(await until(() => a.peers.peers.size === 0)).toBe(true)
    expect(await until(() => a.peers.peers.size === 1 && b.peers.peers.size === 1)).toBe(true)

    expect(adminRemovePeer(b, aUrl)).toBe(true)
    expect(b.staticPeers.size).toBe(0)
    expect(await until(() => a.peers.peers.size === 0 && b.peers.peers.size === 0)).toBe(true)
    await Bun.sleep(150) // past two redial periods: not dialed again
    expect(b.peers.peers.size).toBe(0)
    expect(netPeerCount(b)).toBe('0x0')
  })

  test.each([42, 'enode://zz@1.2.3.4:1', `enode://${'a'.repeat(128)}@1.2.3.4`, 'enr:-xyz'])('a bad URL %p is an ENR_INVALID error', async (url) => {
    const p2p = await service()
    expect(() => adminAddPeer(p2p, url)).toThrow(expect.objectContaining({ code: 'ENR_INVALID' }))
    expect(() => adminRemovePeer(p2p, url)).toThrow(expect.objectContaining({ code: 'ENR_INVALID' }))
    expect(p2p.staticPeers.size).toBe(0)
  })
})

describe('discv4 through the service', () => {
  test('two services meet through a discv4 bootnode and connect', async () => {
    const boot = await startDiscv4({ privateKey: randomPrivateKey(), revalidateMs: 0 })
    cleanups.push(() => boot.close())
    const url = formatEnode({ id: boot.id, ip: ipToBytes('127.0.0.1'), tcpPort: 0, udpPort: boot.port })
    const flags = { nodiscover: false, 'discovery.port': '0', bootnodes: url }
    const a = await service(flags, { lookupIntervalMs: 100 })
    const b = await service(flags, { lookupIntervalMs: 100 })
    expect(a.discv4).not.toBeNull()
    expect(await until(() => a.peers.peers.has(bytesToHex(b.id)) && b.peers.peers.has(bytesToHex(a.id)), 8000)).toBe(true)
    expect(adminNodeInfo(a).ports.discovery).toBe(a.discv4!.port)
  }, 15_000)
})
