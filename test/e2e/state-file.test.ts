/**
 * anvil's state-file flags and --prune-history on `bin/mosaic`: `--state FILE` loads the file
 * when it exists and writes it at exit, `--state-interval` also writes it while running, a
 * Mosaic file loads into anvil (`--load-state`) and anvil's `--dump-state` file into Mosaic;
 * bad files and flag combinations exit with one line. `--prune-history [N]` keeps the state of
 * N blocks behind the head (none without N), older reads answer anvil's error.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { MOSAIC, rpc, rpcRaw, startAnvil, startMosaic } from './processes.ts'

setDefaultTimeout(60_000)

const dir = mkdtempSync(join(tmpdir(), 'mosaic-state-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const WHO = '0x00000000000000000000000000000000000000ed'
const SLOT = '0x00000000000000000000000000000000000000000000000000000000000000aa'

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const p = Bun.spawn([MOSAIC, '--dev.memory', '--http.port', '0', ...args], { stdout: 'ignore', stderr: 'pipe' })
  const stderr = await new Response(p.stderr).text()
  return { code: await p.exited, stderr }
}

describe('--state, --load-state, --dump-state, --state-interval', () => {
  test('--state writes the file while running and at exit, and loads it at the next start', async () => {
    const file = join(dir, 'state.json')
    let n = await startMosaic(['--state', file, '--state-interval', '1'])
    await rpc(n.url, 'anvil_setBalance', [WHO, '0x1234'])
    await rpc(n.url, 'anvil_setCode', [WHO, '0x6001600055'])
    for (let i = 0; i < 60 && !existsSync(file); i++) await Bun.sleep(100)
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts[WHO].balance).toBe('0x1234')
    await rpc(n.url, 'anvil_setStorageAt', [WHO, '0xaa', SLOT])
    expect(await n.stop()).toBe(143)
    const state = JSON.parse(readFileSync(file, 'utf8'))
    expect(state.accounts[WHO]).toEqual({ nonce: 0, balance: '0x1234', code: '0x6001600055', storage: { [SLOT]: SLOT } })
    n = await startMosaic(['--state', file])
    try {
      expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1234')
      expect(await rpc(n.url, 'eth_getCode', [WHO, 'latest'])).toBe('0x6001600055')
      expect(await rpc(n.url, 'eth_getStorageAt', [WHO, '0xaa', 'latest'])).toBe(SLOT)
    } finally {
      await n.stop()
    }
    // the file moves to anvil
    const anvil = await startAnvil(['--load-state', file])
    try {
      expect(await rpc(anvil.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1234')
      expect(await rpc(anvil.url, 'eth_getStorageAt', [WHO, '0xaa', 'latest'])).toBe(SLOT)
    } finally {
      await anvil.stop()
    }
  })

  test("anvil's --dump-state file loads into Mosaic; a directory gets state.json", async () => {
    const file = join(dir, 'anvil.json')
    const anvil = await startAnvil(['--dump-state', file])
    await rpc(anvil.url, 'anvil_setBalance', [WHO, '0x777'])
    await anvil.stop()
    const n = await startMosaic(['--load-state', file, '--dump-state', dir])
    try {
      expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x777')
    } finally {
      await n.stop()
    }
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).accounts[WHO].balance).toBe('0x777')
  })

  test('a missing or bad file and --state-interval alone: one line, exit 1', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"accounts": {"0xnot": {}}}')
    for (const [args, says] of [
      [['--load-state', join(dir, 'missing.json')], 'cannot read the state file'],
      [['--load-state', bad], 'accounts.0xnot: not an address'],
      [['--state-interval', '5'], '--state-interval needs --state or --dump-state'],
    ] as const) {
      const r = await run([...args])
      expect(r.code).toBe(1)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(says)
    }
  })
})

describe('--prune-history', () => {
  const balanceAt = (url: string, block: string) => rpcRaw(url, 'eth_getBalance', ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', block])

  test('as anvil: without N only the head state, with N the N blocks behind it; older reads answer the same error', async () => {
    for (const flags of [['--prune-history'], ['--prune-history', '2']]) {
      const [mosaic, anvil] = await Promise.all([startMosaic(flags), startAnvil(flags)])
      try {
        await Promise.all([rpc(mosaic.url, 'anvil_mine', ['0x5']), rpc(anvil.url, 'anvil_mine', ['0x5'])])
        for (const b of ['0x0', '0x2', '0x3', '0x5']) {
          const [m, a] = await Promise.all([balanceAt(mosaic.url, b), balanceAt(anvil.url, b)])
          expect({ block: b, error: m.error && { code: m.error.code, message: m.error.message }, ok: m.result !== undefined }).toEqual({ block: b, error: a.error && { code: a.error.code, message: a.error.message }, ok: a.result !== undefined })
        }
        // blocks themselves stay
        expect((await rpc(mosaic.url, 'eth_getBlockByNumber', ['0x1', false])).number).toBe('0x1')
      } finally {
        await Promise.all([mosaic.stop(), anvil.stop()])
      }
    }
  })
})
