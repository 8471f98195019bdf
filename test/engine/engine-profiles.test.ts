/**
 * Where the Engine API runs, as users start it: the execution profile on the dev chain mines by
 * itself and serves no Engine API, with --dev.engine it does the opposite (the secret generated
 * as <datadir>/jwt.hex, mode 0600, its path logged); the node profile runs storage, chain, pool,
 * p2p, the Engine API and the public RPC, answers SYNCING for a head it cannot reach, and
 * `mosaic components` lists sync as planned for it.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngineClient, parseJwtSecret } from '../../src/engine/index.ts'
import { cancunGenesis, fcState, transfer } from './helpers.ts'
import { startChild } from '../child-process.ts'

const ROOT = join(import.meta.dir, '../..')
const MOSAIC = join(ROOT, 'bin/mosaic')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mosaic-engine-profile-'))
  dirs.push(d)
  return d
}

/** Starts mosaic and reads its log until `until` matches every pattern; then the caller drives it. */
async function start(args: string[], until: RegExp[], home: string) {
  const child = await startChild([MOSAIC, ...args], { ready: Object.fromEntries(until.map((r, i) => [i, r])), timeoutMs: 30_000, env: { ...process.env, HOME: home }, name: 'mosaic' })
  const { proc, startLog: log } = child
  const endpoint = (what: string) => log.match(new RegExp(`${what}.*endpoint=(http://\\S+)`))?.[1]
  return { proc, log, rpcUrl: endpoint('HTTP server started')!, engineUrl: endpoint('Engine API started') }
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await r.json()) as { result: unknown }).result
}

const HTTP = /HTTP server started.*endpoint=/
const ENGINE = /Engine API started.*endpoint=/

test('the dev chain mines by itself and serves no Engine API', async () => {
  const home = tmp()
  const node = await start(['--dev.memory', '--http.port', '0', '--datadir', join(home, 'd')], [HTTP], home)
  try {
    await rpc(node.rpcUrl, 'eth_sendRawTransaction', [transfer(0n, { chainId: 31337n })])
    expect(await rpc(node.rpcUrl, 'eth_blockNumber')).toBe('0x1')
    expect(node.log).not.toContain('Engine API')
  } finally {
    node.proc.kill('SIGTERM')
    await node.proc.exited
  }
  expect(() => statSync(join(home, 'd', 'jwt.hex'))).toThrow()
})

test('--dev.engine: no dev miner, the Engine API with a generated <datadir>/jwt.hex (0600, path logged)', async () => {
  const home = tmp()
  const datadir = join(home, 'd')
  const node = await start(['--dev.memory', '--dev.engine', '--http.port', '0', '--authrpc.port', '0', '--datadir', datadir], [HTTP, ENGINE], home)
  try {
    const file = join(datadir, 'jwt.hex')
    expect(node.log).toMatch(new RegExp(`Generated JWT secret.*path=${file}`))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const secret = parseJwtSecret(readFileSync(file, 'utf8'))!
    const engine = createEngineClient({ url: node.engineUrl!, secret })
    expect(await engine.call('eth_chainId')).toBe('0x7a69')
    await rpc(node.rpcUrl, 'eth_sendRawTransaction', [transfer(0n, { chainId: 31337n })])
    await Bun.sleep(200)
    expect(await rpc(node.rpcUrl, 'eth_blockNumber')).toBe('0x0')
    const genesis = (await rpc(node.rpcUrl, 'eth_getBlockByNumber', ['0x0', false])).hash
    const r = await engine.call<{ payloadId: string }>('engine_forkchoiceUpdatedV3', [
      fcState(genesis),
      { timestamp: '0x7fffffff', prevRandao: genesis, suggestedFeeRecipient: `0x${'00'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: genesis },
    ])
    // the dev chain runs Prague
    const got = await engine.call<{ executionPayload: { transactions: string[] } }>('engine_getPayloadV4', [r.payloadId])
    expect(got.executionPayload.transactions).toHaveLength(1)
  } finally {
    node.proc.kill('SIGTERM')
    await node.proc.exited
  }
})

test('the node profile: p2p, pool, Engine API and RPC on a genesis file; SYNCING for a head it cannot reach', async () => {
  const home = tmp()
  const genesis = join(home, 'genesis.json')
  writeFileSync(genesis, JSON.stringify(cancunGenesis()))
  writeFileSync(join(home, 'jwt.hex'), '42'.repeat(32))
  const args = ['--profile', 'node', '--chain', genesis, '--datadir', join(home, 'd'), '--nodiscover', '--port', '0', '--http.port', '0', '--authrpc.port', '0', '--authrpc.jwtsecret', join(home, 'jwt.hex')]
  const node = await start(args, [HTTP, ENGINE, /Started P2P networking/], home)
  try {
    expect(node.log).not.toContain('Mined block')
    expect(await rpc(node.rpcUrl, 'eth_chainId')).toBe('0x539')
    expect((await rpc(node.rpcUrl, 'admin_nodeInfo')).enode).toStartWith('enode://')
    const hash = await rpc(node.rpcUrl, 'eth_sendRawTransaction', [transfer(0n)])
    expect((await rpc(node.rpcUrl, 'txpool_status')).pending).toBe('0x1')
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)
    const engine = createEngineClient({ url: node.engineUrl!, secret: new Uint8Array(32).fill(0x42) })
    const unknown = `0x${'55'.repeat(32)}` as const
    expect(await engine.call('engine_forkchoiceUpdatedV3', [fcState(unknown), null])).toEqual({ payloadStatus: { status: 'SYNCING', latestValidHash: null, validationError: null }, payloadId: null })
    expect(await rpc(node.rpcUrl, 'eth_blockNumber')).toBe('0x0')
  } finally {
    node.proc.kill('SIGTERM')
    expect(await node.proc.exited).toBe(143)
  }
}, 60_000)

test('mosaic components: the node profile runs the engine and sync, nothing planned for it', () => {
  const p = Bun.spawnSync([MOSAIC, 'components', '--json'], { stdout: 'pipe' })
  const rows = JSON.parse(p.stdout.toString()) as { name: string; profiles: string[]; planned: boolean }[]
  const row = (n: string) => rows.find((r) => r.name === n)!
  expect(row('engine')).toMatchObject({ planned: false })
  expect(row('engine').profiles).toEqual(['execution', 'node', 'statesync'])
  expect(row('sync')).toMatchObject({ planned: false, profiles: ['node'] })
  expect(rows.filter((r) => r.planned && r.profiles.includes('node'))).toEqual([])
  for (const c of ['p2p', 'eth', 'txgossip', 'rpc', 'chain']) expect(row(c).profiles).toContain('node')
})
