/**
 * The compiled executables (`make build`): each copied alone into an empty directory (no
 * node_modules, no source) starts the execution profile, answers eth_chainId and mines a sent
 * transaction (also in fork mode, whose upstream bridge runs in an embedded worker); the execution
 * entry's bundle holds no p2p module; a signal stops it cleanly.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'
import { signJwt } from '../../src/engine/index.ts'
import { encodeTransaction, signTransaction } from '../../src/types/index.ts'
import { startChild } from '../child-process.ts'
import { startAnvil } from '../e2e/processes.ts'

const ROOT = join(import.meta.dir, '../..')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

beforeAll(() => {
  // as `bun bench/node.bench.ts` rebuilds them: with no bun on PATH (the build must use this Bun)
  const p = Bun.spawnSync([process.execPath, join(ROOT, 'scripts/build.ts')], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, PATH: '/usr/bin:/bin' } })
  if (p.exitCode !== 0) throw new Error(`make build failed: ${p.stderr.toString()}`)
}, 120_000)

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await r.json()) as { result: any }).result
}

/** Starts `exe` alone in a fresh directory; resolves with its RPC URL once it serves. */
async function startAlone(name: string, args: string[], until = /endpoint=(http:\/\/\S+)/) {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-exe-'))
  dirs.push(dir)
  const exe = join(dir, name)
  copyFileSync(join(ROOT, 'dist', name), exe)
  const { proc, startLog: log } = await startChild([exe, ...args, '--http.port', '0'], { ready: { until }, timeoutMs: 20_000, cwd: dir, env: { HOME: dir, PATH: '/usr/bin:/bin' }, name })
  return { proc, url: log.match(/endpoint=(http:\/\/\S+)/)![1]!, dir, log }
}

async function roundTrip(url: string) {
  expect(await rpc(url, 'eth_chainId')).toBe('0x7a69')
  const tx = signTransaction(
    { type: 2, chainId: 31337n, nonce: 0n, maxPriorityFeePerGas: 1n, maxFeePerGas: 10_000_000_000n, gasLimit: 21_000n, to: hexToBytes('0x000000000000000000000000000000000000dead'), value: 12345n, data: new Uint8Array(0), accessList: [] },
    hexToBytes(DEV_PRIVATE_KEYS[0]),
  )
  const hash = await rpc(url, 'eth_sendRawTransaction', [bytesToHex(encodeTransaction(tx))])
  const receipt = await rpc(url, 'eth_getTransactionReceipt', [hash])
  expect(receipt.status).toBe('0x1')
  expect(await rpc(url, 'eth_getBalance', ['0x000000000000000000000000000000000000dead', 'latest'])).toBe('0x3039')
}

const RUNS: [string, string[]][] = [
  ['mosaic-execution', []], // RocksDB under $HOME
  ['mosaic', ['--profile', 'execution', '--dev.memory']],
]
for (const [name, args] of RUNS) {
  test(`dist/${name} alone (${args.join(' ') || 'defaults'}): chain id and a transaction round trip; SIGTERM exits 143`, async () => {
    const { proc, url } = await startAlone(name, args)
    try {
      await roundTrip(url)
    } finally {
      proc.kill('SIGTERM')
    }
    expect(await proc.exited).toBe(143)
  }, 60_000)
}

test('dist/mosaic-execution alone in fork mode: the upstream bridge worker is embedded, reads and a transaction work', async () => {
  const upstream = await startAnvil()
  try {
    await rpc(upstream.url, 'evm_mine') // anvil's genesis header claims the empty state root: fork block 1
    const { proc, url } = await startAlone('mosaic-execution', ['--fork-url', upstream.url, '--fork-block-number', '1', '--no-storage-caching'])
    try {
      expect(await rpc(url, 'eth_getBalance', ['0x70997970c51812dc3a010c7d01b50e0d17dc79c8', 'latest'])).toBe(await rpc(upstream.url, 'eth_getBalance', ['0x70997970c51812dc3a010c7d01b50e0d17dc79c8', '0x1']))
      await roundTrip(url)
    } finally {
      proc.kill('SIGTERM')
    }
    expect(await proc.exited).toBe(143)
  } finally {
    await upstream.stop()
  }
}, 60_000)

test('dist/mosaic-txpool alone: the txpool profile on mainnet answers eth_chainId and admin_nodeInfo', async () => {
  const { proc, url } = await startAlone('mosaic-txpool', ['--nodiscover', '--port', '0'])
  try {
    expect(await rpc(url, 'eth_chainId')).toBe('0x1')
    expect((await rpc(url, 'admin_nodeInfo')).enode).toStartWith('enode://')
  } finally {
    proc.kill('SIGTERM')
  }
  expect(await proc.exited).toBe(143)
}, 60_000)

test('dist/mosaic-node alone: mainnet on the public RPC, the Engine API behind the JWT it generated', async () => {
  const { proc, url, dir, log } = await startAlone('mosaic-node', ['--nodiscover', '--port', '0', '--authrpc.port', '0', '--datadir', 'data'], /Engine API started.*endpoint=(http:\/\/\S+)/)
  try {
    expect(await rpc(url, 'eth_chainId')).toBe('0x1')
    const engineUrl = log.match(/Engine API started.*endpoint=(http:\/\/\S+)/)![1]!
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'engine_exchangeCapabilities', params: [['engine_newPayloadV3']] })
    expect((await fetch(engineUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401)
    const secret = hexToBytes((await Bun.file(join(dir, 'data/jwt.hex')).text()).trim())
    const token = signJwt(secret)
    const r = await fetch(engineUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })
    expect(((await r.json()) as { result: string[] }).result).toContain('engine_newPayloadV3')
  } finally {
    proc.kill('SIGTERM')
  }
  expect(await proc.exited).toBe(143)
}, 60_000)

test('the execution executable carries no p2p module and is smaller than the all-in-one', async () => {
  const r = await Bun.build({ entrypoints: [join(ROOT, 'src/cli/execution-main.ts')], target: 'bun', minify: false })
  expect(r.success).toBe(true)
  const modules = [...(await r.outputs[0]!.text()).matchAll(/^\/\/ (src\/\S+)$/gm)].map((m) => m[1]!)
  expect(modules).toContain('src/profiles/execution.ts')
  expect(modules.filter((m) => m.startsWith('src/p2p/'))).toEqual([])
  expect(statSync(join(ROOT, 'dist/mosaic-execution')).size).toBeLessThan(statSync(join(ROOT, 'dist/mosaic')).size)
}, 60_000)
