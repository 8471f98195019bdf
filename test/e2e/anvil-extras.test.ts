/**
 * What anvil's further methods do, on `bin/mosaic` as a child process: the balance and clock
 * edits (anvil_addBalance adds, evm_setTime moves the next block's time), the mined blocks of
 * anvil_mine_detailed, EIP-7966's synchronous sends (the receipt with automine, error 4 with the
 * hash when nothing mines), transactions by sender and nonce (pooled and mined), the pool's
 * removal by sender, eth_fillTransaction, eth_getStorageValues, eth_config, debug_codeByHash and
 * debug_dbGet (geth's code key), and their refusals of bad parameters. anvil_rollback and
 * anvil_reorg: the blocks they drop leave the canonical chain (filters and logs subscriptions see
 * their logs removed),
 * the new branch holds the given transactions, and both survive a SIGKILL on a data directory.
 * anvil_impersonateSignature: ECRECOVER (in calls and mined transactions) and EIP-7702
 * authorities recover the chosen address for the signature.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { startChild } from '../child-process.ts'
import { CHAIN_ID, MOSAIC, rpc, rpcRaw, startMosaic, type Child } from './processes.ts'

setDefaultTimeout(60_000)

const ALICE = DEV_ACCOUNTS[0]!.toLowerCase()
const BOB = privateKeyToAccount(DEV_PRIVATE_KEYS[1]! as Hex)
const STRANGER = '0x1234567890123456789012345678901234567890'
let mosaic: Child

beforeAll(async () => {
  mosaic = await startMosaic()
})
afterAll(async () => {
  await mosaic?.stop()
})

const call = (method: string, params: unknown[] = []) => rpc(mosaic.url, method, params)
const sign = async (nonce: number) => BOB.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce, gas: 21_000n, to: STRANGER, value: 1n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n })

describe("anvil's further dev methods", () => {
  test('anvil_addBalance and its hardhat_ alias add to the balance', async () => {
    await call('anvil_setBalance', [STRANGER, '0x100'])
    expect(await call('anvil_addBalance', [STRANGER, '0x23'])).toBeNull()
    await call('hardhat_addBalance', [STRANGER, '0x1'])
    expect(BigInt(await call('eth_getBalance', [STRANGER, 'latest']))).toBe(0x124n)
    expect((await rpcRaw(mosaic.url, 'anvil_addBalance', [STRANGER, '12'])).error?.code).toBe(-32602)
  })

  test('evm_setTime sets the clock the next blocks count from; anvil_mine_detailed returns the mined blocks', async () => {
    const ahead = await call('evm_setTime', [4_000_000_000])
    expect(ahead).toBeGreaterThan(1_000_000_000)
    const blocks = await call('anvil_mine_detailed', [{ blocks: 2 }])
    const head = await call('eth_getBlockByNumber', ['latest', false])
    expect(blocks.map((b: { number: string }) => b.number)).toEqual([BigInt(head.number) - 1n, BigInt(head.number)].map((n) => `0x${n.toString(16)}`))
    expect(blocks[1].hash).toBe(head.hash)
    expect(Number(BigInt(blocks[0].timestamp))).toBeGreaterThanOrEqual(4_000_000_000)
    expect(Number(BigInt(blocks[0].timestamp))).toBeLessThan(4_000_000_100)
    // milliseconds, as ganache took them: the same second
    await call('anvil_setTime', [4_100_000_000_000])
    const [b] = await call('evm_mine_detailed', [])
    expect(Number(BigInt(b.timestamp))).toBeGreaterThanOrEqual(4_100_000_000)
    expect(Number(BigInt(b.timestamp))).toBeLessThan(4_100_000_100)
  })

  test('eth_sendRawTransactionSync answers the receipt; without mining, code 4 with the hash after the timeout', async () => {
    const nonce = Number(await call('eth_getTransactionCount', [BOB.address, 'latest']))
    const receipt = await call('eth_sendRawTransactionSync', [await sign(nonce)])
    expect(receipt.status).toBe('0x1')
    expect(receipt).toEqual(await call('eth_getTransactionReceipt', [receipt.transactionHash]))
    const sent = await call('eth_sendTransactionSync', [{ from: ALICE, to: STRANGER, value: '0x1' }])
    expect(sent.from).toBe(ALICE)
    await call('evm_setAutomine', [false])
    try {
      const raw = await sign(nonce + 1)
      const started = performance.now()
      const r = await rpcRaw(mosaic.url, 'eth_sendRawTransactionSync', [raw, 300])
      expect(performance.now() - started).toBeGreaterThanOrEqual(290)
      expect(r.error?.code).toBe(4)
      expect(r.error?.data).toBe(keccak256(raw))
      // pooled: found by sender and nonce, then gone once the sender's transactions are removed
      expect((await call('eth_getTransactionBySenderAndNonce', [BOB.address, `0x${(nonce + 1).toString(16)}`])).hash).toBe(keccak256(raw))
      expect(await call('anvil_removePoolTransactions', [BOB.address])).toBeNull()
      expect(await call('eth_getTransactionByHash', [keccak256(raw)])).toBeNull()
    } finally {
      await call('evm_setAutomine', [true])
    }
    // mined: found by a search over the blocks
    const mined = await call('eth_getTransactionBySenderAndNonce', [BOB.address, `0x${nonce.toString(16)}`])
    expect(mined.hash).toBe(receipt.transactionHash)
    expect(mined.blockNumber).toBe(receipt.blockNumber)
    expect(await call('eth_getTransactionBySenderAndNonce', [BOB.address, '0x3e8'])).toBeNull()
  })

  test('eth_fillTransaction completes a transaction without sending it', async () => {
    const count = await call('eth_getTransactionCount', [ALICE, 'pending'])
    const filled = await call('eth_fillTransaction', [{ from: ALICE, to: STRANGER, value: '0x5' }])
    expect(filled.tx).toMatchObject({ from: ALICE, to: STRANGER, value: '0x5', nonce: count, gas: '0x5208', type: '0x2' })
    expect(filled.raw).toMatch(/^0x02/)
    expect(await call('eth_getTransactionCount', [ALICE, 'pending'])).toBe(count)
  })

  test('eth_getStorageValues reads many slots of many accounts; eth_getAccountInfo the account with its code', async () => {
    await call('anvil_setCode', [STRANGER, '0x6001'])
    await call('anvil_setStorageAt', [STRANGER, '0x5', `0x${'00'.repeat(31)}07`])
    const v = await call('eth_getStorageValues', [{ [STRANGER]: ['0x5', '0x6'], [ALICE]: ['0x0'] }, 'latest'])
    expect(v).toEqual({ [STRANGER]: [`0x${'00'.repeat(31)}07`, `0x${'00'.repeat(32)}`], [ALICE]: [`0x${'00'.repeat(32)}`] })
    expect((await rpcRaw(mosaic.url, 'eth_getStorageValues', [{ [STRANGER]: Array(1025).fill('0x1') }])).error?.code).toBe(-32602)
    const info = await call('eth_getAccountInfo', [STRANGER])
    expect(info).toEqual({ balance: await call('eth_getBalance', [STRANGER, 'latest']), nonce: '0x0', code: '0x6001' })
  })

  test('debug_codeByHash and debug_dbGet (geth\'s code key, as [key] or the bare key) read code by its hash', async () => {
    await call('evm_mine')
    const hash = keccak256('0x6001')
    expect(await call('debug_codeByHash', [hash])).toBe('0x6001')
    expect(await call('debug_codeByHash', [keccak256('0x')])).toBe('0x')
    expect(await call('debug_codeByHash', [`0x${'11'.repeat(32)}`])).toBeNull()
    expect(await call('debug_dbGet', [`0x63${hash.slice(2)}`])).toBe('0x6001')
    const bare = await fetch(mosaic.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'debug_dbGet', params: `0x63${hash.slice(2)}` }) })
    expect(((await bare.json()) as { result: string }).result).toBe('0x6001')
    // Mosaic's own layout: `C` ‖ code hash
    expect(await call('debug_dbGet', [`0x43${hash.slice(2)}`])).toBe('0x6001')
    expect((await rpcRaw(mosaic.url, 'debug_dbGet', ['0x'])).error?.code).toBe(-32602)
  })

  test("eth_config names the fork in force: Prague's precompiles and system contracts, no next fork", async () => {
    const c = await call('eth_config')
    expect(c.next).toBeNull()
    expect(c.last).toBeNull()
    expect(c.current.chainId).toBe('0x7a69')
    expect(c.current.activationTime).toBe(0)
    expect(c.current.blobSchedule).toEqual({ baseFeeUpdateFraction: 5007716, max: 9, target: 6 })
    expect(Object.keys(c.current.precompiles)).toHaveLength(17)
    expect(c.current.precompiles.BLS12_MAP_FP2_TO_G2).toBe('0x0000000000000000000000000000000000000011')
    expect(c.current.systemContracts.HISTORY_STORAGE_ADDRESS).toBe('0x0000f90827f1c53a10cb7a02335b175320002935')
    expect(c.current.forkId).toMatch(/^0x[0-9a-f]{8}$/)
  })

  test('setMinGasPrice is refused on an EIP-1559 chain, as anvil does; the intervals and genesis time read back', async () => {
    expect((await rpcRaw(mosaic.url, 'anvil_setMinGasPrice', ['0x1'])).error?.code).toBe(-32602)
    expect(await call('anvil_getIntervalMining')).toBeNull()
    await call('evm_setIntervalMining', [600])
    expect(await call('anvil_getIntervalMining')).toBe(600)
    await call('evm_setIntervalMining', [0])
    const genesis = await call('eth_getBlockByNumber', ['0x0', false])
    expect(await call('anvil_getGenesisTime')).toBe(Number(BigInt(genesis.timestamp)))
    expect(await call('eth_networkId')).toBe('31337')
    expect(await call('eth_requestAccounts')).toEqual(await call('eth_accounts'))
  })
})

describe('ERC-20 balances and allowances', () => {
  test('anvil_dealERC20 and anvil_setERC20Allowance find the slots of a real token', async () => {
    const { contracts } = await import('./contracts.ts')
    const { encodeDeployData, encodeFunctionData, decodeFunctionResult } = await import('viem')
    const token = contracts().Token
    const deploy = encodeDeployData({ abi: token.abi, bytecode: token.bytecode, args: ['Token', 'TKN', 1000n] } as never)
    const receipt = await call('eth_sendTransactionSync', [{ from: ALICE, data: deploy, gas: '0x4c4b40' }])
    const addr = receipt.contractAddress
    const read = async (functionName: string, args: unknown[]) =>
      decodeFunctionResult({ abi: token.abi, functionName, data: await call('eth_call', [{ to: addr, data: encodeFunctionData({ abi: token.abi, functionName, args } as never) }, 'latest']) } as never)
    expect(await call('anvil_dealERC20', [STRANGER, addr, '0x3039'])).toBeNull()
    expect(await read('balanceOf', [STRANGER])).toBe(12345n)
    await call('anvil_setERC20Balance', [STRANGER, addr, '0x10'])
    expect(await read('balanceOf', [STRANGER])).toBe(16n)
    expect(await call('anvil_setERC20Allowance', [ALICE, STRANGER, addr, '0x99'])).toBeNull()
    expect(await read('allowance', [ALICE, STRANGER])).toBe(0x99n)
    // not a token: no slot answers
    const r = await rpcRaw(mosaic.url, 'anvil_dealERC20', [STRANGER, BOB.address, '0x1'])
    expect(r.error?.message).toContain('no slot found')
  })
})

/** Initcode that emits one log (LOG0 of nothing) and deploys no code: a transaction with a log. */
const LOGGER = '0x60006000a0'
const hexOf = (n: number | bigint) => `0x${n.toString(16)}`
/** An account without code (STRANGER gets some above), for plain transfers. */
const PAYEE = '0x00000000000000000000000000000000000000e1'

