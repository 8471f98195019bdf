/**
 * Stopping a node as an operator does: SIGINT (Ctrl-C), SIGTERM (systemd, docker stop) and
 * SIGHUP (the terminal closed) each stop every component in reverse order, so the databases
 * close cleanly and the chain is there on the next start, and the exit status is 128 + the
 * signal number (130, 143, 129) as shells report it. And an unknown flag's hint names the help
 * that lists the node's options.
 */
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const DEV_ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await res.json()) as { result: unknown }).result
}

const startDev = (datadir: string) => startChild([MOSAIC, '--datadir', datadir, '--http.port', '0'], { ready: { rpc: /HTTP server started .*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 })

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal}: the databases close cleanly, exit status ${status}, the chain is there on restart`, async () => {
    const datadir = mkdtempSync(join(tmpdir(), 'mosaic-signal-'))
    dirs.push(datadir)
    const node = await startDev(datadir)
    await rpc(node.match.rpc[1]!, 'eth_sendTransaction', [{ from: DEV_ACCOUNT, to: '0x' + '22'.repeat(20), value: '0x1' }])
    expect(await rpc(node.match.rpc[1]!, 'eth_blockNumber')).toBe('0x1')
    node.proc.kill(signal)
    expect(await node.proc.exited).toBe(status)
    expect(node.log()).toContain(`Signal received, stopping`)
    expect(node.log()).toMatch(/Stopped +component=storage/)

    const again = await startDev(datadir)
    try {
      expect(await rpc(again.match.rpc[1]!, 'eth_blockNumber')).toBe('0x1')
    } finally {
      expect(await again.stop('SIGTERM')).toBe(143)
    }
  }, 60_000)
}

test("an unknown flag's hint names the help that lists the profile's options", async () => {
  const bad = Bun.spawn([MOSAIC, '--no-such-flag'], { stdout: 'pipe', stderr: 'pipe' })
  const [err, code] = await Promise.all([new Response(bad.stderr).text(), bad.exited])
  expect(code).toBe(1)
  expect(err).toBe('mosaic: unknown flag --no-such-flag: run `mosaic --profile execution --help` for its options\n')
  const help = Bun.spawn([MOSAIC, '--profile', 'execution', '--help'], { stdout: 'pipe', stderr: 'pipe' })
  const text = await new Response(help.stdout).text()
  expect(await help.exited).toBe(0)
  for (const flag of ['--http.port', '--datadir', '--metrics', '--ws.origins']) expect(text).toContain(flag)

  const txpool = Bun.spawn([MOSAIC, '--txpool-only', '--no-such-flag'], { stdout: 'pipe', stderr: 'pipe' })
  expect(await new Response(txpool.stderr).text()).toContain('run `mosaic --profile txpool --help` for its options')
}, 30_000)
