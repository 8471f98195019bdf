import { describe, expect, test } from 'bun:test'
import { createAddress } from '../evm/index.ts'
import { keccak256 } from '../crypto/index.ts'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { verifyProof } from '../trie/index.ts'
import { encodeTransaction, signTransaction } from '../types/index.ts'
import { LOG_TOPIC, STORE_LOG } from './testing/contracts.ts'
import { TEST_KEYS } from './testing/fake-dev.ts'
import { C, ETH, GWEI, testNode } from './testing/harness.ts'

const h = bytesToHex
const word = (n: number) => '0x' + n.toString(16).padStart(64, '0')

async function withStoreTx() {
  const n = testNode()
  const from = h(n.accounts[0]!)
  const hash = await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: word(42) }])
  return { n, from, hash }
}

describe('eth_ chain reads after a mined transaction', () => {
  test('receipt in geth format', async () => {
    const { n, from, hash } = await withStoreTx()
    expect(await n.call('eth_blockNumber')).toBe('0x1')
    const r = await n.call('eth_getTransactionReceipt', [hash])
    expect(Object.keys(r)).toEqual(['blockHash', 'blockNumber', 'contractAddress', 'cumulativeGasUsed', 'effectiveGasPrice', 'from', 'gasUsed', 'logs', 'logsBloom', 'status', 'to', 'transactionHash', 'transactionIndex', 'type'])
    expect(r).toMatchObject({ blockNumber: '0x1', contractAddress: null, from, status: '0x1', to: h(C.storeLog), transactionHash: hash, transactionIndex: '0x0', type: '0x2' })
    expect(r.gasUsed).toBe(r.cumulativeGasUsed)
    const block = await n.call('eth_getBlockByNumber', ['0x1', false])
    expect(BigInt(r.effectiveGasPrice)).toBeGreaterThanOrEqual(BigInt(block.baseFeePerGas))
    expect(r.logs).toEqual([
      { address: h(C.storeLog), topics: [LOG_TOPIC], data: word(42), blockNumber: '0x1', transactionHash: hash, transactionIndex: '0x0', blockHash: r.blockHash, blockTimestamp: block.timestamp, logIndex: '0x0', removed: false },
    ])
    expect(await n.call('eth_getBlockReceipts', ['0x1'])).toEqual([r])
    expect(await n.call('eth_getBlockReceipts', [{ blockHash: r.blockHash }])).toEqual([r])
  })

  test('transaction and block objects', async () => {
    const { n, from, hash } = await withStoreTx()
    const tx = await n.call('eth_getTransactionByHash', [hash])
    expect(Object.keys(tx)).toEqual(['blockHash', 'blockNumber', 'blockTimestamp', 'from', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'hash', 'input', 'nonce', 'to', 'transactionIndex', 'value', 'type', 'accessList', 'chainId', 'v', 'r', 's', 'yParity'])
    expect(tx).toMatchObject({ from, hash, input: word(42), nonce: '0x0', to: h(C.storeLog), value: '0x0', type: '0x2', chainId: '0x7a69', accessList: [] })
    expect(tx.v).toBe(tx.yParity)
    const block = await n.call('eth_getBlockByNumber', ['latest', false])
    expect(block.transactions).toEqual([hash])
    expect(Object.keys(block)).toEqual([...Object.keys(block)].sort())
    for (const k of ['baseFeePerGas', 'withdrawalsRoot', 'blobGasUsed', 'excessBlobGas', 'parentBeaconBlockRoot', 'requestsHash', 'size', 'uncles', 'withdrawals', 'miner', 'sha3Uncles', 'mixHash', 'nonce'])
      expect(block).toHaveProperty(k)
    expect(block).not.toHaveProperty('totalDifficulty')
    const full = await n.call('eth_getBlockByHash', [block.hash, true])
    expect(full.transactions[0]).toEqual(tx)
    expect(await n.call('eth_getTransactionByBlockHashAndIndex', [block.hash, '0x0'])).toEqual(tx)
    expect(await n.call('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x0'])).toEqual(tx)
    expect(await n.call('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x5'])).toBeNull()
    expect(await n.call('eth_getBlockTransactionCountByNumber', ['0x1'])).toBe('0x1')
    expect(await n.call('eth_getBlockTransactionCountByHash', [block.hash])).toBe('0x1')
    expect(await n.call('eth_getUncleCountByBlockNumber', ['0x1'])).toBe('0x0')
    expect(await n.call('eth_getBlockByNumber', ['0x99', false])).toBeNull()
    expect(await n.call('eth_getTransactionByHash', ['0x' + '00'.repeat(32)])).toBeNull()
    const header = await n.call('eth_getHeaderByNumber', ['0x1'])
    expect(header.hash).toBe(block.hash)
    expect(header).not.toHaveProperty('transactions')
    const raw = await n.call('eth_getRawTransactionByHash', [hash])
    expect(raw.startsWith('0x02')).toBe(true)
  })

  test('state at blocks: balance, code, storage, nonce, proof', async () => {
    const { n, from } = await withStoreTx()
    expect(await n.call('eth_getStorageAt', [h(C.storeLog), '0x0', 'latest'])).toBe(word(42))
    expect(await n.call('eth_getStorageAt', [h(C.storeLog), '0x0', '0x0'])).toBe(word(0))
    expect(await n.call('eth_getCode', [h(C.storeLog)])).toBe(h(STORE_LOG))
    expect(await n.call('eth_getTransactionCount', [from, 'latest'])).toBe('0x1')
    expect(await n.call('eth_getTransactionCount', [from, 'earliest'])).toBe('0x0')
    expect(BigInt(await n.call('eth_getBalance', [from, 'latest']))).toBeLessThan(10_000n * ETH)
    expect(await n.call('eth_getBalance', [from, '0x0'])).toBe('0x' + (10_000n * ETH).toString(16))
    const genesis = await n.call('eth_getBlockByNumber', ['0x0', false])
    expect(await n.call('eth_getBalance', [from, { blockHash: genesis.hash, requireCanonical: true }])).toBe('0x' + (10_000n * ETH).toString(16))
    expect((await n.fails('eth_getBalance', [from, { blockHash: '0x' + '11'.repeat(32) }])).message).toBe('header not found')
    expect((await n.fails('eth_getBalance', [from, '0x10'])).message).toBe('header not found')
    const proof = await n.call('eth_getProof', [h(C.storeLog), ['0x0'], 'latest'])
    expect(proof.storageProof[0].value).toBe('0x2a')
    expect(proof.accountProof.length).toBeGreaterThan(0)
    expect(proof.codeHash).toBe(h(keccak256(STORE_LOG)))
    const block = await n.call('eth_getBlockByNumber', ['latest', false])
    // the account proof links to the block's state root and proves the account's storage root
    const leaf = verifyProof(hexToBytes(block.stateRoot), C.storeLog, proof.accountProof.map((h: string) => hexToBytes(h)), { secure: true })
    expect(leaf).toBeDefined()
    const slot = verifyProof(hexToBytes(proof.storageHash), new Uint8Array(32), proof.storageProof[0].proof.map((h: string) => hexToBytes(h)), { secure: true })
    expect(slot).toEqual(Uint8Array.of(0x2a))
  })

  test('contract creation receipt', async () => {
    const n = testNode()
    const from = n.accounts[0]!
    const len = STORE_LOG.length.toString(16).padStart(2, '0')
    const init = `0x60${len}600c60003960${len}6000f3` + h(STORE_LOG).slice(2)
    const hash = await n.call('eth_sendTransaction', [{ from: h(from), input: init }])
    const r = await n.call('eth_getTransactionReceipt', [hash])
    const created = h(createAddress(from, 0n))
    expect(r.contractAddress).toBe(created)
    expect(r.to).toBeNull()
    expect(await n.call('eth_getCode', [created])).toBe(h(STORE_LOG))
  })

  test('raw transactions: legacy EIP-155 format, pool errors', async () => {
    const n = testNode()
    const tx = signTransaction({ type: 0, chainId: 31337n, nonce: 0n, gasPrice: 10n * GWEI, gasLimit: 21_000n, to: C.storeLog, value: 5n, data: new Uint8Array(0) }, TEST_KEYS[1]!)
    const raw = h(encodeTransaction(tx))
    const hash = await n.call('eth_sendRawTransaction', [raw])
    const got = await n.call('eth_getTransactionByHash', [hash])
    expect(got.type).toBe('0x0')
    expect(got.chainId).toBe('0x7a69')
    expect([31337n * 2n + 35n, 31337n * 2n + 36n]).toContain(BigInt(got.v))
    expect(got).not.toHaveProperty('yParity')
    expect(got.gasPrice).toBe('0x' + (10n * GWEI).toString(16))
    expect(await n.fails('eth_sendRawTransaction', [raw])).toEqual({ code: -32000, message: 'nonce too low: next nonce 1, tx nonce 0' })
    const e = await n.fails('eth_sendRawTransaction', ['0x02abcd'])
    expect(e.code).toBe(-32000)
    expect(e.message).toStartWith('transaction decoding failed')
    const poor = signTransaction({ type: 2, chainId: 31337n, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: 10n * GWEI, gasLimit: 21_000n, to: C.storeLog, value: 1n, data: new Uint8Array(0), accessList: [] }, hexToBytes('0x' + '77'.repeat(32)))
    expect((await n.fails('eth_sendRawTransaction', [h(encodeTransaction(poor))])).message).toStartWith('insufficient funds for gas * price + value')
  })

  test('pending transactions without automine', async () => {
    const n = testNode()
    n.dev.setAutomine(false)
    const from = h(n.accounts[0]!)
    const hash = await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), value: '0x1' }])
    const tx = await n.call('eth_getTransactionByHash', [hash])
    expect(tx).toMatchObject({ blockHash: null, blockNumber: null, transactionIndex: null, from })
    expect(tx.gasPrice).toBe(tx.maxFeePerGas)
    expect(await n.call('eth_getTransactionReceipt', [hash])).toBeNull()
    expect(await n.call('eth_getTransactionCount', [from, 'pending'])).toBe('0x1')
    expect(await n.call('eth_getTransactionCount', [from, 'latest'])).toBe('0x0')
    await n.dev.mine()
    expect((await n.call('eth_getTransactionReceipt', [hash])).status).toBe('0x1')
  })
})

