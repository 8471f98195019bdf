/**
 * Foundry end to end against `bin/mosaic` (issue 20): the project in test/foundry/project is
 * built by forge (the `@foundry-rs/forge` npm package) with a solc made of the solc npm package
 * (test/foundry/solc.mjs through `--use`, offline: nothing is downloaded); `forge script
 * --broadcast --rpc-url` deploys the Counter and calls it on a Mosaic node, and `forge test
 * --fork-url` runs the fork test against that node's state, which fails on another address.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FORGE, rpc, startMosaic, type Child } from '../e2e/processes.ts'

// two solc runs (about 5 s each on 2 busy cores) and a node
setDefaultTimeout(120_000)

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const ACCOUNT = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
// account 0's first contract (CREATE from nonce 0)
const COUNTER = '0x5fbdb2315678afecb367f032d93f642f64180aa3'

const root = mkdtempSync(join(tmpdir(), 'mosaic-forge-'))
const project = join(root, 'project')
const solc = join(root, 'solc')
// forge keeps its cache and settings under HOME: a fresh one, nothing read from the user's
const env = { ...process.env, HOME: join(root, 'home'), FOUNDRY_DISABLE_NIGHTLY_WARNING: '1', NO_COLOR: '1' }
let node: Child

beforeAll(async () => {
  if (!existsSync(FORGE)) throw new Error(`forge is not installed at ${FORGE}: run bun install (@foundry-rs/forge is a dev dependency)`)
  cpSync(join(import.meta.dir, 'project'), project, { recursive: true })
  mkdirSync(env.HOME, { recursive: true })
  writeFileSync(solc, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dir, 'solc.mjs')}' "$@"\n`)
  chmodSync(solc, 0o755)
  node = await startMosaic()
})
afterAll(async () => {
  await node?.stop()
  rmSync(root, { recursive: true, force: true })
})

async function forge(args: string[], extraEnv: Record<string, string> = {}) {
  const p = Bun.spawn([FORGE, ...args, '--use', solc, '--offline'], { cwd: project, stdout: 'pipe', stderr: 'pipe', env: { ...env, ...extraEnv } })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out: stdout + stderr }
}

test('forge script --broadcast deploys the Counter and calls it on Mosaic', async () => {
  const r = await forge(['script', 'script/Counter.s.sol:CounterScript', '--rpc-url', node.url, '--broadcast', '--private-key', KEY])
  expect(r.out).toContain('ONCHAIN EXECUTION COMPLETE & SUCCESSFUL')
  expect(r.code).toBe(0)
  // three transactions of account 0, mined
  expect(await rpc(node.url, 'eth_getTransactionCount', [ACCOUNT, 'latest'])).toBe('0x3')
  expect((await rpc(node.url, 'eth_getCode', [COUNTER, 'latest'])).length).toBeGreaterThan(100)
  expect(BigInt(await rpc(node.url, 'eth_getStorageAt', [COUNTER, '0x0', 'latest']))).toBe(43n)
  const run = JSON.parse(readFileSync(join(project, 'broadcast/Counter.s.sol/31337/run-latest.json'), 'utf8'))
  expect(run.receipts.map((x: { status: string }) => x.status)).toEqual(['0x1', '0x1', '0x1'])
  expect(run.receipts[0].contractAddress).toBe(COUNTER)
})

test('forge test --fork-url runs the fork test on the node it deployed to', async () => {
  const r = await forge(['test', '--fork-url', node.url], { COUNTER })
  expect(r.out).toContain('3 tests passed, 0 failed')
  expect(r.code).toBe(0)
  // the same test on an address without the Counter fails: the assertions read the fork
  const wrong = await forge(['test', '--fork-url', node.url], { COUNTER: '0x00000000000000000000000000000000000000ed' })
  expect(wrong.code).not.toBe(0)
  expect(wrong.out).toContain('[FAIL')
})