describe('anvil_rollback and anvil_reorg', () => {
  test('anvil_rollback drops the last block (or `depth` blocks); too deep is -32602', async () => {
    await call('anvil_mine', ['0x3'])
    const head = BigInt(await call('eth_blockNumber'))
    expect(await call('anvil_rollback', [])).toBeNull()
    expect(BigInt(await call('eth_blockNumber'))).toBe(head - 1n)
    expect(await call('eth_getBlockByNumber', [hexOf(head), false])).toBeNull()
    expect(await call('anvil_rollback', [2])).toBeNull()
    expect(BigInt(await call('eth_blockNumber'))).toBe(head - 3n)
    expect(await call('anvil_rollback', [0])).toBeNull()
    expect(BigInt(await call('eth_blockNumber'))).toBe(head - 3n)
    for (const bad of [[Number(head)], ['0xzz'], [-1]]) expect((await rpcRaw(mosaic.url, 'anvil_rollback', bad)).error?.code).toBe(-32602)
    // mining goes on from the new head
    await call('evm_mine')
    expect(BigInt(await call('eth_blockNumber'))).toBe(head - 2n)
  })

  test('anvil_reorg replaces the last blocks with the given transactions; filters and subscriptions see the old logs removed', async () => {
    const filter = await call('eth_newFilter', [{ fromBlock: 'latest' }])
    // a logs subscription over WebSocket: the log, then the same log removed
    const ws = new WebSocket(mosaic.wsUrl)
    const notes: { removed: boolean; transactionHash: string }[] = []
    await new Promise((r) => (ws.onopen = r))
    const subscribed = new Promise((r) => (ws.onmessage = r))
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['logs', {}] }))
    await subscribed
    ws.onmessage = (m) => notes.push(JSON.parse(String(m.data)).params.result)
    const logTx = await call('eth_sendTransaction', [{ from: ALICE, data: LOGGER }])
    const mined = await call('eth_getTransactionReceipt', [logTx])
    expect((await call('eth_getFilterChanges', [filter])).map((l: { removed: boolean }) => l.removed)).toEqual([false])
    await call('evm_mine')
    const head = BigInt(await call('eth_blockNumber'))
    const before = BigInt(await call('eth_getBalance', [PAYEE, 'latest']))
    const bobNonce = Number(await call('eth_getTransactionCount', [BOB.address, hexOf(head - 2n)]))
    // three blocks go; the new branch: a request signed for alice in block 0, bob's raw transaction in block 2
    const raw = await BOB.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce: bobNonce, gas: 21_000n, to: PAYEE, value: 7n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n })
    expect(await call('anvil_reorg', [2, [[raw, 1], [{ from: ALICE, to: PAYEE, value: '0x5' }, 0]]])).toBeNull()
    expect(BigInt(await call('eth_blockNumber'))).toBe(head)
    const changes = await call('eth_getFilterChanges', [filter])
    expect(changes.map((l: { removed: boolean; transactionHash: string }) => [l.removed, l.transactionHash])).toEqual([[true, logTx]])
    for (let i = 0; i < 100 && notes.length < 2; i++) await Bun.sleep(10)
    ws.close()
    expect(notes.map((l) => [l.removed, l.transactionHash])).toEqual([[false, logTx], [true, logTx]])
    expect(await call('eth_getTransactionReceipt', [logTx])).toBeNull()
    const b0 = await call('eth_getBlockByNumber', [mined.blockNumber, true])
    const b1 = await call('eth_getBlockByNumber', [hexOf(BigInt(mined.blockNumber) + 1n), false])
    expect(b0.hash).not.toBe(mined.blockHash)
    expect(b0.transactions.map((t: { from: string; value: string }) => [t.from, t.value])).toEqual([[ALICE, '0x5']])
    expect(b1.transactions).toEqual([keccak256(raw)])
    expect(BigInt(await call('eth_getBalance', [PAYEE, 'latest']))).toBe(before + 12n)
    // with no transactions: empty blocks
    expect(await call('anvil_reorg', [1, []])).toBeNull()
    expect((await call('eth_getBlockByNumber', ['latest', false])).transactions).toEqual([])
  })

  test('anvil_reorg refuses a depth beyond the chain, a malformed transaction and an offset past the branch (-32602)', async () => {
    const head = Number(await call('eth_blockNumber'))
    const hash = (await call('eth_getBlockByNumber', ['latest', false])).hash
    for (const bad of [
      [head + 1, []],
      [1, [['0x1234', 0]]],
      [1, [['0xzz', 0]]],
      [1, [[{ from: ALICE, to: PAYEE, gas: 'lots' }, 0]]],
      [1, [[{ from: ALICE, to: PAYEE }, 1]]],
      [1, [[{ from: ALICE, to: PAYEE }]]],
      [1, 'none'],
      [1],
    ]) {
      const r = await rpcRaw(mosaic.url, 'anvil_reorg', bad)
      expect([JSON.stringify(bad), r.error?.code]).toEqual([JSON.stringify(bad), -32602])
    }
    // nothing moved
    expect((await call('eth_getBlockByNumber', ['latest', false])).hash).toBe(hash)
  })
})

