/**
 * Fork mode (issue 17) against a real upstream: anvil on a free port holding a contract and
 * some transfers, and `bin/mosaic --fork-url …` as a child process. Checks that reads through the
 * fork equal the upstream's at the fork block; that transactions on the fork (a dev account, an
 * impersonated upstream account) change the fork only; eth_call of an upstream contract; dev
 * controls over remote state; reads before the fork block forwarded upstream; a restart with
 * `--offline` (upstream gone) answering from the cache; the clear error of an unreachable
 * upstream; a rate-limiting upstream (429 and -32005) worked through by retries; an upstream
 * without eth_getProof; a proof that does not verify; anvil_setRpcUrl switching to another
 * upstream of the same chain (and refusing one of another chain or history); and a differential
 * run against `anvil --fork-url` on the same upstream.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChild } from '../child-process.ts'
import { MOSAIC, rpc, rpcRaw, startAnvil, startMosaic, type Child } from '../e2e/processes.ts'

setDefaultTimeout(120_000)

const DEV0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const DEV1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
/** A non-dev account the upstream funds: impersonated on the fork. */
const RICH = '0x1234567890123456789012345678901234567890'
const PLAIN = '0x1111111111111111111111111111111111111111'
/** Runtime: with calldata, sstore(0, calldataload(0)) and an empty LOG0; without, return sload(0). */
const RUNTIME = '361560115760003560005560006000a0005b60005460005260206000f3'
/** Init: sstore(0, 42), then return the runtime (29 bytes). */
const INITCODE = `0x602a600055601d6011600039601d6000f3${RUNTIME}`
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
  await mined(u, await rpc(u, 'eth_sendTransaction', [{ from: DEV0, to: contract, data: word(42n) }])) // a log before the fork block
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
    // logs: the upstream's up to the fork block, the fork's after it
    const range = { fromBlock: '0x0', toBlock: `0x${forkBlock.toString(16)}` }
    const upstreamLogs = await rpc(upstream.url, 'eth_getLogs', [range])
    expect(upstreamLogs.length).toBe(1)
    expect(await rpc(fork.url, 'eth_getLogs', [range])).toEqual(upstreamLogs)
    // across the fork block: the upstream's log, then the one of the impersonated write on the fork
    const across = await rpc(fork.url, 'eth_getLogs', [{ fromBlock: '0x1', toBlock: 'latest', address: contract }])
    expect(across.length).toBe(2)
    expect(across[0]).toEqual(upstreamLogs[0])
    expect(BigInt(across[1].blockNumber)).toBeGreaterThan(forkBlock)
    const tx = (await rpc(upstream.url, 'eth_getBlockByNumber', ['0x1', false])).transactions[0]
    expect((await rpc(fork.url, 'eth_getTransactionReceipt', [tx])).transactionHash).toBe(tx)
    const trace = [tx, { tracer: 'callTracer' }]
    expect(await rpc(fork.url, 'debug_traceTransaction', trace)).toEqual(await rpc(upstream.url, 'debug_traceTransaction', trace))
  })

  test('BLOCKHASH of a block before the fork is the upstream hash', async () => {
    // creation code that returns BLOCKHASH(1): PUSH1 1 BLOCKHASH PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
    const got = await rpc(fork.url, 'eth_call', [{ from: DEV0, data: '0x60014060005260206000f3' }, 'latest'])
    expect(got).toBe((await rpc(upstream.url, 'eth_getBlockByNumber', ['0x1', false])).hash)
  })
  test('anvil_reset moves the fork to a later upstream block', async () => {
    const later = forkBlock + 2n
    expect(await rpc(fork.url, 'anvil_reset', [{ forking: { jsonRpcUrl: upstream.url, blockNumber: Number(later) } }])).toBeNull()
    expect(BigInt(await rpc(fork.url, 'eth_blockNumber'))).toBe(later)
    // the upstream's changes after the old fork block are seen, the fork's own are gone
    expect(await rpc(fork.url, 'eth_call', [{ to: contract }, 'latest'])).toBe(word(99n))
    expect(BigInt(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest']))).toBe(BigInt(atFork.balancePlain as string) + 1n)
    expect(await rpc(fork.url, 'eth_getTransactionCount', [RICH, 'latest'])).toBe('0x0')
    const r = await mined(fork.url, await rpc(fork.url, 'eth_sendTransaction', [{ from: DEV1, to: PLAIN, value: '0x10' }]))
    expect(BigInt(r.blockNumber)).toBe(later + 1n)
    const bad = await rpcRaw(fork.url, 'anvil_reset', [{ forking: { blockNumber: 'soon' } }])
    expect(bad.error?.code).toBe(-32602)
  })
})

