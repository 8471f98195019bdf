/**
 * The dev node's wallet and anvil methods as users call them, on `bin/mosaic` (a child process)
 * beside anvil from node_modules: message and typed-data signing through ethers' JsonRpcSigner
 * and viem's JSON-RPC account (checked by recovering the signer), and anvil's node controls and
 * descriptions, whose answers are compared with anvil's own where the two chains agree.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { JsonRpcProvider, verifyMessage, verifyTypedData } from 'ethers'
import { createWalletClient, defineChain, http, recoverMessageAddress, recoverTypedDataAddress, type Hex } from 'viem'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import { CHAIN_ID, rpc, rpcRaw, startAnvil, startMosaic, type Child } from './processes.ts'

setDefaultTimeout(60_000)

const ALICE = DEV_ACCOUNTS[0]!
const STRANGER = '0x1234567890123456789012345678901234567890'

const DOMAIN = { name: 'Mosaic Mail', version: '1', chainId: CHAIN_ID, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' } as const
const TYPES = {
  Person: [
    { name: 'name', type: 'string' },
    { name: 'wallet', type: 'address' },
  ],
  Mail: [
    { name: 'from', type: 'Person' },
    { name: 'to', type: 'Person' },
    { name: 'contents', type: 'string' },
    { name: 'amounts', type: 'uint256[]' },
  ],
}
const MESSAGE = {
  from: { name: 'Alice', wallet: ALICE },
  to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
  contents: 'Hello, Bob!',
  amounts: [1n, 2n ** 200n],
}

let mosaic: Child
let anvil: Child

beforeAll(async () => {
  ;[mosaic, anvil] = await Promise.all([startMosaic(), startAnvil()])
})
afterAll(async () => {
  await Promise.all([mosaic?.stop(), anvil?.stop()])
})

describe('signing with the dev accounts', () => {
  test("ethers' JsonRpcSigner signMessage and signTypedData recover to the account", async () => {
    const provider = new JsonRpcProvider(mosaic.url, { chainId: CHAIN_ID, name: 'dev' }, { staticNetwork: true })
    const signer = await provider.getSigner(ALICE)
    const sig = await signer.signMessage('hello mosaic')
    expect(verifyMessage('hello mosaic', sig).toLowerCase()).toBe(ALICE.toLowerCase())
    const typed = await signer.signTypedData(DOMAIN, TYPES, MESSAGE)
    expect(verifyTypedData(DOMAIN, TYPES, MESSAGE, typed).toLowerCase()).toBe(ALICE.toLowerCase())
    provider.destroy()
  })

  test("viem's signMessage and signTypedData with a JSON-RPC account recover to it", async () => {
    const chain = defineChain({ id: CHAIN_ID, name: 'dev', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [mosaic.url] } } })
    const wallet = createWalletClient({ chain, account: ALICE as Hex, transport: http(mosaic.url) })
    const sig = await wallet.signMessage({ message: 'hello viem' })
    expect((await recoverMessageAddress({ message: 'hello viem', signature: sig })).toLowerCase()).toBe(ALICE.toLowerCase())
    const typed = await wallet.signTypedData({ domain: DOMAIN, types: TYPES, primaryType: 'Mail', message: MESSAGE })
    expect((await recoverTypedDataAddress({ domain: DOMAIN, types: TYPES, primaryType: 'Mail', message: MESSAGE, signature: typed })).toLowerCase()).toBe(ALICE.toLowerCase())
  })

  test('the same key signs the same bytes as anvil: personal_sign, eth_sign, eth_signTypedData_v4', async () => {
    const typedJson = JSON.stringify({ types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }], ...TYPES }, primaryType: 'Mail', domain: DOMAIN, message: { ...MESSAGE, amounts: MESSAGE.amounts.map(String) } })
    for (const [method, params] of [
      ['personal_sign', ['0x68656c6c6f', ALICE]],
      ['eth_sign', [ALICE, '0x68656c6c6f']],
      ['eth_signTypedData_v4', [ALICE, typedJson]],
      ['eth_signTypedData_v4', [ALICE, JSON.parse(typedJson)]],
    ] as const) {
      expect(await rpc(mosaic.url, method, [...params])).toBe(await rpc(anvil.url, method, [...params]))
    }
    expect(await rpc(mosaic.url, 'personal_sign', ['0x68656c6c6f', ALICE])).toBe(await rpc(mosaic.url, 'eth_sign', [ALICE, '0x68656c6c6f']))
  })

  test('unknown accounts and malformed typed data get errors, not signatures', async () => {
    expect((await rpcRaw(mosaic.url, 'personal_sign', ['0x68656c6c6f', STRANGER])).error?.message).toContain('unknown account')
    const bad = await rpcRaw(mosaic.url, 'eth_signTypedData_v4', [ALICE, '{"types":{}}'])
    expect(bad.error?.code).toBe(-32602)
    expect(bad.error?.message).toContain('primaryType')
    const badValue = await rpcRaw(mosaic.url, 'eth_signTypedData_v4', [ALICE, { types: { EIP712Domain: [{ name: 'chainId', type: 'uint256' }] }, primaryType: 'EIP712Domain', domain: { chainId: 'x' }, message: {} }])
    expect(badValue.error?.message).toContain('domain.chainId: expected an integer')
  })
})

describe("anvil's node methods", () => {
  test('eth_coinbase, eth_hashrate, eth_protocolVersion and eth_getAccount answer as anvil does', async () => {
    for (const [method, params] of [
      ['eth_coinbase', []],
      ['eth_hashrate', []],
      ['eth_protocolVersion', []],
      ['eth_getAccount', [STRANGER, 'latest']],
    ] as const) {
      expect(await rpc(mosaic.url, method, [...params])).toEqual(await rpc(anvil.url, method, [...params]))
    }
    const acct = await rpc(mosaic.url, 'eth_getAccount', [ALICE, 'latest'])
    expect(acct.balance).toBe(await rpc(mosaic.url, 'eth_getBalance', [ALICE, 'latest']))
    expect(Object.keys(acct).sort()).toEqual(Object.keys(await rpc(anvil.url, 'eth_getAccount', [ALICE, 'latest'])).sort())
  })

  test('anvil_setCoinbase names the fee recipient of the next blocks', async () => {
    const coinbase = '0x00000000000000000000000000000000000000c0'
    expect(await rpc(mosaic.url, 'anvil_setCoinbase', [coinbase])).toBeNull()
    expect(await rpc(mosaic.url, 'eth_coinbase', [])).toBe(coinbase)
    await rpc(mosaic.url, 'evm_mine', [])
    expect((await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])).miner).toBe(coinbase)
  })

  test('anvil_setNextBlockBaseFeePerGas and anvil_/evm_setBlockGasLimit shape the next blocks as on anvil', async () => {
    for (const node of [mosaic, anvil]) {
      expect(await rpc(node.url, 'anvil_setNextBlockBaseFeePerGas', ['0x7'])).toBeNull()
      expect((await rpc(node.url, 'eth_getBlockByNumber', ['pending', false])).baseFeePerGas).toBe('0x7')
      await rpc(node.url, 'evm_mine', [])
      expect((await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).baseFeePerGas).toBe('0x7')
      expect(await rpc(node.url, 'anvil_setBlockGasLimit', ['0x1000000'])).toBe(true)
      expect(await rpc(node.url, 'evm_setBlockGasLimit', ['0x1000000'])).toBe(true)
      await rpc(node.url, 'evm_mine', [])
      const b = await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])
      expect(b.gasLimit).toBe('0x1000000')
      // the base fee goes back to EIP-1559's derivation from the parent (an empty block of base fee 7 keeps 7)
      expect(b.baseFeePerGas).toBe('0x7')
    }
    expect((await rpcRaw(mosaic.url, 'anvil_setBlockGasLimit', ['0x10'])).error?.code).toBe(-32602)
    await rpc(mosaic.url, 'anvil_setBlockGasLimit', ['0x1c9c380'])
  })

  test('anvil_setBlockTimestampInterval steps the timestamps; remove answers whether one was set', async () => {
    await rpc(mosaic.url, 'anvil_setBlockTimestampInterval', [100])
    const before = BigInt((await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])).timestamp)
    await rpc(mosaic.url, 'anvil_mine', ['0x3'])
    const after = BigInt((await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])).timestamp)
    expect(after - before).toBe(300n)
    expect(await rpc(mosaic.url, 'anvil_removeBlockTimestampInterval', [])).toBe(true)
    expect(await rpc(mosaic.url, 'anvil_removeBlockTimestampInterval', [])).toBe(false)
    expect((await rpcRaw(mosaic.url, 'anvil_setBlockTimestampInterval', [0])).error?.code).toBe(-32602)
  })

  test('anvil_autoImpersonateAccount lets any sender send; dropTransaction and dropAllTransactions empty the pool', async () => {
    await rpc(mosaic.url, 'anvil_setBalance', [STRANGER, '0xde0b6b3a7640000'])
    expect((await rpcRaw(mosaic.url, 'eth_sendTransaction', [{ from: STRANGER, to: ALICE, value: '0x1' }])).error?.message).toContain('unknown account')
    await rpc(mosaic.url, 'anvil_autoImpersonateAccount', [true])
    await rpc(mosaic.url, 'evm_setAutomine', [false])
    const h1 = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: STRANGER, to: ALICE, value: '0x1' }])
    const h2 = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: ALICE, to: STRANGER, value: '0x1' }])
    expect((await rpc(mosaic.url, 'txpool_status', [])).pending).toBe('0x2')
    expect(await rpc(mosaic.url, 'anvil_dropTransaction', [h1])).toBe(h1)
    expect(await rpc(mosaic.url, 'anvil_dropTransaction', [h1])).toBeNull()
    expect(await rpc(mosaic.url, 'eth_getTransactionByHash', [h1])).toBeNull()
    expect(await rpc(mosaic.url, 'anvil_dropAllTransactions', [])).toBeNull()
    expect(await rpc(mosaic.url, 'eth_getTransactionByHash', [h2])).toBeNull()
    expect((await rpc(mosaic.url, 'txpool_status', [])).pending).toBe('0x0')
    await rpc(mosaic.url, 'anvil_autoImpersonateAccount', [false])
    await rpc(mosaic.url, 'evm_setAutomine', [true])
    expect((await rpcRaw(mosaic.url, 'eth_sendTransaction', [{ from: STRANGER, to: ALICE, value: '0x1' }])).error?.message).toContain('unknown account')
  })

  test('anvil_nodeInfo and anvil_metadata have anvil’s shape and this chain’s facts', async () => {
    const keys = (o: Record<string, unknown>): string[] => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) && k !== 'snapshots' ? [k, ...keys(v as Record<string, unknown>).map((s) => `${k}.${s}`)] : [k])).sort()
    const info = await rpc(mosaic.url, 'anvil_nodeInfo', [])
    expect(keys(info)).toEqual(keys(await rpc(anvil.url, 'anvil_nodeInfo', [])))
    const head = await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])
    expect(info.currentBlockNumber).toBe(head.number)
    expect(info.currentBlockHash).toBe(head.hash)
    expect(info.environment.chainId).toBe(CHAIN_ID)
    const snap = await rpc(mosaic.url, 'evm_snapshot', [])
    const meta = await rpc(mosaic.url, 'anvil_metadata', [])
    const anvilMeta = await rpc(anvil.url, 'anvil_metadata', [])
    // anvil's build commit: Mosaic's goes out through engine_getClientVersionV1, where the Engine API asks for it
    const intended = new Set(['clientCommitSha'])
    for (const k of Object.keys(anvilMeta)) if (!intended.has(k)) expect(meta).toHaveProperty(k)
    expect(meta.latestBlockHash).toBe(head.hash)
    expect(meta.snapshots[BigInt(snap).toString()]).toEqual([Number(BigInt(head.number)), head.hash])
    expect(meta.instanceId).toMatch(/^0x[0-9a-f]{64}$/)
  })

  test('anvil_setLoggingEnabled silences the mined-block log lines and brings them back', async () => {
    const count = () => (mosaic.output().match(/Mined block/g) ?? []).length
    await rpc(mosaic.url, 'anvil_setLoggingEnabled', [false])
    const off = count()
    await rpc(mosaic.url, 'evm_mine', [])
    await Bun.sleep(200)
    expect(count()).toBe(off)
    await rpc(mosaic.url, 'anvil_setLoggingEnabled', [true])
    await rpc(mosaic.url, 'evm_mine', [])
    await Bun.sleep(200)
    expect(count()).toBe(off + 1)
    // a line per transaction, as anvil prints: hash, from, to, gas, status
    const h = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: ALICE, to: STRANGER, value: '0x1' }])
    await Bun.sleep(200)
    expect(mosaic.output()).toMatch(new RegExp(`Transaction.*hash=${h}.*from=${ALICE.toLowerCase()}.*to=${STRANGER}.*gas=21000.*status=success`))
  })
})

describe('habits anvil users bring', () => {
  test('a transaction read back with eth_getTransactionByHash goes into eth_call and eth_estimateGas as it is', async () => {
    const sent = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: ALICE, to: STRANGER, value: '0x1' }])
    const tx = await rpc(mosaic.url, 'eth_getTransactionByHash', [sent])
    expect(tx.hash).toBe(sent)
    expect(tx.gasPrice).toBeDefined()
    expect(await rpc(mosaic.url, 'eth_call', [tx, 'latest'])).toBe(await rpc(anvil.url, 'eth_call', [{ ...tx, nonce: undefined }, 'latest']))
    expect(await rpc(mosaic.url, 'eth_estimateGas', [tx])).toBe('0x5208')
    // fields it does know are still checked, and legacy gasPrice with fee caps is still geth's error
    expect((await rpcRaw(mosaic.url, 'eth_call', [{ ...tx, gas: '0xzz' }, 'latest'])).error?.code).toBe(-32602)
    expect((await rpcRaw(mosaic.url, 'eth_call', [{ to: STRANGER, gasPrice: '0x1', maxFeePerGas: '0x2' }, 'latest'])).error?.message).toContain('both gasPrice and')
  })

  test('safe and finalized trail the head by 32 and 64 blocks, as on anvil', async () => {
    for (const node of [mosaic, anvil]) {
      const head = BigInt(await rpc(node.url, 'eth_blockNumber', []))
      if (head < 81n) await rpc(node.url, 'anvil_mine', [`0x${(81n - head).toString(16)}`])
    }
    const at = async (url: string, tag: string) => BigInt((await rpc(url, 'eth_getBlockByNumber', [tag, false])).number)
    const head = await at(mosaic.url, 'latest')
    expect(await at(mosaic.url, 'safe')).toBe(head - 32n)
    expect(await at(mosaic.url, 'finalized')).toBe(head - 64n)
    const anvilHead = await at(anvil.url, 'latest')
    expect((await at(anvil.url, 'safe')) - anvilHead).toBe(-32n)
    expect((await at(anvil.url, 'finalized')) - anvilHead).toBe(-64n)
  })

  test('the pending block is the one the miner would build, and mining it gives the same transactions and state', async () => {
    await rpc(mosaic.url, 'evm_setAutomine', [false])
    try {
      const h = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: ALICE, to: STRANGER, value: '0x2' }])
      const head = await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])
      const pending = await rpc(mosaic.url, 'eth_getBlockByNumber', ['pending', false])
      expect(BigInt(pending.number)).toBe(BigInt(head.number) + 1n)
      expect(pending.parentHash).toBe(head.hash)
      expect(pending.transactions).toEqual([h])
      expect(await rpc(mosaic.url, 'eth_getBlockTransactionCountByNumber', ['pending'])).toBe('0x1')
      const full = await rpc(mosaic.url, 'eth_getBlockByNumber', ['pending', true])
      expect(full.transactions[0].from.toLowerCase()).toBe(ALICE.toLowerCase())
      await rpc(mosaic.url, 'evm_mine', [])
      const mined = await rpc(mosaic.url, 'eth_getBlockByNumber', ['latest', false])
      expect(mined.transactions).toEqual([h])
      expect(mined.gasUsed).toBe(pending.gasUsed)
      expect(mined.stateRoot).toBe(pending.stateRoot)
      // nothing pending: the next block is empty
      expect((await rpc(mosaic.url, 'eth_getBlockByNumber', ['pending', false])).transactions).toEqual([])
    } finally {
      await rpc(mosaic.url, 'evm_setAutomine', [true])
    }
  })
})

test('anvil_dumpState and anvil_loadState move a state between Mosaic and anvil in anvil’s format', async () => {
  const who = '0x00000000000000000000000000000000000000d5'
  const slot = '0x0000000000000000000000000000000000000000000000000000000000000003'
  const val = '0x00000000000000000000000000000000000000000000000000000000000000bb'
  await rpc(mosaic.url, 'anvil_setBalance', [who, '0x4242'])
  await rpc(mosaic.url, 'anvil_setCode', [who, '0x60016002'])
  await rpc(mosaic.url, 'anvil_setNonce', [who, '0x3'])
  await rpc(mosaic.url, 'anvil_setStorageAt', [who, slot, val])
  const dump = await rpc(mosaic.url, 'anvil_dumpState', [])
  expect(dump).toMatch(/^0x1f8b/)
  // anvil reads Mosaic's file...
  expect(await rpc(anvil.url, 'anvil_loadState', [dump])).toBe(true)
  const read = async (url: string) => [await rpc(url, 'eth_getBalance', [who, 'latest']), await rpc(url, 'eth_getCode', [who, 'latest']), await rpc(url, 'eth_getTransactionCount', [who, 'latest']), await rpc(url, 'eth_getStorageAt', [who, slot, 'latest'])]
  const expected = ['0x4242', '0x60016002', '0x3', val]
  expect(await read(anvil.url)).toEqual(expected)
  // ...and Mosaic reads anvil's, with anvil's own accounts in it
  const other = '0x00000000000000000000000000000000000000d6'
  await rpc(anvil.url, 'anvil_setBalance', [other, '0x77'])
  const anvilDump = await rpc(anvil.url, 'anvil_dumpState', [])
  await rpc(mosaic.url, 'anvil_setBalance', [who, '0x1'])
  expect(await rpc(mosaic.url, 'anvil_loadState', [anvilDump])).toBe(true)
  expect(await read(mosaic.url)).toEqual(expected)
  expect(await rpc(mosaic.url, 'eth_getBalance', [other, 'latest'])).toBe('0x77')
  // bad files change nothing and say why
  const gz = (s: string) => `0x${Buffer.from(Bun.gzipSync(new TextEncoder().encode(s))).toString('hex')}`
  for (const [file, text] of [
    ['0x1f8b0000', 'not a gzipped state'],
    [gz('[1]'), 'must be a JSON object'],
    [gz('{"accounts":{"0xzz":{}}}'), 'not an address'],
    [gz(`{"accounts":{"${other}":{"balance":"lots"}}}`), 'balance'],
  ] as const) {
    const r = await rpcRaw(mosaic.url, 'anvil_loadState', [file])
    expect(r.error?.code).toBe(-32602)
    expect(r.error?.message).toContain(text)
  }
  expect(await rpc(mosaic.url, 'eth_getBalance', [other, 'latest'])).toBe('0x77')
})

test('anvil_reset without forking goes back to genesis, as anvil does; with forking it asks for fork mode', async () => {
  await rpc(mosaic.url, 'anvil_setBalance', [STRANGER, '0x99'])
  await rpc(mosaic.url, 'evm_mine', [])
  await rpc(mosaic.url, 'evm_snapshot', [])
  for (const node of [mosaic, anvil]) {
    expect(await rpc(node.url, 'anvil_reset', [])).toBeNull()
    expect(await rpc(node.url, 'eth_blockNumber')).toBe('0x0')
    expect(await rpc(node.url, 'eth_getBalance', [STRANGER, 'latest'])).toBe('0x0')
  }
  expect((await rpc(mosaic.url, 'anvil_metadata', [])).snapshots).toEqual({})
  expect((await rpc(mosaic.url, 'txpool_status', [])).pending).toBe('0x0')
  // the chain goes on from genesis
  const h = await rpc(mosaic.url, 'eth_sendTransaction', [{ from: ALICE, to: STRANGER, value: '0x1' }])
  expect((await rpc(mosaic.url, 'eth_getTransactionReceipt', [h])).blockNumber).toBe('0x1')
  const fork = await rpcRaw(mosaic.url, 'anvil_reset', [{ forking: { jsonRpcUrl: anvil.url } }])
  expect(fork.error?.message).toContain('--fork-url')
})
