/**
 * anvil's command line on `bin/mosaic`: the same dev-chain flags given to Mosaic and to anvil
 * (node_modules) give the same accounts, balances, chain id, gas limit, base fee and timestamp;
 * the start-up text on stdout lists the accounts and keys; the options are kept in the data
 * directory so a restart without them reopens the same chain; bad combinations exit with one line.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { ANVIL, MOSAIC, rpc } from './processes.ts'

setDefaultTimeout(60_000)

// a valid BIP-39 mnemonic other than the default one
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'
const FLAGS = ['--chain-id', '1337', '-a', '3', '--balance', '5', '-m', MNEMONIC, '--gas-limit', '40000000', '--base-fee', '7', '--timestamp', '1700000000']

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** `bin/mosaic ARGS` read on stdout until anvil's "Listening on" line. */
async function startMosaicOut(args: string[]) {
  const child = await startChild([MOSAIC, ...args], { ready: { listen: /Listening on ([\d.]+:\d+)/ }, read: 'stdout', name: 'mosaic', timeoutMs: 30_000 })
  return { url: `http://${child.match.listen[1]}`, stdout: child.log, stop: () => child.stop() }
}

/** anvil with only `args` (processes.ts's startAnvil fixes the chain id and mnemonic). */
async function startAnvilWith(args: string[]) {
  const child = await startChild([ANVIL, '--port', '0', '--hardfork', 'prague', ...args], { ready: { listen: /Listening on ([\d.]+:\d+)/ }, read: 'stdout', name: 'anvil', timeoutMs: 30_000 })
  return { url: `http://${child.match.listen[1]}`, stop: () => child.stop() }
}

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const p = Bun.spawn([MOSAIC, ...args], { stdout: 'ignore', stderr: 'pipe' })
  const stderr = await new Response(p.stderr).text()
  return { code: await p.exited, stderr }
}

describe("anvil's flags", () => {
  test('the same dev-chain flags make the same chain as anvil, and the start-up text lists it', async () => {
    const [mosaic, anvil] = await Promise.all([startMosaicOut(['--dev.memory', '-p', '0', ...FLAGS]), startAnvilWith(['--accounts', '3', '--balance', '5', '--mnemonic', MNEMONIC, '--gas-limit', '40000000', '--base-fee', '7', '--timestamp', '1700000000', '--chain-id', '1337'])])
    try {
      const accounts = await rpc(mosaic.url, 'eth_accounts')
      expect(accounts).toEqual(await rpc(anvil.url, 'eth_accounts'))
      expect(accounts).toHaveLength(3)
      expect(accounts[0]).toBe('0x9858effd232b4033e47d90003d41ec34ecaeda94') // account 0 of "abandon … about"
      for (const a of accounts) expect(await rpc(mosaic.url, 'eth_getBalance', [a, 'latest'])).toBe(await rpc(anvil.url, 'eth_getBalance', [a, 'latest']))
      expect(await rpc(mosaic.url, 'eth_chainId')).toBe('0x539')
      const [g, ga] = await Promise.all([rpc(mosaic.url, 'eth_getBlockByNumber', ['0x0', false]), rpc(anvil.url, 'eth_getBlockByNumber', ['0x0', false])])
      for (const k of ['gasLimit', 'baseFeePerGas', 'timestamp']) expect(g[k]).toBe(ga[k])
      // the accounts sign and send
      const h = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: accounts[1], to: accounts[2], value: '0x1' }])
      expect((await rpc(mosaic.url, 'eth_getTransactionReceipt', [h])).status).toBe('0x1')
      const out = mosaic.stdout()
      expect(out).toContain('Available Accounts')
      expect(out.toLowerCase()).toContain(`(0) ${accounts[0]}`)
      expect(out).toMatch(/Private Keys\n=+\n\(0\) 0x[0-9a-f]{64}/)
      expect(out).toContain(`Mnemonic:          ${MNEMONIC}`)
      expect(out).toMatch(/Chain ID\n=+\n\n1337\n/)
      expect(out).toMatch(/Gas Limit\n=+\n\n40000000\n/)
    } finally {
      await Promise.all([mosaic.stop(), anvil.stop()])
    }
  })

  test('--hardfork picks the newest fork at genesis: cancun has no Prague header fields', async () => {
    const m = await startMosaicOut(['--dev.memory', '-p', '0', '--hardfork', 'cancun'])
    try {
      const g = await rpc(m.url, 'eth_getBlockByNumber', ['latest', false])
      expect(g.parentBeaconBlockRoot).toBeDefined()
      expect(g.requestsHash).toBeUndefined()
    } finally {
      await m.stop()
    }
  })

  test('the data directory keeps the options: a restart without them reopens the same chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mosaic-anvil-flags-'))
    dirs.push(dir)
    const first = await startMosaicOut(['--datadir', dir, '-p', '0', ...FLAGS])
    const genesis = (await rpc(first.url, 'eth_getBlockByNumber', ['0x0', false])).hash
    const accounts = await rpc(first.url, 'eth_accounts')
    await first.stop()
    expect(JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')).dev.chainId).toBe('1337')
    const again = await startMosaicOut(['--datadir', dir, '--port', '0'])
    try {
      expect((await rpc(again.url, 'eth_getBlockByNumber', ['0x0', false])).hash).toBe(genesis)
      expect(await rpc(again.url, 'eth_accounts')).toEqual(accounts)
      expect(await rpc(again.url, 'eth_chainId')).toBe('0x539')
    } finally {
      await again.stop()
    }
  })

  test('--silent prints neither logs nor the start-up text', async () => {
    const p = Bun.spawn([MOSAIC, '--dev.memory', '-p', '0', '--silent'], { stdout: 'pipe', stderr: 'pipe' })
    await Bun.sleep(3000)
    p.kill('SIGTERM')
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()])
    await p.exited
    expect(out).toBe('')
    expect(err).toBe('')
  })

  test('bad combinations and values exit with one line that says what to do', async () => {
    const cases: [string[], string][] = [
      [['--dev', '--chain', 'mainnet'], '--dev asks for the dev chain'],
      [['--chain', 'sepolia', '--chain-id', '5'], 'apply to the dev chain only'],
      [['-m', 'not a real mnemonic at all'], 'not a valid BIP-39 English mnemonic'],
      [['--hardfork', 'berlin'], 'hardfork'],
      [['-q'], 'unknown flag -q'],
    ]
    for (const [args, text] of cases) {
      const r = await run(['--dev.memory', '-p', '0', ...args])
      expect(r.code).not.toBe(0)
      expect(r.stderr).toContain(text)
    }
  })
})
