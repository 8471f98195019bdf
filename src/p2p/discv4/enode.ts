/**
 * enode URLs (devp2p enode-url-scheme): `enode://<128 hex node id>@<ipv4>:<tcp port>[?discport=<udp port>]`.
 * Bootnode lists and admin APIs carry them; the UDP port defaults to the TCP port, and
 * `discport=0` marks a node that runs no discovery.
 *
 * Callers: node config (bootnodes), discovery bootstrap, tests.
 */
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { P2pError } from '../errors.ts'
import { enrFromText, enrPortValue, enrPublicKey, type Enr } from './enr.ts'
import { ipToBytes, ipToString, type NodeRecord } from './packet.ts'

const ENODE = /^enode:\/\/([0-9a-fA-F]{128})@(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})(?:\?discport=(\d{1,5}))?$/

/** Parses an enode URL into a node record; throws P2pError 'ENR_INVALID' on anything else. */
export function parseEnode(url: string): NodeRecord {
  const m = ENODE.exec(url.trim())
  const bad = (details: string) => new P2pError('ENR_INVALID', 'invalid enode URL', { details })
  if (!m) throw bad(url)
  const octets = m[2]!.split('.').map(Number)
  if (octets.some((o) => o > 255)) throw bad(`ip ${m[2]}`)
  const tcpPort = Number(m[3])
  const udpPort = m[4] === undefined ? tcpPort : Number(m[4])
  // discport=0 is a node without discovery (geth prints it so with --nodiscover): dialable, not pingable
  if (tcpPort > 65535 || udpPort > 65535 || (udpPort === 0 && m[4] === undefined)) throw bad('port out of range')
  return { id: hexToBytes(`0x${m[1]}`), ip: ipToBytes(m[2]!), tcpPort, udpPort }
}

/** Formats a node record as an enode URL (`?discport=` only when the UDP port differs). */
export function formatEnode(n: NodeRecord): string {
  const base = `enode://${bytesToHex(n.id).slice(2)}@${ipToString(n.ip)}:${n.tcpPort}`
  return n.udpPort === n.tcpPort ? base : `${base}?discport=${n.udpPort}`
}

/**
 * Parses a node given as an enode URL or an "enr:" record (geth accepts both for --bootnodes and
 * admin_addPeer). A record must be validly signed and carry an IPv4 address and UDP port; its
 * TCP port is 0 when absent (a discovery-only node). Throws P2pError 'ENR_INVALID'.
 */
export function parseNodeUrl(url: string): NodeRecord & { enr?: Enr } {
  const s = url.trim()
  if (!s.startsWith('enr:')) return parseEnode(s)
  const enr = enrFromText(s)
  const ip = enr.pairs.get('ip')
  if (!(ip instanceof Uint8Array) || ip.length !== 4) throw new P2pError('ENR_INVALID', 'invalid node record', { details: 'no IPv4 address' })
  const udpPort = enrPortValue(enr.pairs.get('udp'))
  if (udpPort === 0) throw new P2pError('ENR_INVALID', 'invalid node record', { details: 'no UDP port' })
  return { id: enrPublicKey(enr), ip, udpPort, tcpPort: enrPortValue(enr.pairs.get('tcp')), enr }
}
