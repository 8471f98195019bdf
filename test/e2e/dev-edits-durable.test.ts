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
import { MOSAIC, rpc, rpcRaw } from './processes.ts'

setDefaultTimeout(60_000)

const root = mkdtempSync(join(tmpdir(), 'mosaic-dev-edits-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let dir = join(root, 'edits')

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

test('anvil_setChainId: eth_chainId, net_version and signing follow it, a transaction of the old id is refused, and it survives SIGKILL', async () => {
  dir = join(root, 'chain-id')
  let n = await start()
  const bob = '0x70997970c51812dc3a2b0dbc3f6b4a7d5f5a4a2b'
  // signed for 31337 before the change
  const old = await rpc(n.url, 'eth_signTransaction', [{ from: ALICE, to: bob, value: '0x1', gas: '0x5208', nonce: '0x0' }])
  expect(await rpc(n.url, 'anvil_setChainId', [1234])).toBeNull()
  expect(await rpc(n.url, 'eth_chainId')).toBe('0x4d2')
  expect(await rpc(n.url, 'net_version')).toBe('1234')
  const refused = await rpcRaw(n.url, 'eth_sendRawTransaction', [old])
  expect(refused.error?.message).toContain('chain id')
  const h = await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: bob, value: '0x1' }])
  const tx = await rpc(n.url, 'eth_getTransactionByHash', [h])
  expect(tx.chainId).toBe('0x4d2')
  expect((await rpc(n.url, 'eth_getTransactionReceipt', [h])).status).toBe('0x1')
  // CHAINID in eth_call sees it: code 46 60 00 52 60 20 60 00 f3 returns CHAINID
  expect(BigInt(await rpc(n.url, 'eth_call', [{ data: '0x4660005260206000f3' }, 'latest']))).toBe(1234n)
  expect((await rpcRaw(n.url, 'anvil_setChainId', ['0x0'])).error?.code).toBe(-32602)
  n.proc.kill('SIGKILL')
  await n.proc.exited
  n = await start()
  try {
    expect(await rpc(n.url, 'eth_chainId')).toBe('0x4d2')
    const h2 = await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: bob, value: '0x1' }])
    expect((await rpc(n.url, 'eth_getTransactionByHash', [h2])).chainId).toBe('0x4d2')
  } finally {
    await n.stop()
  }
})
