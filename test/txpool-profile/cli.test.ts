/**
 * The txpool profile from the command line: `--txpool-only --help` lists the p2p flags; a bad p2p
 * flag is one error line naming it and exit 1; the profile starts, serves RPC (eth_callBundle
 * refused without --state.url), and stops on SIGTERM with exit 0.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { call, devTx, rawHex, rpc } from './helpers.ts'
import { startChild } from '../child-process.ts'

const ROOT = join(import.meta.dir, '../..')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mosaic-txp-cli-'))
  dirs.push(d)
  return d
}

function cli(args: string[]) {
  const p = Bun.spawnSync([join(ROOT, 'bin/mosaic'), ...args], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, HOME: tmp(), XDG_DATA_HOME: '' } })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

test('--txpool-only --help lists the p2p, txpool and rpc flags', () => {
  const r = cli(['--txpool-only', '--help'])
  expect(r.code).toBe(0)
  for (const flag of ['--bootnodes', '--port', '--discovery.port', '--nat', '--maxpeers', '--nodekey', '--nodekeyhex', '--nodiscover', '--discovery.v4', '--discovery.v5', '--chain', '--datadir', '--txpool.lifetime', '--txpool.pricebump', '--http.port'])
    expect(r.out).toContain(`  ${flag} `)
  expect(r.out).toContain('Profile txpool:')
  expect(r.out).toContain('(default: eth,net,web3,txpool,admin)')
  expect(cli(['--profile', 'txpool', '--help']).out).toBe(r.out)
})

test.each([
  [['--port', 'abc'], 'invalid --port'],
  [['--maxpeers', '-1'], 'invalid --maxpeers'],
  [['--nat', 'upnp'], 'invalid --nat'],
  [['--bootnodes', 'enode://nothex@1.2.3.4:30303'], 'invalid --bootnodes'],
  [['--nodekeyhex', 'zz'], 'invalid --nodekeyhex'],
  [['--nodekey', '/nonexistent/key'], 'invalid --nodekey'],
  [['--nodekey', 'a', '--nodekeyhex', 'b'], 'invalid --nodekey'],
  [['--discovery.v5=maybe'], 'invalid value for --discovery.v5'],
  [['--txpool.lifetime', 'soon'], 'invalid value for --txpool.lifetime'],
  [['--chain', 'nowhere'], 'unknown chain'],
])('bad flag %p: one line, exit 1', (args, message) => {
  const r = cli(['--txpool-only', '--chain', 'dev', '--http.port', '0', '--port', '0', '--nodiscover', ...args])
  expect(r.code).toBe(1)
  const lines = r.err.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toStartWith('mosaic: ')
  expect(lines[0]).toContain(message)
})

test('starts from the CLI, serves RPC, stops on SIGTERM with exit 0', async () => {
  const { proc, startLog: log } = await startChild([join(ROOT, 'bin/mosaic'), '--txpool-only', '--chain', 'dev', '--datadir', tmp(), '--nodiscover', '--port', '0', '--http.port', '0'], { ready: { rpc: /endpoint=(http:\/\/\S+)/ } })
  expect(log).toContain('profile=txpool')
  expect(log).toMatch(/Started P2P networking .*enode=/)
  const url = log.match(/endpoint=(http:\/\/\S+)/)![1]!
  expect(await call(url, 'eth_chainId')).toBe('0x7a69')
  expect(await call(url, 'net_peerCount')).toBe('0x0')
  // without --state.url there is no state to simulate a bundle on: a clear refusal, not a genesis-only simulation
  const bundle = await rpc(url, 'eth_callBundle', [{ txs: [rawHex(devTx(0, 0n))], blockNumber: '0x1' }])
  expect(bundle.error.code).toBe(-32000)
  expect(bundle.error.message).toContain('needs --state.url')
  expect(await call(url, 'eth_chainId')).toBe('0x7a69')
  proc.kill('SIGTERM')
  expect(await proc.exited).toBe(143) // 128 + SIGTERM, after a clean stop
}, 20_000)
