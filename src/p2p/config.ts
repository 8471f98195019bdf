/**
 * The p2p section of the node configuration, from geth-compatible flags:
 *
 *   --bootnodes URLS       comma-separated enode:// URLs or enr: records for discovery (default: the chain's)
 *   --addr IP              IPv4 interface the RLPx and discovery sockets listen on (0.0.0.0; reth's name)
 *   --port N               RLPx TCP port and, unless --discovery.port is set, UDP port (30303)
 *   --discovery.port N     discovery UDP port (default: --port)
 *   --nat extip:IP | none | any   address to advertise (only extip is acted on; no UPnP/NAT-PMP)
 *   --maxpeers N           peer limit (50)
 *   --nodekey FILE         hex private key file; --nodekeyhex HEX gives the key itself
 *   --nodiscover           no discovery: only static peers (admin_addPeer) are dialed; --bootnodes
 *                          then go unused, as in geth
 *   --discovery.v4, --discovery.v5   turn a discovery protocol on or off (v4 on, v5 off)
 *
 * `parseP2pConfig` is pure: a flag map in, a typed `P2pConfig` or a `P2pConfigError` naming the
 * flag out. `loadNodeKey` does the file work (read the key, or create `<datadir>/nodekey`).
 *
 * Callers: the CLI (profiles txpool and node), the p2p component.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, hexToBytes, MosaicError } from '../primitives/index.ts'
import { V5_BOOTNODES } from './bootnodes.ts'
import { parseNodeUrl } from './discv4/enode.ts'
import { ipToBytes } from './discv4/packet.ts'
import { randomPrivateKey } from './rlpx/ecies.ts'

export type P2pFlags = Record<string, string | boolean | undefined>

/** Names of the flags this section reads, for the CLI's parser. */
export const P2P_FLAGS = {
  values: ['bootnodes', 'addr', 'port', 'discovery.port', 'nat', 'maxpeers', 'nodekey', 'nodekeyhex'],
  booleans: ['nodiscover', 'discovery.v4', 'discovery.v5'],
} as const

export const DEFAULT_P2P_PORT = 30303
export const DEFAULT_MAX_PEERS = 50
/** Upper bound on --maxpeers: each peer costs sockets, buffers and timers. */
export const MAX_MAX_PEERS = 10_000
/** Name of the generated key file under the data directory. */
export const NODEKEY_FILE = 'nodekey'

export type NatConfig = { kind: 'any' } | { kind: 'none' } | { kind: 'extip'; ip: string }

export type NodeKeySource =
  | { kind: 'file'; path: string; create: boolean } // create: generate and save when absent
  | { kind: 'hex'; key: Uint8Array }
  | { kind: 'ephemeral' } // no data dir: a fresh key per run

export interface P2pConfig {
  /** Interface to listen on (--addr; in-process tests give it as the context's). */
  listenAddress: string
  /** RLPx TCP port (0 picks a free one). */
  port: number
  /** Discovery UDP port. */
  discoveryPort: number
  nat: NatConfig
  maxPeers: number
  /** Validated enode:// URLs and enr: records, for discv4 (and dialing nothing: TCP 0 is skipped). */
  bootnodes: string[]
  /** Records for discv5: the enr: entries of --bootnodes, else the chain's records plus geth's V5 list. */
  bootnodesV5: string[]
  nodeKey: NodeKeySource
  discovery: { v4: boolean; v5: boolean }
}

export type P2pConfigErrorKind = 'invalid-value' | 'conflict' | 'nodekey'

/** A bad p2p flag: `flag` names it (without dashes), `kind` says what is wrong. */
export class P2pConfigError extends MosaicError {
  override name = 'P2pConfigError'
  readonly flag: string
  readonly kind: P2pConfigErrorKind
  constructor(flag: string, kind: P2pConfigErrorKind, details: string, cause?: unknown) {
    super('P2P_CONFIG', `invalid --${flag}`, { details, cause })
    this.flag = flag
    this.kind = kind
  }
}

export interface P2pConfigContext {
  /** Data directory; the node key lives here when --nodekey is not given. */
  dataDir?: string
  /** The chain spec's bootnodes, used when --bootnodes is absent. */
  chainBootnodes?: readonly string[]
  /** Listen interface when --addr is absent (default 0.0.0.0). */
  listenAddress?: string
}

/** Builds the p2p config from flags (keys without dashes); throws P2pConfigError. */
export function parseP2pConfig(flags: P2pFlags, ctx: P2pConfigContext = {}): P2pConfig {
  const port = portFlag(flags, 'port', DEFAULT_P2P_PORT)
  const discoveryPort = portFlag(flags, 'discovery.port', port)
  const maxPeers = intFlag(flags, 'maxpeers', DEFAULT_MAX_PEERS, 0, MAX_MAX_PEERS)
  const nodiscover = boolFlag(flags, 'nodiscover', false)
  const discovery = nodiscover ? { v4: false, v5: false } : { v4: boolFlag(flags, 'discovery.v4', true), v5: boolFlag(flags, 'discovery.v5', false) }
  const bootnodes = flags.bootnodes === undefined ? [...(ctx.chainBootnodes ?? [])] : bootnodeList(stringFlag(flags, 'bootnodes'))
  if (flags.bootnodes === undefined) bootnodes.forEach((b) => checkBootnode(b, 'bootnodes'))
  return {
    listenAddress: flags.addr !== undefined ? ipv4Flag('addr', stringFlag(flags, 'addr')) : (ctx.listenAddress ?? '0.0.0.0'),
    port,
    discoveryPort,
    nat: natFlag(flags),
    maxPeers,
    bootnodes,
    bootnodesV5: [...new Set([...bootnodes.filter((b) => b.startsWith('enr:')), ...(flags.bootnodes === undefined ? V5_BOOTNODES : [])])],
    nodeKey: nodeKeyFlag(flags, ctx.dataDir),
    discovery,
  }
}

