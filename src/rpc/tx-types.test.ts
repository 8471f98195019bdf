import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import {
  BYTES_PER_BLOB, encodeBlobTransactionNetwork, encodeTransaction, kzgToVersionedHash, signAuthorization, signTransaction, type BlobTransaction,
} from '../types/index.ts'
import { TEST_ACCOUNTS, TEST_KEYS } from './testing/fake-dev.ts'
import { C, GWEI, testNode } from './testing/harness.ts'

const h = bytesToHex
/** The KZG commitment (and proof) of the all-zero blob: the G1 point at infinity. */
const INFINITY = Uint8Array.from([0xc0, ...new Uint8Array(47)])

describe('transaction types over RPC', () => {
  test('EIP-4844 network form: accepted, mined, formatted with blob fields', async () => {
    const n = testNode()
    const tx = signTransaction(
      { type: 3, chainId: 31337n, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: 10n * GWEI, gasLimit: 21_000n, to: C.loop.map(() => 0x12), value: 0n, data: new Uint8Array(0), accessList: [], maxFeePerBlobGas: 10n, blobVersionedHashes: [kzgToVersionedHash(INFINITY)] },
      TEST_KEYS[0]!,
    ) as BlobTransaction
    const network = encodeBlobTransactionNetwork({ tx, wrapperVersion: 0, blobs: [new Uint8Array(BYTES_PER_BLOB)], commitments: [INFINITY], proofs: [INFINITY] })
    // the canonical form without the sidecar is refused
    expect((await n.fails('eth_sendRawTransaction', [h(encodeTransaction(tx))])).message).toStartWith('invalid blob transaction: missing sidecar')
    const hash = await n.call('eth_sendRawTransaction', [h(network)])
    const got = await n.call('eth_getTransactionByHash', [hash])
    expect(got).toMatchObject({ type: '0x3', maxFeePerBlobGas: '0xa', blobVersionedHashes: [h(kzgToVersionedHash(INFINITY))], yParity: got.v })
    const r = await n.call('eth_getTransactionReceipt', [hash])
    expect(r).toMatchObject({ type: '0x3', blobGasUsed: '0x20000', blobGasPrice: '0x1', status: '0x1' })
    expect(Object.keys(r).slice(0, 2)).toEqual(['blobGasPrice', 'blobGasUsed'])
    expect((await n.call('eth_getBlockByNumber', ['latest', false])).blobGasUsed).toBe('0x20000')
    // a sidecar whose commitment does not match the versioned hash
    const bad = encodeBlobTransactionNetwork({ tx: { ...tx, nonce: 1n }, wrapperVersion: 0, blobs: [new Uint8Array(BYTES_PER_BLOB)], commitments: [Uint8Array.from([0xc1, ...new Uint8Array(47)])], proofs: [INFINITY] })
    expect((await n.fails('eth_sendRawTransaction', [h(bad)])).message).toStartWith('invalid blob transaction')
  })

  test('EIP-7702 set-code transaction: authorization list in the output, delegation in state', async () => {
    const n = testNode()
    const auth = signAuthorization({ chainId: 31337n, address: C.storeLog, nonce: 0n }, TEST_KEYS[2]!)
    const tx = signTransaction(
      { type: 4, chainId: 31337n, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: 10n * GWEI, gasLimit: 100_000n, to: TEST_ACCOUNTS[2]!, value: 0n, data: new Uint8Array(32), accessList: [], authorizationList: [auth] },
      TEST_KEYS[1]!,
    )
    const hash = await n.call('eth_sendRawTransaction', [h(encodeTransaction(tx))])
    const got = await n.call('eth_getTransactionByHash', [hash])
    expect(got.type).toBe('0x4')
    expect(got.authorizationList).toEqual([{ chainId: '0x7a69', address: h(C.storeLog), nonce: '0x0', yParity: '0x' + auth.yParity.toString(16), r: '0x' + auth.r.toString(16), s: '0x' + auth.s.toString(16) }])
    expect(await n.call('eth_getCode', [h(TEST_ACCOUNTS[2]!)])).toBe('0xef0100' + h(C.storeLog).slice(2))
    expect((await n.call('eth_getTransactionReceipt', [hash])).logs[0].address).toBe(h(TEST_ACCOUNTS[2]!))
    // an eth_call with an authorization list applies it first
    const auth2 = signAuthorization({ chainId: 31337n, address: C.storeLog, nonce: 0n }, TEST_KEYS[3]!)
    const out = await n.call('eth_call', [{ from: h(TEST_ACCOUNTS[0]!), to: h(TEST_ACCOUNTS[3]!), input: '0x' + '00'.repeat(31) + '07', authorizationList: [{ chainId: '0x7a69', address: h(C.storeLog), nonce: '0x0', yParity: '0x' + auth2.yParity.toString(16), r: '0x' + auth2.r.toString(16), s: '0x' + auth2.s.toString(16) }] }])
    expect(out).toBe('0x' + '00'.repeat(31) + '07')
  })
})

describe('fees', () => {
  test('gasPrice, maxPriorityFeePerGas, feeHistory, blobBaseFee', async () => {
    const n = testNode()
    expect(await n.call('eth_maxPriorityFeePerGas')).toBe('0x3b9aca00')
    const from = h(n.accounts[0]!)
    for (const tip of [2n, 3n, 5n]) await n.call('eth_sendTransaction', [{ from, to: h(C.storeLog), maxPriorityFeePerGas: '0x' + (tip * GWEI).toString(16) }])
    const head = await n.call('eth_getBlockByNumber', ['latest', false])
    expect(await n.call('eth_maxPriorityFeePerGas')).toBe('0x' + (3n * GWEI).toString(16))
    expect(BigInt(await n.call('eth_gasPrice'))).toBe(3n * GWEI + BigInt(head.baseFeePerGas))
    const fh = await n.call('eth_feeHistory', ['0x2', 'latest', [10, 90]])
    expect(fh.oldestBlock).toBe('0x2')
    expect(fh.baseFeePerGas).toHaveLength(3)
    expect(fh.gasUsedRatio).toHaveLength(2)
    expect(fh.reward).toEqual([['0x' + (3n * GWEI).toString(16), '0x' + (3n * GWEI).toString(16)], ['0x' + (5n * GWEI).toString(16), '0x' + (5n * GWEI).toString(16)]])
    expect(fh.baseFeePerBlobGas).toHaveLength(3)
    expect(fh.blobGasUsedRatio).toEqual([0, 0])
    expect((await n.call('eth_feeHistory', [4, 'latest'])).oldestBlock).toBe('0x0')
    expect((await n.fails('eth_feeHistory', ['0x2', 'latest', [50, 10]])).code).toBe(-32602)
    expect((await n.fails('eth_feeHistory', ['0x2', '0x99'])).message).toStartWith('request beyond head block')
    expect(await n.call('eth_blobBaseFee')).toBe('0x1')
  })
})
