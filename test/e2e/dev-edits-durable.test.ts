/**
 * Dev edits are part of the chain (issue 20): an acknowledged anvil_setBalance, setCode,
 * setNonce or setStorageAt survives a SIGKILL of `bin/mosaic` on a data directory, a clean stop
 * mines no extra block for them, and once mined they are not applied a second time.
 */
import { afterAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { MOSAIC, rpc } from './processes.ts'

setDefaultTimeout(60_000)

const dir = mkdtempSync(join(tmpdir(), 'mosaic-dev-edits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const WHO = '0x00000000000000000000000000000000000000ed'
const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'

async function start() {
  const child = await startChild([MOSAIC, '--datadir', dir, '--http.port', '0'], { ready: { url: /HTTP server started.*endpoint=(http:\/\/\S+)/ }, name: 'mosaic', timeoutMs: 30_000 })
  return { url: child.match.url[1]!, proc: child.proc, stop: () => child.stop() }
}

test('edits survive SIGKILL, a clean stop mines nothing for them, and mined edits are not applied again', async () => {
  let n = await start()
  await rpc(n.url, 'anvil_setBalance', [WHO, '0x1234'])
  await rpc(n.url, 'anvil_setNonce', [WHO, '0x7'])
  await rpc(n.url, 'anvil_setCode', [WHO, '0x6001600055'])
  await rpc(n.url, 'anvil_setStorageAt', [WHO, '0x1', '0x00000000000000000000000000000000000000000000000000000000000000aa'])
  const head = await rpc(n.url, 'eth_blockNumber')
  n.proc.kill('SIGKILL')
  await n.proc.exited

  n = await start()
  expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1234')
  expect(await rpc(n.url, 'eth_getTransactionCount', [WHO, 'latest'])).toBe('0x7')
  expect(await rpc(n.url, 'eth_getCode', [WHO, 'latest'])).toBe('0x6001600055')
  expect(BigInt(await rpc(n.url, 'eth_getStorageAt', [WHO, '0x1', 'latest']))).toBe(0xaan)
  expect(await rpc(n.url, 'eth_blockNumber')).toBe(head)
  // a clean stop keeps them pending without mining a block
  expect(await n.stop()).toBe(143)
  n = await start()
  expect(await rpc(n.url, 'eth_blockNumber')).toBe(head)
  expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1234')

  // mined: the edits become block state; a transaction then changes the balance, and a
  // SIGKILL and restart must not put the edited value back
  await rpc(n.url, 'anvil_setBalance', [ALICE, '0xde0b6b3a7640000'])
  await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: WHO, value: '0x10' }])
  const after = await rpc(n.url, 'eth_getBalance', [ALICE, 'latest'])
  expect(BigInt(after)).toBeLessThan(0xde0b6b3a7640000n)
  expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1244')
  n.proc.kill('SIGKILL')
  await n.proc.exited
  n = await start()
  try {
    expect(await rpc(n.url, 'eth_getBalance', [ALICE, 'latest'])).toBe(after)
    expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1244')
    // an edit reverted with evm_revert is gone after a restart too
    const snap = await rpc(n.url, 'evm_snapshot')
    await rpc(n.url, 'anvil_setBalance', [WHO, '0x1'])
    await rpc(n.url, 'evm_revert', [snap])
    n.proc.kill('SIGKILL')
    await n.proc.exited
    n = await start()
    expect(await rpc(n.url, 'eth_getBalance', [WHO, 'latest'])).toBe('0x1244')
  } finally {
    await n.stop()
  }
})