describe('block tags', () => {
  test('latest, pending, earliest, safe, finalized; syncing', async () => {
    const n = testNode({ devControls: false })
    expect(await n.call('eth_syncing')).toBe(false)
    expect((await n.fails('eth_getBlockByNumber', ['safe', false])).message).toBe('safe block not found')
    await n.dev.mine({ count: 3 })
    n.chain.setSafeFinalized(2n, 1n)
    expect((await n.call('eth_getBlockByNumber', ['safe', false])).number).toBe('0x2')
    expect((await n.call('eth_getBlockByNumber', ['finalized', false])).number).toBe('0x1')
    expect((await n.call('eth_getBlockByNumber', ['earliest', false])).number).toBe('0x0')
    expect((await n.call('eth_getBlockByNumber', ['pending', false])).number).toBe('0x3')
    expect(await n.call('eth_getUncleByBlockNumberAndIndex', ['0x1', '0x0'])).toBeNull()
    const b1 = await n.call('eth_getBlockByNumber', ['0x1', false])
    n.chain.mine([], { parentNumber: 0n, timestamp: 1_900_000_000n })
    expect((await n.fails('eth_getBalance', ['0x' + '00'.repeat(20), { blockHash: b1.hash, requireCanonical: true }])).message).toBe(`hash ${b1.hash} is not currently canonical`)
    expect(await n.call('eth_getBalance', ['0x' + '00'.repeat(20), { blockHash: b1.hash }])).toBe('0x0')
  })

  test('with dev controls, safe and finalized trail the head by 32 and 64 blocks (anvil)', async () => {
    const n = testNode()
    expect((await n.call('eth_getBlockByNumber', ['safe', false])).number).toBe('0x0')
    await n.dev.mine({ count: 70 })
    expect((await n.call('eth_getBlockByNumber', ['safe', false])).number).toBe('0x26')
    expect((await n.call('eth_getBlockByNumber', ['finalized', false])).number).toBe('0x6')
  })
})

