import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from '../primitives/index.ts'
import { V5_BOOTNODES } from './bootnodes.ts'
import { DEFAULT_MAX_PEERS, DEFAULT_P2P_PORT, loadNodeKey, NODEKEY_FILE, P2pConfigError, parseP2pConfig, type P2pFlags } from './config.ts'
import { formatEnode } from './discv4/enode.ts'
import { enrToText, signEnr } from './discv4/enr.ts'
import { enrPortBytes } from './discv4/enr.ts'
import { ipToBytes } from './discv4/packet.ts'
import { publicKeyOf, randomPrivateKey } from './rlpx/ecies.ts'

const enode = (port = 30303) => formatEnode({ id: publicKeyOf(randomPrivateKey()), ip: ipToBytes('10.0.0.1'), tcpPort: port, udpPort: port })
const record = () => enrToText(signEnr(1n, { ip: ipToBytes('10.0.0.2'), udp: enrPortBytes(30303) }, randomPrivateKey()))

const dir = mkdtempSync(join(tmpdir(), 'mosaic-p2p-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function configError(flags: P2pFlags): P2pConfigError {
  try {
    parseP2pConfig(flags)
  } catch (e) {
    if (e instanceof P2pConfigError) return e
    throw e
  }
  throw new Error('no error')
}

describe('parseP2pConfig', () => {
  test('defaults are geth-like', () => {
    const c = parseP2pConfig({}, { chainBootnodes: [enode()] })
    expect(c).toMatchObject({ listenAddress: '0.0.0.0', port: DEFAULT_P2P_PORT, discoveryPort: DEFAULT_P2P_PORT, maxPeers: DEFAULT_MAX_PEERS, nat: { kind: 'any' } })
    expect(c.discovery).toEqual({ v4: true, v5: false })
    expect(c.bootnodes).toHaveLength(1)
    expect(c.nodeKey).toEqual({ kind: 'ephemeral' })
    expect(c.bootnodesV5).toEqual([...V5_BOOTNODES])
  })

  test('--port sets TCP and UDP; --discovery.port only UDP', () => {
    expect(parseP2pConfig({ port: '30305' })).toMatchObject({ port: 30305, discoveryPort: 30305 })
    expect(parseP2pConfig({ port: '30305', 'discovery.port': '30399' })).toMatchObject({ port: 30305, discoveryPort: 30399 })
  })

  test('--bootnodes replaces the chain list; enode URLs and records, spaces and empty items ignored', () => {
    const a = enode(1)
    const r = record()
    const c = parseP2pConfig({ bootnodes: ` ${a} ,, ${r} ` }, { chainBootnodes: [enode()] })
    expect(c.bootnodes).toEqual([a, r])
    expect(c.bootnodesV5).toEqual([r]) // discv5 needs signed records; no default V5 list then
  })

  test('--nat extip, none, any', () => {
    expect(parseP2pConfig({ nat: 'extip:1.2.3.4' }).nat).toEqual({ kind: 'extip', ip: '1.2.3.4' })
    expect(parseP2pConfig({ nat: 'none' }).nat).toEqual({ kind: 'none' })
    expect(parseP2pConfig({ nat: 'ANY' }).nat).toEqual({ kind: 'any' })
  })

  test('--addr sets the listen interface (IPv4), over the context\'s', () => {
    expect(parseP2pConfig({ addr: '127.0.0.1' }).listenAddress).toBe('127.0.0.1')
    expect(parseP2pConfig({ addr: '127.0.0.2' }, { listenAddress: '127.0.0.1' }).listenAddress).toBe('127.0.0.2')
    expect(parseP2pConfig({}, { listenAddress: '127.0.0.1' }).listenAddress).toBe('127.0.0.1')
    for (const addr of ['localhost', '::1', '1.2.3', '256.0.0.1']) expect(() => parseP2pConfig({ addr })).toThrow(P2pConfigError)
  })

  test('--nodiscover turns both protocols off; --discovery.v5 turns v5 on', () => {
    expect(parseP2pConfig({ nodiscover: true, 'discovery.v5': true }).discovery).toEqual({ v4: false, v5: false })
    expect(parseP2pConfig({ 'discovery.v5': true }).discovery).toEqual({ v4: true, v5: true })
    expect(parseP2pConfig({ 'discovery.v5': 'true', 'discovery.v4': 'false' }).discovery).toEqual({ v4: false, v5: true })
  })

  test('--maxpeers', () => {
    expect(parseP2pConfig({ maxpeers: '0' }).maxPeers).toBe(0)
    expect(parseP2pConfig({ maxpeers: '200' }).maxPeers).toBe(200)
  })

  test.each<[P2pFlags, string, string]>([
    [{ port: 'abc' }, 'port', 'invalid-value'],
    [{ port: '65536' }, 'port', 'invalid-value'],
    [{ port: '-1' }, 'port', 'invalid-value'],
    [{ port: true }, 'port', 'invalid-value'],
    [{ 'discovery.port': '1.5' }, 'discovery.port', 'invalid-value'],
    [{ maxpeers: '100000' }, 'maxpeers', 'invalid-value'],
    [{ maxpeers: 'many' }, 'maxpeers', 'invalid-value'],
    [{ bootnodes: 'enode://abc@1.2.3.4:30303' }, 'bootnodes', 'invalid-value'],
    [{ bootnodes: `${'enode://'}${'a'.repeat(128)}@1.2.3.4:99999` }, 'bootnodes', 'invalid-value'],
    [{ bootnodes: 'enr:-Iu4QGarbage' }, 'bootnodes', 'invalid-value'],
    [{ bootnodes: `${'enode://'}${'a'.repeat(128)}@1.2.3.4:30303?discport=0` }, 'bootnodes', 'invalid-value'], // no discovery: not a bootnode
    [{ nat: 'upnp' }, 'nat', 'invalid-value'],
    [{ nat: 'extip:999.1.1.1' }, 'nat', 'invalid-value'],
    [{ nat: 'extip:' }, 'nat', 'invalid-value'],
    [{ nodiscover: 'maybe' }, 'nodiscover', 'invalid-value'],
    [{ nodekey: 'a', nodekeyhex: 'b' }, 'nodekey', 'conflict'],
    [{ nodekeyhex: '1234' }, 'nodekeyhex', 'nodekey'],
    [{ nodekeyhex: 'f'.repeat(64) }, 'nodekeyhex', 'nodekey'], // above the curve order
  ])('%p is rejected naming --%s', (flags, flag, kind) => {
    const e = configError(flags)
    expect(e.flag).toBe(flag)
    expect(e.kind).toBe(kind as never)
    expect(e.code).toBe('P2P_CONFIG')
    expect(e.message).toStartWith(`invalid --${flag}`)
  })

  test('a bad chain bootnode is reported too', () => {
    expect(() => parseP2pConfig({}, { chainBootnodes: ['enode://nope'] })).toThrow(P2pConfigError)
  })
})

describe('node key', () => {
  test('generated under the data dir on first use (mode 0600), then reused', () => {
    const dataDir = join(dir, 'data1')
    const c = parseP2pConfig({}, { dataDir })
    expect(c.nodeKey).toEqual({ kind: 'file', path: join(dataDir, NODEKEY_FILE), create: true })
    const k1 = loadNodeKey(c.nodeKey)
    const file = join(dataDir, NODEKEY_FILE)
    expect(readFileSync(file, 'utf8')).toBe(bytesToHex(k1).slice(2))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(bytesToHex(loadNodeKey(c.nodeKey))).toBe(bytesToHex(k1))
  })

  test('--nodekey reads a hex file (0x and newline allowed) and must exist', () => {
    const key = randomPrivateKey()
    const file = join(dir, 'key.hex')
    writeFileSync(file, `${bytesToHex(key)}\n`)
    const c = parseP2pConfig({ nodekey: file }, { dataDir: join(dir, 'unused') })
    expect(bytesToHex(loadNodeKey(c.nodeKey))).toBe(bytesToHex(key))
    const missing = parseP2pConfig({ nodekey: join(dir, 'missing') })
    expect(() => loadNodeKey(missing.nodeKey)).toThrow(expect.objectContaining({ flag: 'nodekey', kind: 'nodekey' }))
    writeFileSync(join(dir, 'bad.hex'), 'zz')
    expect(() => loadNodeKey(parseP2pConfig({ nodekey: join(dir, 'bad.hex') }).nodeKey)).toThrow(P2pConfigError)
  })

  test('--nodekeyhex', () => {
    const key = randomPrivateKey()
    expect(bytesToHex(loadNodeKey(parseP2pConfig({ nodekeyhex: bytesToHex(key) }).nodeKey))).toBe(bytesToHex(key))
  })
})