function stringFlag(flags: P2pFlags, name: string): string {
  const v = flags[name]
  if (typeof v !== 'string') throw new P2pConfigError(name, 'invalid-value', 'a value is required')
  return v.trim()
}

function intFlag(flags: P2pFlags, name: string, def: number, min: number, max: number): number {
  if (flags[name] === undefined) return def
  const s = stringFlag(flags, name)
  if (!/^\d+$/.test(s)) throw new P2pConfigError(name, 'invalid-value', `"${s}" is not a non-negative integer`)
  const n = Number(s)
  if (n < min || n > max) throw new P2pConfigError(name, 'invalid-value', `${n} is outside ${min}..${max}`)
  return n
}

function portFlag(flags: P2pFlags, name: string, def: number): number {
  return intFlag(flags, name, def, 0, 65535)
}

function boolFlag(flags: P2pFlags, name: string, def: boolean): boolean {
  const v = flags[name]
  if (v === undefined) return def
  if (typeof v === 'boolean') return v
  const s = v.trim().toLowerCase()
  if (s === 'true' || s === '1' || s === '') return true
  if (s === 'false' || s === '0') return false
  throw new P2pConfigError(name, 'invalid-value', `"${v}" is not true or false`)
}

function checkBootnode(url: string, flag: string): void {
  const shown = url.length > 80 ? `${url.slice(0, 80)}…` : url
  let udpPort: number
  try {
    udpPort = parseNodeUrl(url).udpPort
  } catch (e) {
    throw new P2pConfigError(flag, 'invalid-value', `bad node URL "${shown}"`, e)
  }
  if (udpPort === 0) throw new P2pConfigError(flag, 'invalid-value', `"${shown}" runs no discovery (discport=0); add it with admin_addPeer instead`)
}

function bootnodeList(s: string): string[] {
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
  for (const u of list) checkBootnode(u, 'bootnodes')
  return list
}

function natFlag(flags: P2pFlags): NatConfig {
  if (flags.nat === undefined) return { kind: 'any' }
  const s = stringFlag(flags, 'nat')
  const lower = s.toLowerCase()
  if (lower === 'any' || lower === 'none') return { kind: lower }
  if (lower.startsWith('extip:')) {
    return { kind: 'extip', ip: ipv4Flag('nat', s.slice(6)) }
  }
  throw new P2pConfigError('nat', 'invalid-value', `"${s}" is not supported (use extip:IP, none or any; UPnP and NAT-PMP are not implemented)`)
}

/** `ip` if it is an IPv4 address, else a P2pConfigError naming `flag`. */
function ipv4Flag(flag: string, ip: string): string {
  const notIpv4 = (cause?: unknown) => new P2pConfigError(flag, 'invalid-value', `"${ip}" is not an IPv4 address`, cause)
  if (!ip.includes('.')) throw notIpv4()
  try {
    ipToBytes(ip)
  } catch (e) {
    throw notIpv4(e)
  }
  return ip
}

function nodeKeyFlag(flags: P2pFlags, dataDir: string | undefined): NodeKeySource {
  if (flags.nodekey !== undefined && flags.nodekeyhex !== undefined) throw new P2pConfigError('nodekey', 'conflict', '--nodekey and --nodekeyhex are mutually exclusive')
  if (flags.nodekeyhex !== undefined) return { kind: 'hex', key: parseKeyHex(stringFlag(flags, 'nodekeyhex'), 'nodekeyhex') }
  if (flags.nodekey !== undefined) {
    const path = stringFlag(flags, 'nodekey')
    if (!path) throw new P2pConfigError('nodekey', 'invalid-value', 'a file name is required')
    return { kind: 'file', path, create: false }
  }
  if (dataDir) return { kind: 'file', path: join(dataDir, NODEKEY_FILE), create: true }
  return { kind: 'ephemeral' }
}

/** A 32-byte secp256k1 private key from 64 hex digits (optional 0x, surrounding whitespace). */
function parseKeyHex(text: string, flag: string): Uint8Array {
  const s = text.trim().replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new P2pConfigError(flag, 'nodekey', 'the key must be 64 hex digits')
  const key = hexToBytes(`0x${s}`)
  if (!secp256k1.utils.isValidSecretKey(key)) throw new P2pConfigError(flag, 'nodekey', 'not a valid secp256k1 private key')
  return key
}

/**
 * The node's private key: read from the key file, or (for the data-dir default) generated and
 * saved there with mode 0600 when absent, as geth does. Throws P2pConfigError('nodekey').
 */
export function loadNodeKey(src: NodeKeySource): Uint8Array {
  if (src.kind === 'hex') return src.key
  if (src.kind === 'ephemeral') return randomPrivateKey()
  if (existsSync(src.path)) {
    let text: string
    try {
      text = readFileSync(src.path, 'utf8')
    } catch (e) {
      throw new P2pConfigError('nodekey', 'nodekey', `cannot read ${src.path}`, e)
    }
    return parseKeyHex(text, 'nodekey')
  }
  if (!src.create) throw new P2pConfigError('nodekey', 'nodekey', `${src.path} does not exist`)
  const key = randomPrivateKey()
  try {
    mkdirSync(dirname(src.path), { recursive: true })
    writeFileSync(src.path, bytesToHex(key).slice(2), { mode: 0o600 })
    chmodSync(src.path, 0o600)
  } catch (e) {
    throw new P2pConfigError('nodekey', 'nodekey', `cannot write ${src.path}`, e)
  }
  return key
}
