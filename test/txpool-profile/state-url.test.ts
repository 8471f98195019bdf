/**
 * The txpool profile with state (`--state.url`, issue 17 item 3): a stateful pool in its own
 * process, validating against a real upstream's head (anvil on loopback). A nonce-gapped
 * transaction is queued and promoted when the gap fills; a transaction whose sender's balance
 * drops below its cost at a new head is evicted, as are transactions the upstream mined; a
 * state node of another chain is refused at start.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import { transactionHash } from '../../src/types/index.ts'
import { bytesToHex } from '../../src/primitives/index.ts'
import { startChild, type Spawned } from '../child-process.ts'
import { MOSAIC, startAnvil, type Child } from '../e2e/processes.ts'
import { call, devTx, rawHex, rpc, until } from './helpers.ts'

setDefaultTimeout(60_000)

let upstream: Child
let node: Spawned<'rpc'>
let url: string
const dir = mkdtempSync(join(tmpdir(), 'mosaic-state-txpool-'))

beforeAll(async () => {
  upstream = await startAnvil()
  // anvil's genesis header claims the empty state root, so its proofs verify from block 1 on
  await call(upstream.url, 'evm_mine')
  node = await startChild([MOSAIC, '--txpool-only', '--chain', 'dev', '--datadir', dir, '--nodiscover', '--port', '0', '--http.port', '0', '--state.url', upstream.url, '--state.poll', '50'], {
    ready: { rpc: /HTTP server started.*endpoint=(http:\/\/\S+)/ },
    timeoutMs: 30_000,
  })
  url = node.match.rpc[1]!
})

afterAll(async () => {
  await node?.stop()
  await upstream?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const status = async () => {
  const s = await call(url, 'txpool_status')
  return { pending: Number(s.pending), queued: Number(s.queued) }
}
const newHead = () => call(upstream.url, 'evm_mine')

describe('txpool --state.url', () => {
  test('a nonce-gapped transaction is queued, and promoted when the gap fills', async () => {
    expect(node.startLog).toContain('Following the state node')
    const t1 = devTx(5, 1n)
    await call(url, 'eth_sendRawTransaction', [rawHex(t1)])
    expect(await status()).toEqual({ pending: 0, queued: 1 })
    const content = await call(url, 'txpool_content')
    expect(Object.keys(content.queued).map((a) => a.toLowerCase())).toEqual([DEV_ACCOUNTS[5]!.toLowerCase()])
    await call(url, 'eth_sendRawTransaction', [rawHex(devTx(5, 0n))])
    expect(await status()).toEqual({ pending: 2, queued: 0 })
  })

  test('a nonce the upstream has used is refused', async () => {
    // dev account 7 sends on the upstream; the pool sees nonce 1 at the next head
    await call(upstream.url, 'eth_sendRawTransaction', [rawHex(devTx(7, 0n))])
    expect(await until(async () => (await rpc(url, 'eth_sendRawTransaction', [rawHex(devTx(7, 0n, { gas: 21_001n }))])).error?.message?.startsWith('nonce too low') === true, 5000)).toBe(true)
  })

  test('a transaction whose sender can no longer pay at a new head is evicted', async () => {
    const t = devTx(6, 0n)
    const hash = bytesToHex(transactionHash(t))
    await call(url, 'eth_sendRawTransaction', [rawHex(t)])
    expect((await call(url, 'eth_getTransactionByHash', [hash]))?.hash).toBe(hash)
    // 10^14 wei < 21000 gas × 10 gwei
    await call(upstream.url, 'anvil_setBalance', [DEV_ACCOUNTS[6], '0x5af3107a4000'])
    await newHead()
    expect(await until(async () => (await call(url, 'eth_getTransactionByHash', [hash])) === null, 5000)).toBe(true)
  })

  test('transactions the upstream mined leave the pool at the next head', async () => {
    const before = await status()
    expect(before.pending).toBe(2)
    for (const n of [0n, 1n]) await call(upstream.url, 'eth_sendRawTransaction', [rawHex(devTx(5, n))])
    expect(await until(async () => (await status()).pending === 0, 5000)).toBe(true)
  })

  test('a state node of another chain is refused at start, with a clear message', async () => {
    const p = Bun.spawn([MOSAIC, '--txpool-only', '--chain', 'mainnet', '--datadir', join(dir, 'other'), '--nodiscover', '--port', '0', '--http.port', '0', '--state.url', upstream.url], { stdout: 'ignore', stderr: 'pipe' })
    expect(await p.exited).not.toBe(0)
    expect(await new Response(p.stderr).text()).toContain(`the state node ${upstream.url} is chain 31337, not mainnet (1)`)
  })
})

describe('txpool --state.url with --state.ws', () => {
  test('newHeads over WebSocket move the pool without waiting for the poll', async () => {
    const b = await startChild(
      [MOSAIC, '--txpool-only', '--chain', 'dev', '--datadir', join(dir, 'ws'), '--nodiscover', '--port', '0', '--http.port', '0', '--state.url', upstream.url, '--state.ws', upstream.wsUrl, '--state.poll', '600000'],
      { ready: { rpc: /HTTP server started.*endpoint=(http:\/\/\S+)/ }, timeoutMs: 30_000 },
    )
    try {
      const bUrl = b.match.rpc[1]!
      const nonce = BigInt(await call(upstream.url, 'eth_getTransactionCount', [DEV_ACCOUNTS[8], 'latest']))
      const t = devTx(8, nonce)
      await call(bUrl, 'eth_sendRawTransaction', [rawHex(t)])
      expect(Number((await call(bUrl, 'txpool_status')).pending)).toBe(1)
      await call(upstream.url, 'eth_sendRawTransaction', [rawHex(t)]) // anvil mines it: a newHeads notification
      expect(await until(async () => Number((await call(bUrl, 'txpool_status')).pending) === 0, 5000)).toBe(true)
    } finally {
      await b.stop()
    }
  })
})