type ProxyMode = 'pass' | 'limit' | 'noproof' | 'tamper' | 'down'

/** A proxy to the upstream that rate-limits, hides eth_getProof, tampers with proofs, or fails. */
function startProxy(target: () => string) {
  const state = { mode: 'pass' as ProxyMode, requests: 0, calls: 0, limited: 0, largestBatch: 0, methods: new Set<string>() }
  const server = Bun.serve({
    port: 0,
    async fetch(req) {
      const n = ++state.requests
      if (state.mode === 'down') return new Response('unavailable', { status: 503 })
      if (state.mode === 'limit' && n % 2 === 0) {
        state.limited++
        return new Response('slow down', { status: 429 })
      }
      const body = await req.json()
      const calls: any[] = Array.isArray(body) ? body : [body]
      for (const c of calls) state.methods.add(c.method)
      state.largestBatch = Math.max(state.largestBatch, calls.length)
      const hidden = new Map<unknown, unknown>()
      const forward = calls.filter((c) => {
        if (state.mode === 'noproof' && c.method === 'eth_getProof') hidden.set(c.id, { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: 'the method eth_getProof does not exist' } })
        else if (state.mode === 'limit' && ++state.calls % 3 === 0) {
          state.limited++
          hidden.set(c.id, { jsonrpc: '2.0', id: c.id, error: { code: -32005, message: 'limit exceeded' } })
        } else return true
        return false
      })
      let answers: any[] = []
      if (forward.length > 0) {
        const r = await fetch(target(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forward) })
        answers = (await r.json()) as any[]
      }
      if (state.mode === 'tamper') for (const a of answers) if (a.result?.accountProof) a.result.balance = '0xde0b6b3a7640000'
      const out = calls.map((c) => hidden.get(c.id) ?? answers.find((a) => a.id === c.id))
      return Response.json(Array.isArray(body) ? out : out[0])
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, state, stop: () => server.stop(true) }
}

