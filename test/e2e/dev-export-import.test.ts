/**
 * A dev chain with edits re-imports (issue 20, items 5 and 6): `bin/mosaic` mines blocks after
 * anvil_setBalance, setCode, setStorageAt, setNonce and setChainId; `mosaic export` writes the
 * blocks and, beside them, FILE.edits.json naming the blocks that carry edits; `mosaic import`
 * into a fresh data directory reaches the same head hash and state root, and a node on it
 * reads the same state and chain id (the genesis, stamped with the time the node created it, is
 * recognised from the file's block 0). Without --datadir or --chain both commands use the node's
 * default dev data directory; an import that cannot start in a fresh one leaves none behind.
 */
import { afterAll, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { MOSAIC, rpc } from './processes.ts'

setDefaultTimeout(90_000)

const root = mkdtempSync(join(tmpdir(), 'mosaic-dev-export-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
// the default data directory ($XDG_DATA_HOME/mosaic/dev) lives under root
const env = { ...process.env, XDG_DATA_HOME: join(root, 'xdg'), NO_COLOR: '1' }
const DEFAULT_DIR = join(root, 'xdg', 'mosaic', 'dev')

const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const WHO = '0x00000000000000000000000000000000000000ed'
const SLOT = '0x00000000000000000000000000000000000000000000000000000000000000aa'

async function node(args: string[]) {
  const child = await startChild([MOSAIC, '--http.port', '0', ...args], { ready: { url: /HTTP server started.*endpoint=(http:\/\/\S+)/ }, name: 'mosaic', timeoutMs: 30_000, env })
  return { url: child.match.url[1]!, stop: () => child.stop() }
}

async function cli(args: string[]) {
  const p = Bun.spawn([MOSAIC, ...args], { stdout: 'pipe', stderr: 'pipe', env })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, stdout, stderr }
}

async function head(url: string) {
  const b = await rpc(url, 'eth_getBlockByNumber', ['latest', false])
  return { number: b.number, hash: b.hash, stateRoot: b.stateRoot }
}

async function reads(url: string) {
  return {
    chainId: await rpc(url, 'eth_chainId'),
    balance: await rpc(url, 'eth_getBalance', [WHO, 'latest']),
    nonce: await rpc(url, 'eth_getTransactionCount', [WHO, 'latest']),
    code: await rpc(url, 'eth_getCode', [WHO, 'latest']),
    slot: await rpc(url, 'eth_getStorageAt', [WHO, '0xaa', 'latest']),
    alice: await rpc(url, 'eth_getBalance', [ALICE, 'latest']),
  }
}

test('export of a chain with edits imports to the same head and state root; the defaults are the node dev data directory', async () => {
  // the node on its default data directory (no --datadir), as `make run` starts it
  let n = await node([])
  // a new dev chain's genesis carries the time it was created, as anvil's does
  const genesis = await rpc(n.url, 'eth_getBlockByNumber', ['0x0', false])
  expect(Math.abs(Number(genesis.timestamp) - Date.now() / 1000)).toBeLessThan(120)
  await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: WHO, value: '0x1' }])
  await rpc(n.url, 'anvil_setBalance', [WHO, '0x1234'])
  await rpc(n.url, 'anvil_setNonce', [WHO, '0x7'])
  await rpc(n.url, 'anvil_setCode', [WHO, '0x6001600055'])
  await rpc(n.url, 'anvil_setStorageAt', [WHO, SLOT, SLOT])
  await rpc(n.url, 'anvil_setBalance', [ALICE, '0x56bc75e2d63100000'])
  await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: WHO, value: '0x10' }]) // block 2 carries the edits
  await rpc(n.url, 'anvil_setChainId', [4242])
  await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: WHO, value: '0x20' }]) // block 3: a tx of the new id
  await rpc(n.url, 'evm_mine')
  const want = await head(n.url)
  const state = await reads(n.url)
  expect(want.number).toBe('0x4')
  expect(state.chainId).toBe('0x1092')
  expect(await n.stop()).toBe(143)

  // no --datadir, no --chain: the node's dev data directory
  const file = join(root, 'chain.rlp')
  const ex = await cli(['export', file])
  expect(ex.code).toBe(0)
  expect(ex.stdout).toContain('exported blocks 0..4 (5 blocks')
  expect(ex.stdout).toContain(`blocks 2, 3 carry dev edits: written to ${file}.edits.json`)
  const edits = JSON.parse(readFileSync(`${file}.edits.json`, 'utf8'))
  expect(edits.format).toBe('mosaic-dev-edits/1')
  expect(edits.blocks.map((b: { number: string }) => b.number)).toEqual(['0x2', '0x3'])
  expect(edits.blocks[1].chainId).toBe('0x1092')

  const b = join(root, 'b')
  const im = await cli(['import', '--datadir', b, file])
  expect(im.stderr).toBe('')
  expect(im.code).toBe(0)
  expect(im.stdout).toContain(`head 4 ${want.hash}`)
  n = await node(['--datadir', b])
  try {
    expect(await head(n.url)).toEqual(want)
    expect(await reads(n.url)).toEqual(state)
  } finally {
    await n.stop()
  }
  // the imported chain keeps the edits with its blocks: it exports the same edits file
  const again = join(root, 'again.rlp')
  expect((await cli(['export', '--datadir', b, again])).code).toBe(0)
  expect(readFileSync(`${again}.edits.json`, 'utf8')).toBe(readFileSync(`${file}.edits.json`, 'utf8'))
  expect(Buffer.compare(readFileSync(again), readFileSync(file))).toBe(0)

  // without the edits file the first block after an edit does not match (WHO's code runs, the state differs): one error line
  const bare = join(root, 'bare.rlp')
  await Bun.write(bare, readFileSync(file))
  const failed = await cli(['import', '--datadir', join(root, 'c'), bare])
  expect(failed.code).toBe(1)
  expect(failed.stderr).toMatch(/block 2 at offset \d+ is invalid/)
})

test('an import that fails in a data directory it created removes it', async () => {
  // a chain of another genesis (another --timestamp) into a fresh directory: genesis mismatch
  const other = join(root, 'other')
  const n = await node(['--datadir', other, '--timestamp', '1700000000'])
  await rpc(n.url, 'evm_mine')
  await n.stop()
  const file = join(root, 'other.rlp')
  expect((await cli(['export', '--datadir', other, file])).code).toBe(0)
  const fresh = join(root, 'fresh')
  const r = await cli(['import', '--datadir', fresh, '--chain', 'dev', file])
  expect(r.code).toBe(1)
  expect(r.stderr).toContain("is not this chain's")
  expect(r.stderr).toContain(`nothing imported, ${fresh} removed`)
  expect(existsSync(fresh)).toBe(false)
})
