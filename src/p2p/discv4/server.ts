/**
 * discv4 node over UDP (node:dgram): answers Ping/FindNode/ENRRequest, bonds through the
 * endpoint proof (a FindNode or ENRRequest is answered only for nodes that answered our Ping
 * within 12 h), keeps a Kademlia table, revalidates it and runs iterative lookups.
 *
 * Callers: the peer manager (candidates to dial), CLI/bootstrapping.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import { keccak256 } from '../../crypto/index.ts'
import { bytesToHex, decodeRlp, equalBytes, type RlpItem } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import { publicKeyOf, randomPrivateKey } from '../rlpx/ecies.ts'
import { decodeEnr, encodeEnr, enrPortBytes, signEnr, type Enr } from './enr.ts'
import {
  decodePacket,
  encodePacket,
  expirationFromNow,
  ipToBytes,
  ipToString,
  isExpired,
  type Discv4Message,
  type Endpoint,
  type NodeRecord,
} from './packet.ts'
import { BUCKET_SIZE, addNode, closest, compareDistance, newTable, revalidated, revalidationCandidate, tableSize, type Table } from './table.ts'

export const BOND_EXPIRATION_MS = 12 * 60 * 60 * 1000
/** Nodes per Neighbors packet, so that it stays under 1280 bytes. */
const NEIGHBORS_PER_PACKET = 12
const ALPHA = 3

export interface Discv4Options {
  privateKey: Uint8Array
  /** Default 127.0.0.1. */
  address?: string
  /** 0 picks a free port. */
  udpPort?: number
  /** RLPx port advertised in Ping and the ENR. */
  tcpPort?: number
  /** Address advertised in the ENR and Ping (default: the bind address, 127.0.0.1 for 0.0.0.0). */
  externalIp?: string
  /** Extra ENR entries, e.g. `{ eth: ethEnrEntry(forkId) }`. */
  entries?: Record<string, RlpItem>
  /** Reply timeout (default 500 ms). */
  timeoutMs?: number
  /** Revalidation period; 0 disables (default 10 s). */
  revalidateMs?: number
  /** A node is reported to `onNode` again at most this often (default 30 s), so failed dials can retry. */
  reportIntervalMs?: number
  /**
   * Packets that are not discv4 (the hash check fails) go here instead of being dropped, so that
   * discv5 can share the socket, as geth does.
   */
  unhandled?: (packet: Uint8Array, from: RemoteInfo) => void
  /** Nodes `bootstrap` bonds with first (parse enode URLs with `parseEnode`). */
  bootnodes?: NodeRecord[]
}

export interface UdpAddress {
  address: string
  udpPort: number
}

interface Pending {
  from: string
  type: Discv4Message['type']
  match: (m: Discv4Message) => boolean
  resolve: (m: Discv4Message) => boolean | void
  reject: (e: unknown) => void
  timer: ReturnType<typeof setTimeout>
}

export interface Discv4 {
  id: Uint8Array
  port: number
  /** The UDP socket (shared with discv5 through `unhandled`). */
  socket: Socket
  table: Table
  enr: Enr
  ping(to: UdpAddress): Promise<{ nodeId: Uint8Array; enrSeq?: bigint }>
  findNode(to: NodeRecord, target: Uint8Array): Promise<NodeRecord[]>
  requestEnr(to: NodeRecord): Promise<Enr>
  /** Iterative lookup of the nodes closest to `target` (64-byte id; random when omitted). */
  lookup(target?: Uint8Array): Promise<NodeRecord[]>
  /** Pings the bootnodes (bonding both ways), then looks up our own id; resolves with the nodes found. */
  bootstrap(): Promise<NodeRecord[]>
  /** Called for each node seen (table entry or lookup result), at most once per `reportIntervalMs`; consumer: the dialer. */
  onNode(h: (n: NodeRecord) => void): void
  /** Nodes in the table. */
  size(): number
  close(): Promise<void>
}

const hexId = (id: Uint8Array) => bytesToHex(id)