describe('eth_getLogs', () => {
  test('by range, hash, address and topics; limits', async () => {
    const n = testNode({ limits: { logsMaxBlockRange: 5, logsMaxResults: 2 } })
    const from = h(n.accounts[0]!)
    for (const v of [1, 2, 3]) await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), input: word(v) }])
    const two = await n.call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2' }])
    expect(two.map((l: any) => l.data)).toEqual([word(1), word(2)])
    expect((await n.call('eth_getLogs', [{ fromBlock: '0x3', address: [h(C.storeLog)], topics: [[LOG_TOPIC]] }])).length).toBe(1)
    expect(await n.call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2', address: h(C.reverter) }])).toEqual([])
    expect(await n.call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2', topics: [null, LOG_TOPIC] }])).toEqual([])
    const b2 = await n.call('eth_getBlockByNumber', ['0x2', false])
    expect((await n.call('eth_getLogs', [{ blockHash: b2.hash }]))[0].data).toBe(word(2))
    expect(await n.fails('eth_getLogs', [{ fromBlock: '0x0' }])).toEqual({ code: -32005, message: 'query returned more than 2 results' })
    for (let i = 0; i < 5; i++) await n.dev.mine()
    expect(await n.fails('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])).toEqual({ code: -32005, message: 'query exceeds max block range 5' })
    expect((await n.fails('eth_getLogs', [{ fromBlock: '0x3', toBlock: '0x2' }])).message).toBe('invalid block range params')
    expect((await n.fails('eth_getLogs', [{ blockHash: b2.hash, fromBlock: '0x1' }])).message).toContain('cannot specify both BlockHash')
    expect((await n.fails('eth_getLogs', [{ topics: [null, null, null, null, null] }])).message).toBe('exceed max topics')
    expect((await n.fails('eth_getLogs', [{ adress: '0x00' }])).code).toBe(-32602)
  })
})