/**
 * Runtime code: ECRECOVER of the calldata (hash, v, r, s), the answer stored in slot 0 and returned.
 * CALLDATACOPY; STATICCALL(gas, 0x01, 0, 128, 0, 32); SSTORE(0, MLOAD(0)); RETURN(0, 32)
 */
const RECOVER = '0x366000600037602060006080600060015afa5060005160005560206000f3'
const RECOVERER = '0x00000000000000000000000000000000000000ec'
const word = (b: string) => b.padStart(64, '0')

describe('anvil_impersonateSignature', () => {
  const r = '11'.repeat(32)
  const s = '22'.repeat(32)
  const input = `0x${'ab'.repeat(32)}${word('1b')}${r}${s}`
  const who = '0x00000000000000000000000000000000000000a7'

  test('ECRECOVER of the signature answers the address, in calls and in mined transactions', async () => {
    await call('anvil_setCode', [RECOVERER, RECOVER])
    const before = await call('eth_call', [{ to: RECOVERER, data: input }, 'latest'])
    expect(before).not.toBe(`0x${word(who.slice(2))}`)
    // anvil's form: the pair wrapped in a list
    expect(await call('anvil_impersonateSignature', [[`0x${r}${s}1b`, who]])).toBeNull()
    // twice: the first runs on an EVM worker, a light repeat on the event loop
    for (let i = 0; i < 2; i++) expect(await call('eth_call', [{ to: RECOVERER, data: input }, 'latest'])).toBe(`0x${word(who.slice(2))}`)
    const tx = await call('eth_sendTransaction', [{ from: ALICE, to: RECOVERER, data: input }])
    expect((await call('eth_getTransactionReceipt', [tx])).status).toBe('0x1')
    expect(await call('eth_getStorageAt', [RECOVERER, '0x0', 'latest'])).toBe(`0x${word(who.slice(2))}`)
    // another v: not overridden
    expect(await call('eth_call', [{ to: RECOVERER, data: `0x${'ab'.repeat(32)}${word('1c')}${r}${s}` }, 'latest'])).not.toBe(`0x${word(who.slice(2))}`)
  })

  test('an EIP-7702 authorization with the signature delegates the address', async () => {
    const authority = '0x00000000000000000000000000000000000000a8'
    const [ar, as] = ['33'.repeat(32), '44'.repeat(32)]
    // the flat form of the docs
    expect(await call('anvil_impersonateSignature', [`0x${ar}${as}1c`, authority])).toBeNull()
    const auth = { chainId: hexOf(CHAIN_ID), address: RECOVERER, nonce: '0x0', yParity: '0x1', r: `0x${ar}`, s: `0x${as}` }
    const tx = await call('eth_sendTransaction', [{ from: ALICE, to: PAYEE, authorizationList: [auth] }])
    expect((await call('eth_getTransactionReceipt', [tx])).status).toBe('0x1')
    expect(await call('eth_getCode', [authority, 'latest'])).toBe(`0xef0100${RECOVERER.slice(2)}`)
    expect(await call('eth_getTransactionCount', [authority, 'latest'])).toBe('0x1')
  })

  test('a signature that is not 65 bytes, or a bad address, is -32602', async () => {
    for (const bad of [[[`0x${r}${s}`, who]], [`0x${r}${s}1b`, '0x12'], [`0x${r}${s}1b`], ['zz', who]]) {
      expect([JSON.stringify(bad), (await rpcRaw(mosaic.url, 'anvil_impersonateSignature', bad)).error?.code]).toEqual([JSON.stringify(bad), -32602])
    }
  })
})