export async function startDiscv4(opts: Discv4Options): Promise<Discv4> {
  const id = publicKeyOf(opts.privateKey)
  const address = opts.address ?? '127.0.0.1'
  const timeoutMs = opts.timeoutMs ?? 500
  const socket: Socket = createSocket('udp4')
  await new Promise<void>((res, rej) => {
    socket.once('error', rej)
    socket.bind(opts.udpPort ?? 0, address, () => {
      socket.off('error', rej)
      res()
    })
  })
  socket.on('error', () => {})
  const port = socket.address().port
  const advertised = opts.externalIp ?? (address === '0.0.0.0' ? '127.0.0.1' : address)
  const self: Endpoint = { ip: ipToBytes(advertised), udpPort: port, tcpPort: opts.tcpPort ?? 0 }
  const enr = signEnr(1n, { ...opts.entries, ip: self.ip, udp: enrPortBytes(port), tcp: enrPortBytes(self.tcpPort) }, opts.privateKey)
  const table = newTable(id)
  const pongReceived = new Map<string, number>() // they answered our ping: endpoint proven
  const pingReceived = new Map<string, number>() // they pinged us: they consider us bonded
  const pending = new Set<Pending>()
  let closed = false
  const reportedAt = new Map<string, number>()
  const reportEvery = opts.reportIntervalMs ?? 30_000
  const nodeHandlers: ((n: NodeRecord) => void)[] = []
  const discovered = (n: NodeRecord) => {
    const k = hexId(n.id)
    const now = Date.now()
    if (equalBytes(n.id, id) || now - (reportedAt.get(k) ?? -Infinity) < reportEvery) return
    remember(reportedAt, k, now)
    for (const h of nodeHandlers) h(n)
  }
  const add = (n: NodeRecord) => {
    addNode(table, n)
    discovered(n)
  }

  const send = (m: Discv4Message, to: UdpAddress): Uint8Array => {
    const { packet, hash } = encodePacket(m, opts.privateKey)
    if (!closed) socket.send(packet, to.udpPort, to.address)
    return hash
  }

  const expect = (from: Uint8Array | null, fromKey: string, type: Discv4Message['type'], match: Pending['match'], onReply: Pending['resolve']) =>
    new Promise<Discv4Message>((resolve, reject) => {
      const p: Pending = {
        from: from ? hexId(from) : fromKey,
        type,
        match,
        resolve: (m) => {
          const done = onReply(m)
          if (done === false) return false
          clearTimeout(p.timer)
          pending.delete(p)
          resolve(m)
          return true
        },
        reject,
        timer: setTimeout(() => {
          pending.delete(p)
          reject(new P2pError('TIMEOUT', `no ${type} reply`))
        }, timeoutMs),
      }
      pending.add(p)
    })

  const bonded = (nodeId: Uint8Array) => Date.now() - (pongReceived.get(hexId(nodeId)) ?? 0) < BOND_EXPIRATION_MS

  const ping = async (to: UdpAddress) => {
    const toEp: Endpoint = { ip: ipToBytes(to.address), udpPort: to.udpPort, tcpPort: 0 }
    const hash = send({ type: 'Ping', version: 4, from: self, to: toEp, expiration: expirationFromNow(), enrSeq: enr.seq }, to)
    const pong = await expect(null, `${to.address}:${to.udpPort}`, 'Pong', (m) => m.type === 'Pong' && equalBytes(m.pingHash, hash), () => {})
    const p = pong as Extract<Discv4Message, { type: 'Pong' }> & { _from?: Uint8Array }
    return { nodeId: p._from!, ...(p.enrSeq !== undefined ? { enrSeq: p.enrSeq } : {}) }
  }

  /** Makes sure the remote will answer FindNode: it must have pinged us recently. */
  const ensureBond = async (n: NodeRecord) => {
    const to = { address: ipToString(n.ip), udpPort: n.udpPort }
    if (Date.now() - (pingReceived.get(hexId(n.id)) ?? 0) < BOND_EXPIRATION_MS) return
    await ping(to)
    // the remote pings us back to prove our endpoint; give it a moment
    const deadline = Date.now() + timeoutMs
    while (!closed && Date.now() < deadline && !pingReceived.has(hexId(n.id))) await new Promise((r) => setTimeout(r, 10))
  }

  const findNodeFn = async (to: NodeRecord, target: Uint8Array) => {
    await ensureBond(to)
    const nodes: NodeRecord[] = []
    const addr = { address: ipToString(to.ip), udpPort: to.udpPort }
    send({ type: 'FindNode', target, expiration: expirationFromNow() }, addr)
    try {
      await expect(to.id, '', 'Neighbors', (m) => m.type === 'Neighbors', (m) => {
        if (m.type !== 'Neighbors') return false
        nodes.push(...m.nodes)
        // senders split replies into packets of 12 (geth, Mosaic): a short packet is the last one
        return nodes.length >= BUCKET_SIZE || m.nodes.length < NEIGHBORS_PER_PACKET
      })
    } catch (e) {
      if (nodes.length === 0) throw e
    }
    return nodes.slice(0, BUCKET_SIZE)
  }

  const lookup = async (target: Uint8Array = publicKeyOf(randomPrivateKey())): Promise<NodeRecord[]> => {
    const th = keccak256(target)
    const seen = new Map<string, NodeRecord & { hash: Uint8Array }>()
    for (const e of closest(table, th, BUCKET_SIZE)) seen.set(hexId(e.id), e)
    const asked = new Set<string>()
    for (;;) {
      const candidates = [...seen.values()]
        .sort((a, b) => compareDistance(th, a.hash, b.hash))
        .slice(0, BUCKET_SIZE)
        .filter((n) => !asked.has(hexId(n.id)))
        .slice(0, ALPHA)
      if (candidates.length === 0) break
      const results = await Promise.allSettled(
        candidates.map((n) => {
          asked.add(hexId(n.id))
          return findNodeFn(n, target)
        }),
      )
      for (const r of results) {
        if (r.status !== 'fulfilled') continue
        for (const n of r.value) {
          if (equalBytes(n.id, id) || seen.has(hexId(n.id))) continue
          seen.set(hexId(n.id), { ...n, hash: keccak256(n.id) })
          discovered(n)
        }
      }
    }
    return [...seen.values()].sort((a, b) => compareDistance(th, a.hash, b.hash)).slice(0, BUCKET_SIZE).map(({ hash: _h, ...n }) => n)
}

  const onPacket = (msg: Uint8Array, rinfo: RemoteInfo) => {
    let d
    try {
      d = decodePacket(new Uint8Array(msg))
    } catch {
      // not discv4, malformed or forged: another protocol's, or dropped
      if (opts.unhandled) {
        try {
          opts.unhandled(msg, rinfo)
        } catch {}
      }
      return
    }
    const m = d.message
    if ('expiration' in m && isExpired(m.expiration)) return
    const from = { address: rinfo.address, udpPort: rinfo.port }
    const key = hexId(d.nodeId)
    const record: NodeRecord = { id: d.nodeId, ip: ipToBytes(rinfo.address), udpPort: rinfo.port, tcpPort: 0 }
    switch (m.type) {
      case 'Ping': {
        record.tcpPort = m.from.tcpPort
        send({ type: 'Pong', to: { ip: record.ip, udpPort: rinfo.port, tcpPort: m.from.tcpPort }, pingHash: d.hash, expiration: expirationFromNow(), enrSeq: enr.seq }, from)
        remember(pingReceived, key, Date.now())
        if (!bonded(d.nodeId)) ping(from).then(() => add(record), () => {})
        else add(record)
        return
      }
      case 'Pong': {
        for (const p of pending) {
          if (p.type === 'Pong' && p.from === `${rinfo.address}:${rinfo.port}` && p.match(m)) {
            remember(pongReceived, key, Date.now())
            ;(m as { _from?: Uint8Array })._from = d.nodeId
            p.resolve(m)
            return
          }
        }
        return
      }
      case 'FindNode': {
        if (!bonded(d.nodeId)) return
        const nodes = closest(table, keccak256(m.target), BUCKET_SIZE).map((e) => ({ id: e.id, ip: e.ip, udpPort: e.udpPort, tcpPort: e.tcpPort }))
        for (let i = 0; i === 0 || i < nodes.length; i += NEIGHBORS_PER_PACKET)
          send({ type: 'Neighbors', nodes: nodes.slice(i, i + NEIGHBORS_PER_PACKET), expiration: expirationFromNow() }, from)
        return
      }
      case 'EnrRequest': {
        if (!bonded(d.nodeId)) return
        send({ type: 'EnrResponse', requestHash: d.hash, record: decodeRlpList(encodeEnr(enr)) }, from)
        return
      }
      case 'Neighbors':
      case 'EnrResponse': {
        for (const p of pending) if (p.type === m.type && p.from === key && p.match(m) && p.resolve(m)) return
        return
      }
    }
  }
  socket.on('message', onPacket)

  let revalidateTimer: ReturnType<typeof setInterval> | null = null
  const period = opts.revalidateMs ?? 10_000
  if (period > 0) {
    revalidateTimer = setInterval(() => {
      const c = revalidationCandidate(table)
      if (!c) return
      ping({ address: ipToString(c.ip), udpPort: c.udpPort }).then(
        () => revalidated(table, c.id, true),
        () => revalidated(table, c.id, false),
      )
    }, period)
    ;(revalidateTimer as { unref?: () => void }).unref?.()
  }

  return {
    id,
    port,
    socket,
    table,
    enr,
    ping: async (to) => {
      const r = await ping(to)
      return r
    },
    findNode: findNodeFn,
    requestEnr: async (to) => {
      await ensureBond(to)
      const hash = send({ type: 'EnrRequest', expiration: expirationFromNow() }, { address: ipToString(to.ip), udpPort: to.udpPort })
      const r = await expect(to.id, '', 'EnrResponse', (m) => m.type === 'EnrResponse' && equalBytes(m.requestHash, hash), () => {})
      const rec = decodeEnr((r as Extract<Discv4Message, { type: 'EnrResponse' }>).record as never)
      return rec
    },
    bootstrap: async () => {
      await Promise.allSettled(
        (opts.bootnodes ?? []).map(async (b) => {
          await ensureBond(b)
          add(b)
        }),
      )
      return lookup(id)
    },
    onNode(h) {
      nodeHandlers.push(h)
    },
    lookup: (target) => lookup(target),
    size: () => tableSize(table),
    close: () =>
      new Promise<void>((res) => {
        if (closed) return res()
        closed = true
        if (revalidateTimer) clearInterval(revalidateTimer)
        for (const p of pending) {
          clearTimeout(p.timer)
          p.reject(new P2pError('CLOSED', 'discv4 closed'))
        }
        pending.clear()
        socket.close(() => res())
      }),
  }
}

/** Node ids remembered per map (bond times, report times); the oldest are forgotten first. */
const MAX_REMEMBERED = 10_000

function remember(m: Map<string, number>, key: string, value: number): void {
  m.delete(key) // re-insert so that insertion order is age order
  m.set(key, value)
  if (m.size > MAX_REMEMBERED) m.delete(m.keys().next().value!)
}

function decodeRlpList(b: Uint8Array): RlpItem {
  return decodeRlp(b)
}

