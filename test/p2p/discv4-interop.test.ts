import { afterEach, describe, expect, test } from 'bun:test'
import { createSocket } from 'node:dgram'
import { DPT } from '@ethereumjs/devp2p'
import { encodePacket, enrNodeId, expirationFromNow, findNode, ipToBytes, publicKeyOf, randomPrivateKey, startDiscv4, type Discv4 } from '../../src/p2p/internals.ts'
import { keccak256 } from '../../src/crypto/index.ts'
import { withTimeout } from './helpers.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function node(): Promise<Discv4> {
  const d = await startDiscv4({ privateKey: randomPrivateKey(), timeoutMs: 1000, revalidateMs: 0 })
  cleanups.push(() => d.close())
  return d
}

async function dpt(): Promise<{ dpt: DPT; port: number; id: Uint8Array }> {
  const privateKey = randomPrivateKey()
  const sock = createSocket('udp4')
  const d = new DPT(privateKey, {
    endpoint: { address: '127.0.0.1', udpPort: null, tcpPort: null },
    createSocket: () => sock,
    shouldFindNeighbours: false,
    shouldGetDnsPeers: false,
    refreshInterval: 3_600_000,
    timeout: 1500,
  })
  const listening = new Promise<void>((r) => d.events.once('listening', () => r()))
  d.bind(0, '127.0.0.1')
  await withTimeout(listening, 2000, 'dpt listening')
  cleanups.push(() => d.destroy())
  return { dpt: d, port: sock.address().port, id: publicKeyOf(privateKey) }
}

describe('discv4 between two Mosaic nodes', () => {
  test('ping/pong bonds both ways and fills the tables; FindNode, ENRRequest and lookup work', async () => {
    const a = await node()
    const b = await node()
    const c = await node()
    const pong = await withTimeout(a.ping({ address: '127.0.0.1', udpPort: b.port }), 2000, 'ping b')
    expect(pong.nodeId).toEqual(b.id)
    expect(pong.enrSeq).toBe(1n)
    await withTimeout(c.ping({ address: '127.0.0.1', udpPort: b.port }), 2000, 'ping c→b')
    // b pinged a and c back (endpoint proof) and added both
    const deadline = Date.now() + 2000
    while ((!findNode(b.table, a.id) || !findNode(b.table, c.id)) && Date.now() < deadline) await Bun.sleep(10)
    expect(findNode(b.table, a.id)).toBeDefined()
    expect(findNode(b.table, c.id)).toBeDefined()

    const bRecord = { id: b.id, ip: ipToBytes('127.0.0.1'), udpPort: b.port, tcpPort: 0 }
    const neighbors = await withTimeout(a.findNode(bRecord, c.id), 3000, 'findnode')
    expect(neighbors.some((n) => Buffer.from(n.id).equals(Buffer.from(c.id)))).toBe(true)

    const enr = await withTimeout(a.requestEnr(bRecord), 3000, 'enr request')
    expect(enrNodeId(enr)).toEqual(keccak256(b.id))

    // a knows b (its table got b after bonding); a lookup for c finds c through b
    const found = await withTimeout(a.lookup(c.id), 5000, 'lookup')
    expect(found.some((n) => Buffer.from(n.id).equals(Buffer.from(c.id)))).toBe(true)
  })

  test('revalidation drops a node that stopped answering', async () => {
    const a = await startDiscv4({ privateKey: randomPrivateKey(), timeoutMs: 300, revalidateMs: 50 })
    cleanups.push(() => a.close())
    const b = await node()
    await withTimeout(a.ping({ address: '127.0.0.1', udpPort: b.port }), 2000, 'ping')
    let deadline = Date.now() + 2000
    while (!findNode(a.table, b.id) && Date.now() < deadline) await Bun.sleep(5)
    expect(findNode(a.table, b.id)).toBeDefined()
    await b.close()
    deadline = Date.now() + 3000
    while (findNode(a.table, b.id) && Date.now() < deadline) await Bun.sleep(10)
    expect(findNode(a.table, b.id)).toBeUndefined()
  })

  test('forged and expired packets are ignored (no reply, no crash)', async () => {
    const b = await node()
    const sock = createSocket('udp4')
    cleanups.push(() => new Promise<void>((r) => sock.close(() => r())))
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()))
    const replies: Uint8Array[] = []
    sock.on('message', (m) => replies.push(m))
    const key = randomPrivateKey()
    const ep = { ip: ipToBytes('127.0.0.1'), udpPort: sock.address().port, tcpPort: 0 }
    const expired = encodePacket({ type: 'Ping', version: 4, from: ep, to: ep, expiration: 1000 }, key).packet
    const forged = encodePacket({ type: 'Ping', version: 4, from: ep, to: ep, expiration: expirationFromNow() }, key).packet.slice()
    forged[5] = forged[5]! ^ 1
    sock.send(expired, b.port, '127.0.0.1')
    sock.send(forged, b.port, '127.0.0.1')
    sock.send(new Uint8Array([1, 2, 3]), b.port, '127.0.0.1')
    await Bun.sleep(200)
    expect(replies.length).toBe(0)
    // still alive: a valid ping gets a pong
    sock.send(encodePacket({ type: 'Ping', version: 4, from: ep, to: ep, expiration: expirationFromNow() }, key).packet, b.port, '127.0.0.1')
    const deadline = Date.now() + 2000
    while (replies.length === 0 && Date.now() < deadline) await Bun.sleep(10)
    expect(replies.length).toBeGreaterThan(0)
  })
})

describe('discv4 interop with @ethereumjs/devp2p DPT', () => {
  test('Mosaic pings DPT, DPT answers with pong', async () => {
    const d = await dpt()
    const a = await node()
    const pong = await withTimeout(a.ping({ address: '127.0.0.1', udpPort: d.port }), 3000, 'pong from DPT')
    expect(pong.nodeId).toEqual(d.id)
  })

  test('DPT pings Mosaic, Mosaic answers with pong', async () => {
    const d = await dpt()
    const a = await node()
    const peer = await withTimeout(d.dpt.addPeer({ address: '127.0.0.1', udpPort: a.port }), 3000, 'DPT addPeer')
    expect(peer.id).toEqual(a.id)
    expect(d.dpt.getPeers().some((p) => Buffer.from(p.id!).equals(Buffer.from(a.id)))).toBe(true)
  })

  test('Mosaic FindNode to DPT returns the nodes DPT knows', async () => {
    const d = await dpt()
    const known = await node()
    await withTimeout(d.dpt.addPeer({ address: '127.0.0.1', udpPort: known.port }), 3000, 'DPT learns a node')
    const a = await node()
    const dptRecord = { id: d.id, ip: ipToBytes('127.0.0.1'), udpPort: d.port, tcpPort: 0 }
    const nodes = await withTimeout(a.findNode(dptRecord, known.id), 4000, 'neighbours from DPT')
    expect(nodes.some((n) => Buffer.from(n.id).equals(Buffer.from(known.id)) && n.udpPort === known.port)).toBe(true)
  })
})
