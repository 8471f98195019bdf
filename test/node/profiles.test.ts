/**
 * Profiles, plugins and the CLI's start-up errors: the execution profile answers RPC; a plugin
 * adds a method; the storage component is replaced through the API and through --plugin; a
 * restart on the same data directory continues the chain; a wrong profile, a plugin that fails
 * to load and a plugin missing a required component each exit with one message, non-zero.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineComponent, defineNode, openMemoryStore, type KeyValueStore } from '../../src/index.ts'
import type { Blockchain } from '../../src/blockchain/index.ts'
import type { DevMiner } from '../../src/payload/index.ts'
import { stats } from '../../examples/counting-store-plugin.ts'

const ROOT = join(import.meta.dir, '../..')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })), 30_000)
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mosaic-node-'))
  dirs.push(d)
  return d
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return r.json()
}

test('execution profile in memory: chain id over HTTP, a plugin method via --plugin', async () => {
  const node = await defineNode({ args: ['--dev.memory', '--http.port', '0', '--plugin', join(ROOT, 'examples/hello-plugin.ts')] }).start()
  try {
    expect((await rpc(node.rpcUrl!, 'eth_chainId')).result).toBe('0x7a69')
    expect((await rpc(node.rpcUrl!, 'hello_world', ['mosaic'])).result).toEqual({ greeting: 'hello, mosaic', head: '0x0' })
  } finally {
    await node.stop()
  }
})

test('the storage component replaced through the API', async () => {
  let created = 0
  const store = defineComponent({
    provides: 'storage',
    requires: [],
    description: 'test store',
    create: () => {
      created++
      const s: KeyValueStore = Object.assign(openMemoryStore(), { backend: 'test-store' })
      return { service: s }
    },
  })
  const node = await defineNode({ args: ['--http.port', '0'], components: [store] }).start()
  try {
    expect(created).toBe(1)
    expect((node.services.chain as Blockchain).db.backend).toBe('test-store')
    expect((await rpc(node.rpcUrl!, 'eth_blockNumber')).result).toBe('0x0')
  } finally {
    await node.stop()
  }
})

test('the storage component replaced through --plugin', async () => {
  const before = stats.batches
  const node = await defineNode({ args: ['--http.port', '0', '--plugin', join(ROOT, 'examples/counting-store-plugin.ts')] }).start()
  try {
    await (node.services.miner as DevMiner).mine()
    const r = (await rpc(node.rpcUrl!, 'countingstore_stats')).result
    expect(r.backend).toBe('counting-memory')
    expect(r.batches).toBeGreaterThanOrEqual(before + 2) // genesis and the mined block
  } finally {
    await node.stop()
  }
})

test('a restart on the same --datadir continues the chain', async () => {
  const datadir = tmp()
  let node = await defineNode({ args: ['--datadir', datadir, '--http.port', '0'] }).start()
  await (node.services.miner as DevMiner).mine({ count: 3 })
  const head = (node.services.chain as Blockchain).headBlockHash()
  await node.stop()
  node = await defineNode({ args: ['--datadir', datadir, '--http.port', '0'] }).start()
  try {
    const chain = node.services.chain as Blockchain
    expect(chain.head().number).toBe(3n)
    expect(Buffer.from(chain.headBlockHash()).equals(Buffer.from(head))).toBe(true)
    expect((await rpc(node.rpcUrl!, 'eth_blockNumber')).result).toBe('0x3')
  } finally {
    await node.stop()
  }
})

function cli(args: string[]): { code: number; stderr: string } {
  const p = Bun.spawnSync([join(ROOT, 'bin/mosaic'), ...args], { stderr: 'pipe', stdout: 'pipe', env: { ...process.env, HOME: tmp() } })
  return { code: p.exitCode ?? -1, stderr: p.stderr.toString() }
}

test('start-up errors: one line, non-zero exit', () => {
  const dir = tmp()
  const wrong = cli(['--profile', 'bogus'])
  expect(wrong.code).toBe(1)
  expect(wrong.stderr.trim().split('\n')).toHaveLength(1)
  expect(wrong.stderr).toContain('unknown profile "bogus"')

  const noStore = cli(['--statesync'])
  expect(noStore.code).toBe(1)
  expect(noStore.stderr).toContain('mosaic: the statesync profile needs a --store')

  const replica = cli(['--statesync', '--source', 'nats://127.0.0.1:1', '--store', 'nope'])
  expect(replica.code).toBe(1)
  expect(replica.stderr).toContain('unknown store')

  const missingFile = cli(['--dev.memory', '--plugin', join(dir, 'nope.ts')])
  expect(missingFile.code).toBe(1)
  expect(missingFile.stderr).toContain('cannot load plugin')

  writeFileSync(join(dir, 'throws.ts'), "throw new Error('plugin exploded')\n")
  const throws = cli(['--dev.memory', '--plugin', join(dir, 'throws.ts')])
  expect(throws.code).toBe(1)
  expect(throws.stderr).toContain('plugin exploded')

  writeFileSync(join(dir, 'notaplugin.ts'), 'export default 42\n')
  expect(cli(['--dev.memory', '--plugin', join(dir, 'notaplugin.ts')]).stderr).toContain('is not a Mosaic plugin')

  writeFileSync(
    join(dir, 'needs.ts'),
    "export default { name: 'needs', components: [{ provides: 'indexer', requires: ['archive'], description: 'x', create: () => ({ service: 1 }) }] }\n",
  )
  const needs = cli(['--dev.memory', '--http.port', '0', '--plugin', join(dir, 'needs.ts')])
  expect(needs.code).toBe(1)
  expect(needs.stderr).toContain('"indexer" requires "archive", which no component provides')

  const badFlag = cli(['--http.port', 'x'])
  expect(badFlag.code).toBe(1)
  expect(badFlag.stderr).toContain('invalid value for --http.port')
}, 60_000) // eight CLI runs, each a Bun start-up

test('mosaic components lists each component with what it provides and requires, and its profiles', () => {
  const p = Bun.spawnSync([join(ROOT, 'bin/mosaic'), 'components'], { stdout: 'pipe' })
  const out = p.stdout.toString()
  expect(p.exitCode).toBe(0)
  expect(out).toMatch(/^rpc +rpc +chain, txpool\?, latest\?, miner\?, adminApi\?, rpcMethods\?, sync\?, stateDiffs\?, fork\?, addressIndex\?, bundles\?, stateNode\?, txForward\?, storage\? +execution, txpool, node/m)
  expect(out).toMatch(/^stateDiffs +stateDiffs +chain +execution, node, statesync /m)
  expect(out).toMatch(/^storage +storage +- +execution/m)
  expect(out).toMatch(/^sync +sync +chain, eth, storage +node /m)
  expect(out).not.toMatch(/\(planned\).* node /)
  const json = JSON.parse(Bun.spawnSync([join(ROOT, 'bin/mosaic'), 'components', '--json'], { stdout: 'pipe' }).stdout.toString())
  expect(json.find((c: { name: string }) => c.name === 'chain').requires).toEqual(['storage'])
})

test('the pool ordering replaced through the API: first come, first served instead of best tip', async () => {
  const { txpoolComponent } = await import('../../src/profiles/components/txpool.ts')
  const { signTransaction, encodeTransaction } = await import('../../src/types/index.ts')
  const { DEV_PRIVATE_KEYS } = await import('../../src/chainspec/index.ts')
  const { bytesToHex, hexToBytes } = await import('../../src/primitives/index.ts')
  const fifo = defineComponent({
    name: 'fifo-txpool',
    provides: 'txpool',
    requires: ['chain', 'latest'],
    description: 'the pool, ordered by arrival',
    async create(deps, config) {
      const inst = await txpoolComponent.create(deps, config)
      const pool = inst.service
      return { ...inst, service: { ...pool, best: (fee: bigint, blob?: bigint) => pool.best(fee, blob).sort((a, b) => a.seq - b.seq) } }
    },
  })
  const tx = (key: number, tip: bigint) =>
    bytesToHex(
      encodeTransaction(
        signTransaction(
          { type: 2, chainId: 31337n, nonce: 0n, maxPriorityFeePerGas: tip, maxFeePerGas: 100_000_000_000n, gasLimit: 21_000n, to: hexToBytes('0x000000000000000000000000000000000000f1f0'), value: 1n, data: new Uint8Array(0), accessList: [] },
          hexToBytes(DEV_PRIVATE_KEYS[key]!),
        ),
      ),
    )
  const order = async (components: ReturnType<typeof defineComponent>[]) => {
    const node = await defineNode({ args: ['--dev.memory', '--http.port', '0', '--no-mining'], components }).start()
    try {
      const cheap = await rpc(node.rpcUrl!, 'eth_sendRawTransaction', [tx(1, 1_000_000_000n)])
      const rich = await rpc(node.rpcUrl!, 'eth_sendRawTransaction', [tx(2, 50_000_000_000n)])
      await rpc(node.rpcUrl!, 'evm_mine')
      const block = (await rpc(node.rpcUrl!, 'eth_getBlockByNumber', ['latest', false])).result
      return (block.transactions as string[]).map((h) => (h === cheap.result ? 'cheap' : h === rich.result ? 'rich' : h))
    } finally {
      await node.stop()
    }
  }
  expect(await order([])).toEqual(['rich', 'cheap'])
  expect(await order([fifo as never])).toEqual(['cheap', 'rich'])
})
