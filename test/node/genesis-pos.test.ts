/**
 * Mosaic runs proof-of-stake chains only. A genesis.json with no forks (or a terminal total
 * difficulty above 0, a merge Mosaic could not place) is refused by the node and by `mosaic
 * init` with one line saying what is missing, instead of a node that mines pre-London blocks
 * and signs transactions its own pool rejects. A genesis merged from block 0 runs.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const dir = mkdtempSync(join(tmpdir(), 'mosaic-genesis-pos-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function genesis(name: string, config: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`)
  writeFileSync(path, JSON.stringify({ config: { chainId: 1337, ...config }, gasLimit: '0x1c9c380', alloc: {} }))
  return path
}

/** Runs mosaic with `args`; a node that starts instead of refusing is stopped after 15 s. */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const p = Bun.spawn([MOSAIC, ...args], { stdout: 'ignore', stderr: 'pipe', timeout: 15_000, killSignal: 'SIGKILL' })
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
  return { code, err }
}

const cases: [string, Record<string, unknown>, string][] = [
  ['no-forks', {}, 'its config has no terminalTotalDifficulty'],
  ['london-no-ttd', { homesteadBlock: 0, byzantiumBlock: 0, londonBlock: 0 }, 'its config has no terminalTotalDifficulty'],
  ['ttd-later', { londonBlock: 0, terminalTotalDifficulty: 1000 }, 'its terminalTotalDifficulty is 1000, not 0'],
]

for (const [name, config, why] of cases) {
  test(`${name}: the node and init refuse it with one line`, async () => {
    const path = genesis(name, config)
    const node = await run(['--chain', path, '--datadir', join(dir, `${name}-node`), '--http.port', '0'])
    expect(node.code).toBe(1)
    expect(node.err).toStartWith(`mosaic: ${path} is not a proof-of-stake chain: `)
    expect(node.err).toContain(why)
    expect(node.err.trimEnd().split('\n')).toHaveLength(1)
    const init = await run(['init', '--datadir', join(dir, `${name}-init`), path])
    expect(init.code).toBe(1)
    expect(init.err).toStartWith(`mosaic init: ${path} is not a proof-of-stake chain: `)
    expect(init.err).toContain(why)
  }, 40_000)
}

test('a genesis merged from block 0 runs', async () => {
  const path = genesis('merged', { londonBlock: 0, terminalTotalDifficulty: 0, shanghaiTime: 0, cancunTime: 0 })
  const node = await startChild([MOSAIC, '--chain', path, '--datadir', join(dir, 'merged'), '--http.port', '0', '--authrpc.port', '0'], { ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 })
  try {
    const res = await fetch(node.match.rpc[1]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' })
    expect(((await res.json()) as { result: string }).result).toBe('0x539')
  } finally {
    expect(await node.stop()).toBe(143)
  }
}, 40_000)