describe('fork mode through a misbehaving upstream', () => {
  let proxy: ReturnType<typeof startProxy>
  beforeAll(() => {
    proxy = startProxy(() => upstream.url)
  })
  afterAll(() => proxy?.stop())

  const forkVia = (mode: ProxyMode) => {
    proxy.state.mode = mode
    proxy.state.limited = 0
    proxy.state.methods.clear()
    proxy.state.largestBatch = 0
    return startFork(['--fork-url', proxy.url, '--fork-block-number', String(forkBlock), '--fork-retry-backoff', '10', '--no-storage-caching'])
  }

  test('a rate-limiting upstream (HTTP 429, -32005) still answers through retries', async () => {
    const fork = await forkVia('limit')
    try {
      expect(await reads(fork.url, 'latest')).toEqual(atFork)
      expect(proxy.state.limited).toBeGreaterThan(2)
    } finally {
      await fork.stop()
    }
  })

  test('an upstream without eth_getProof is read with eth_getBalance & co.', async () => {
    const fork = await forkVia('noproof')
    try {
      expect(await reads(fork.url, 'latest')).toEqual(atFork)
      expect(proxy.state.methods.has('eth_getStorageAt')).toBe(true)
      expect(proxy.state.methods.has('eth_getTransactionCount')).toBe(true)
    } finally {
      await fork.stop()
    }
  })

  test('a proof that does not verify is a clear error, and the node stays up', async () => {
    const fork = await forkVia('tamper')
    try {
      const r = await rpcRaw(fork.url, 'eth_getBalance', [RICH, 'latest'])
      expect(r.error?.message).toContain(`the proof of account ${RICH} does not verify against block ${forkBlock}'s state root`)
      expect(BigInt(await rpc(fork.url, 'eth_blockNumber'))).toBe(forkBlock)
    } finally {
      await fork.stop()
    }
  })

  test('an upstream that goes away mid-run: an error naming it and the key, no hang, no crash', async () => {
    const fork = await forkVia('pass')
    try {
      expect(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest'])).toBe(atFork.balancePlain)
      // the start-up prefetch (dev accounts, system contracts: 14 accounts, 2 calls each) went as one batch
      expect(proxy.state.largestBatch).toBe(28)
      proxy.state.mode = 'down'
      const stranger = '0x00000000000000000000000000000000000000aa'
      const r = await rpcRaw(fork.url, 'eth_getBalance', [stranger, 'latest'])
      expect(r.error?.message).toContain(`upstream ${proxy.url} did not answer account ${stranger} at block ${forkBlock}`)
      expect(r.error?.message).toContain('HTTP 503')
      // cached reads and the fork's own state keep working
      expect(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest'])).toBe(atFork.balancePlain)
      expect(BigInt(await rpc(fork.url, 'eth_blockNumber'))).toBe(forkBlock)
    } finally {
      await fork.stop()
    }
  })

  test('an upstream unreachable at start: the node exits with a message naming it', async () => {
    const closed = 'http://127.0.0.1:9'
    const proc = Bun.spawn([MOSAIC, '--execution-only', '--http.port', '0', '--datadir', dir, '--fork-url', closed, '--retries', '1', '--fork-retry-backoff', '10'], { stdout: 'ignore', stderr: 'pipe' })
    const code = await proc.exited
    const err = await new Response(proc.stderr).text()
    expect(code).not.toBe(0)
    expect(err).toContain(`upstream ${closed} did not answer eth_chainId after 2 attempts: connection failed`)
  })
})

describe('anvil_setRpcUrl', () => {
  test('switches reads to another upstream of the same chain and fork block; refuses another chain or history', async () => {
    const first = startProxy(() => upstream.url)
    const second = startProxy(() => upstream.url)
    // another chain: a node that answers eth_chainId with 5
    const other = Bun.serve({
      port: 0,
      fetch: async (req) => {
        const body = (await req.json()) as { id: unknown } | { id: unknown }[]
        const answer = (c: { id: unknown }) => ({ jsonrpc: '2.0', id: c.id, result: '0x5' })
        return Response.json(Array.isArray(body) ? body.map(answer) : answer(body))
      },
    })
    const fresh = await startAnvil()
    const fork = await startFork(['--fork-url', first.url, '--fork-block-number', String(forkBlock), '--fork-retry-backoff', '10', '--retries', '1', '--no-storage-caching'])
    try {
      await rpc(fork.url, 'eth_sendTransaction', [{ from: DEV0, to: PLAIN, value: '0x1' }])
      // an upstream of another chain, or of this chain without the fork block's hash: a clear error, nothing changes
      const chain = await rpcRaw(fork.url, 'anvil_setRpcUrl', [`http://127.0.0.1:${other.port}`])
      expect(chain.error?.message).toContain('is chain 5, this fork runs chain 31337')
      const history = await rpcRaw(fork.url, 'anvil_setRpcUrl', [fresh.url])
      expect(history.error?.message).toMatch(/has (no )?block/)
      expect(history.error?.message).toContain('the fork block is')
      expect((await rpcRaw(fork.url, 'anvil_setRpcUrl', ['ftp://x'])).error?.code).toBe(-32602)
      expect(await rpc(fork.url, 'eth_getBalance', [RICH, 'latest'])).toBe(atFork.balanceRich)

      expect(await rpc(fork.url, 'anvil_setRpcUrl', [second.url])).toBeNull()
      first.state.mode = 'down'
      const before = second.state.requests
      // a read not cached yet goes to the new upstream; the fork's own block stays
      expect(await rpc(fork.url, 'eth_getTransactionCount', ['0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc', 'latest'])).toBe(atFork.nonceDev2)
      expect(await rpc(fork.url, 'eth_call', [{ to: contract }, 'latest'])).toBe(atFork.call)
      expect(second.state.requests).toBeGreaterThan(before)
      expect(BigInt(await rpc(fork.url, 'eth_blockNumber'))).toBe(forkBlock + 1n)
    } finally {
      await Promise.all([fork.stop(), fresh.stop()])
      other.stop(true)
      first.stop()
      second.stop()
    }
  })
})

describe('differential: anvil --fork-url on the same upstream', () => {
  let ours: Fork
  let theirs: Child
  beforeAll(async () => {
    ours = await startFork(['--fork-url', upstream.url, '--fork-block-number', String(forkBlock), '--no-storage-caching'])
    theirs = await startAnvil(['--fork-url', upstream.url, '--fork-block-number', String(forkBlock)])
  })
  afterAll(async () => {
    await ours?.stop()
    await theirs?.stop()
  })

  test('reads at the fork block agree', async () => {
    expect(await reads(ours.url, 'latest')).toEqual(await reads(theirs.url, 'latest'))
    for (const a of [DEV0, DEV1]) expect(await rpc(ours.url, 'eth_getBalance', [a, 'latest'])).toBe(await rpc(theirs.url, 'eth_getBalance', [a, 'latest']))
  })

  test('the same impersonated contract call: receipt, storage and callTracer trace agree', async () => {
    const send = async (url: string) => {
      await rpc(url, 'anvil_impersonateAccount', [RICH])
      return mined(url, await rpc(url, 'eth_sendTransaction', [{ from: RICH, to: contract, data: word(11n), gas: '0x20000' }]))
    }
    const [a, b] = [await send(ours.url), await send(theirs.url)]
    for (const k of ['status', 'gasUsed', 'cumulativeGasUsed', 'from', 'to', 'blockNumber'] as const) expect(a[k]).toEqual(b[k])
    // intended differences: the block hash (the fork's state roots cover only its own changes) and
    // the transaction hash (an impersonated transaction's fee fields are each node's own defaults),
    // and the block timestamp (each node's wall clock when it mined)
    const logs = (r: any) => r.logs.map(({ blockHash: _, transactionHash: __, blockTimestamp: ___, ...l }: any) => l)
    expect(logs(a)).toEqual(logs(b))
    expect(logs(a).length).toBe(1)
    expect(await rpc(ours.url, 'eth_getStorageAt', [contract, '0x0', 'latest'])).toBe(await rpc(theirs.url, 'eth_getStorageAt', [contract, '0x0', 'latest']))
    const trace = (url: string, h: string) => rpc(url, 'debug_traceTransaction', [h, { tracer: 'callTracer' }])
    const [ta, tb] = [await trace(ours.url, a.transactionHash), await trace(theirs.url, b.transactionHash)]
    // intended difference (as in test/e2e/anvil-diff.test.ts): the top frame's gas is the transaction's
    // gas limit in geth and Mosaic, the gas left after intrinsic gas in anvil
    expect(ta.gas).toBe('0x20000')
    expect(BigInt(tb.gas)).toBeLessThan(0x20000n)
    expect({ ...ta, gas: undefined }).toEqual({ ...tb, gas: undefined })
    expect(await rpc(ours.url, 'eth_getTransactionCount', [RICH, 'latest'])).toBe(await rpc(theirs.url, 'eth_getTransactionCount', [RICH, 'latest']))
  })
})

describe('a Mosaic dev node as the upstream', () => {
  let node: Child
  let fork: Fork
  afterAll(async () => {
    await fork?.stop()
    await node?.stop()
  })

  test("reads through the fork equal the upstream's, its eth_getProof answers verify", async () => {
    node = await startMosaic()
    await mined(node.url, await rpc(node.url, 'eth_sendTransaction', [{ from: DEV0, to: RICH, value: '0x100' }]))
    const deploy = await mined(node.url, await rpc(node.url, 'eth_sendTransaction', [{ from: DEV0, data: INITCODE }]))
    const head = BigInt(await rpc(node.url, 'eth_blockNumber'))
    fork = await startFork(['--fork-url', node.url, '--fork-block-number', String(head), '--no-storage-caching'])
    const c = deploy.contractAddress
    for (const [m, p] of [['eth_getBalance', [RICH]], ['eth_getCode', [c]], ['eth_getStorageAt', [c, '0x0']], ['eth_getTransactionCount', [DEV0]]] as const)
      expect(await rpc(fork.url, m, [...p, 'latest'])).toBe(await rpc(node.url, m, [...p, 'latest']))
    expect(await rpc(fork.url, 'eth_call', [{ to: c }, 'latest'])).toBe(word(42n))
    const r = await mined(fork.url, await rpc(fork.url, 'eth_sendTransaction', [{ from: DEV1, to: c, data: word(8n) }]))
    expect(r.status).toBe('0x1')
    expect(await rpc(fork.url, 'eth_call', [{ to: c }, 'latest'])).toBe(word(8n))
    expect(await rpc(node.url, 'eth_call', [{ to: c }, 'latest'])).toBe(word(42n))
  })
})

describe('restart with --offline', () => {
  let fork: Fork
  beforeAll(async () => {
    await upstream.stop()
    fork = await startFork(['--offline', '--fork-block-number', String(forkBlock)])
  })
  afterAll(async () => {
    await fork?.stop()
  })

  test('the cached reads answer the same without the upstream', async () => {
    expect(fork.log()).toContain('upstream=offline')
    expect(await reads(fork.url, 'latest')).toEqual(atFork)
    expect(await rpc(fork.url, 'eth_getBlockByNumber', [`0x${(forkBlock - 2n).toString(16)}`, true])).not.toBeNull()
  })

  test('a key not in the cache is a clear error; mining on the cached state works', async () => {
    const stranger = '0x00000000000000000000000000000000000000bb'
    const r = await rpcRaw(fork.url, 'eth_getBalance', [stranger, 'latest'])
    expect(r.error?.message).toContain(`--offline: account ${stranger} at block ${forkBlock} is not in the fork cache`)
    const t = await mined(fork.url, await rpc(fork.url, 'eth_sendTransaction', [{ from: DEV1, to: PLAIN, value: '0x10' }]))
    expect(t.status).toBe('0x1')
    expect(BigInt(await rpc(fork.url, 'eth_getBalance', [PLAIN, 'latest']))).toBe(BigInt(atFork.balancePlain as string) + 16n)
  })
})