test('a rollback and a reorg survive a SIGKILL', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mosaic-reorg-'))
  const start = async () => {
    const child = await startChild([MOSAIC, '--datadir', join(root, 'data'), '--http.port', '0'], { ready: { url: /HTTP server started.*endpoint=(http:\/\/\S+)/ }, name: 'mosaic', timeoutMs: 30_000 })
    return { url: child.match.url[1]!, proc: child.proc, stop: () => child.stop() }
  }
  let n = await start()
  try {
    for (let i = 1; i <= 3; i++) await rpc(n.url, 'eth_sendTransaction', [{ from: ALICE, to: PAYEE, value: hexOf(i) }])
    expect(await rpc(n.url, 'anvil_rollback', [1])).toBeNull()
    expect(await rpc(n.url, 'anvil_reorg', [1, [[{ from: ALICE, to: PAYEE, value: '0x10' }, 0]]])).toBeNull()
    const head = await rpc(n.url, 'eth_getBlockByNumber', ['latest', false])
    expect(head.number).toBe('0x2')
    const balance = await rpc(n.url, 'eth_getBalance', [PAYEE, 'latest'])
    n.proc.kill('SIGKILL')
    await n.proc.exited
    n = await start()
    expect((await rpc(n.url, 'eth_getBlockByNumber', ['latest', false])).hash).toBe(head.hash)
    expect(await rpc(n.url, 'eth_getBlockByNumber', ['0x3', false])).toBeNull()
    expect(await rpc(n.url, 'eth_getBalance', [PAYEE, 'latest'])).toBe(balance)
    // the next block builds on the reorganised head
    await rpc(n.url, 'evm_mine')
    expect((await rpc(n.url, 'eth_getBlockByNumber', ['latest', false])).parentHash).toBe(head.hash)
  } finally {
    await n.stop()
    rmSync(root, { recursive: true, force: true })
  }
})
